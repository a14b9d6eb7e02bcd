from aimwell.core.errors import DomainError


class ClassificationError(DomainError):
    """The EU AI Act rules cannot be stored or read as asked; the message says why."""
