"""Domain errors of governance; the API's handler and pages' forms present them."""

from aimwell.core.errors import DomainError


class GovernanceError(DomainError):
    """A governance write the rules refuse; the message says why and nothing has been written."""
