from aimwell.core.errors import DomainError


class InventoryError(DomainError):
    """A change the inventory's rules do not allow; the edges turn it into a message."""
