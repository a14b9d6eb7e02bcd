from aimwell.core.errors import DomainError


class RiskError(DomainError):
    """A risk-management rule was broken; the message says which, in words a user acts on."""
