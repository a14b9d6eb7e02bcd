class InventoryError(Exception):
    """A change the inventory's rules do not allow; the edges turn it into a message."""
