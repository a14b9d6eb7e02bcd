class OperationsError(Exception):
    """A domain rule of audits, nonconformities, reviews, incidents, objectives or training was
    broken; the message says what to do instead."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
