"""Domain errors of context, governance and scope; pages and the API turn them into messages."""


class ContextError(Exception):
    """A write the rules refuse; the message says why and nothing has been written."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
