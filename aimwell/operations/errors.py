from aimwell.core.errors import DomainError


class OperationsError(DomainError):
    """A domain rule of audits, nonconformities, reviews, incidents, objectives or training was
    broken; the message says what to do instead."""
