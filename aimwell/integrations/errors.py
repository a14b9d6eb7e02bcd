class IntegrationError(Exception):
    """A configuration or request the integrations' rules do not allow; the edges show it."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
