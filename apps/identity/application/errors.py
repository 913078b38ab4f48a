"""Refusals the identity handlers add to the domain's (apps/identity/domain/errors.py)."""

from ..domain.errors import IdentityError


class ConcurrencyExhausted(IdentityError):
    """The user kept changing under the command (another process won every race)."""

    code = "concurrency_conflict"


class AdministratorsBusy(IdentityError):
    """Another command that could leave no active administrator held the lock too long."""

    code = "concurrency_conflict"


class WeakPassword(IdentityError):
    """A password Django's validators (AUTH_PASSWORD_VALIDATORS) refuse."""

    code = "weak_password"

    def __init__(self, messages: list[str]) -> None:
        super().__init__(" ".join(messages))
        self.messages = messages
