"""Domain errors raised by account services; the edges turn them into messages."""

from aimwell.core.errors import DomainError


class AccountsError(DomainError):
    """A request that the rules of the organisation do not allow."""


class LastAdminError(AccountsError):
    pass
