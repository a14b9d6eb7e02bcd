from aimwell.core.errors import DomainError


class IntegrationError(DomainError):
    """A configuration or request the integrations' rules do not allow; the edges show it."""
