from aimwell.core.errors import DomainError


class LifecycleError(DomainError):
    """A life-cycle change the rules do not allow; the edges turn it into a message.

    `missing` lists the named preconditions a refused deployment approval lacks."""

    def __init__(
        self, message: str, field: str | None = None, missing: list[str] | None = None
    ) -> None:
        super().__init__(message, field)
        self.missing = missing or []


class NotAuthorised(LifecycleError):
    """The member lacks the designation or authority this decision needs."""

    status = 403
