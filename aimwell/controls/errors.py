class ControlsError(Exception):
    """A rule of the SoA, baseline or readiness was broken; the message says which."""
