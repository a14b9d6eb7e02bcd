class RiskError(Exception):
    """A risk-management rule was broken; the message says which, in words a user acts on."""
