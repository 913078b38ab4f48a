"""Refusals of the domain, each with a stable code that clients branch on."""


class DomainError(Exception):
    """A command the business rules refuse; nothing is stored."""

    code = "domain_error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class InvalidCommand(DomainError):
    """The command's values break a rule of their own (holder, type, amount)."""

    code = "invalid_command"

    def __init__(self, field: str, code: str, detail: str) -> None:
        super().__init__(detail)
        self.field = field
        self.code = code


class TransactionError(DomainError):
    """A well-formed command that the account's current state refuses."""


class AccountNotFound(DomainError):
    code = "account_not_found"


class AccountAlreadyExists(DomainError):
    code = "account_exists"


class AccountIsClosed(TransactionError):
    code = "account_closed"


class InsufficientFunds(TransactionError):
    code = "insufficient_funds"


class BalanceNotZero(TransactionError):
    code = "balance_not_zero"


class BalanceLimitExceeded(TransactionError):
    code = "balance_limit_exceeded"


class TransferTimedOut(TransactionError):
    """A debit or credit asked for after its transfer's deadline: never taken then."""

    code = "timed_out"


class TransferStepFenced(TransactionError):
    """The account already recorded that it takes no step of this transfer (TransferExpired)."""

    code = "transfer_expired"


class TransferInFlight(TransactionError):
    """The account takes part in a transfer that is not over, so it cannot close: a refund
    may still have to reach it."""

    code = "transfer_in_flight"


class VersionConflict(DomainError):
    """The client's expected version is not the stream's current version."""

    code = "version_conflict"

    def __init__(self, detail: str, current_version: int) -> None:
        super().__init__(detail)
        self.current_version = current_version
