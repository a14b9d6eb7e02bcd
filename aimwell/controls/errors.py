from aimwell.core.errors import DomainError


class ControlsError(DomainError):
    """A rule of the SoA, baseline or readiness was broken; the message says which."""
