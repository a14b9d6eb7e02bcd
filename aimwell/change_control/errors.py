from aimwell.core.errors import DomainError


class ChangeError(DomainError):
    """A change request step the rules do not allow (clause 6.3); the message says which."""


class ChangeNotAuthorised(ChangeError):
    """The member lacks the authority to decide this change."""

    status = 403
