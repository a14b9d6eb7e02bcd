from aimwell.core.errors import DomainError


class ImpactError(DomainError):
    """An impact assessment change the rules do not allow; the message says which rule."""
