class LifecycleError(Exception):
    """A life-cycle change the rules do not allow; the edges turn it into a message.

    `missing` lists the named preconditions a refused deployment approval lacks."""

    def __init__(self, message: str, field: str | None = None, missing: list[str] | None = None):
        super().__init__(message)
        self.field = field
        self.missing = missing or []


class NotAuthorised(LifecycleError):
    """The member lacks the designation or authority this decision needs (a 403 at the edges)."""
