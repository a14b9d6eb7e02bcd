"""Domain errors of context, governance and scope; pages and the API turn them into messages."""

from aimwell.core.errors import DomainError


class ContextError(DomainError):
    """A write the rules refuse; the message says why and nothing has been written."""
