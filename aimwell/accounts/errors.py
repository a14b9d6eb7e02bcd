"""Domain errors raised by account services; the edges turn them into messages."""


class AccountsError(Exception):
    """A request that the rules of the organisation do not allow."""


class LastAdminError(AccountsError):
    pass
