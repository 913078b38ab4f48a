"""Events: what happened to an account, named in the past tense. Immutable facts."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from uuid import UUID


@dataclass(frozen=True)
class DomainEvent:
    event_id: UUID
    aggregate_id: UUID
    version: int
    timestamp: datetime


@dataclass(frozen=True)
class AccountOpened(DomainEvent):
    holder: str
    account_type: str
    opening_balance: Decimal


@dataclass(frozen=True)
class FundsDeposited(DomainEvent):
    amount: Decimal
    # The balance after the deposit: projections set it rather than add to it.
    balance: Decimal


@dataclass(frozen=True)
class FundsWithdrawn(DomainEvent):
    amount: Decimal
    balance: Decimal


@dataclass(frozen=True)
class AccountClosed(DomainEvent):
    pass


@dataclass(frozen=True)
class TransferStep(DomainEvent):
    """A transfer's step on this account; transfer_id names the transfer (one step each)."""

    amount: Decimal
    balance: Decimal
    transfer_id: UUID


@dataclass(frozen=True)
class FundsTransferredOut(TransferStep):
    pass


@dataclass(frozen=True)
class FundsTransferredIn(TransferStep):
    pass


@dataclass(frozen=True)
class TransferRefunded(TransferStep):
    pass


@dataclass(frozen=True)
class TransferSettled(DomainEvent):
    """The transfer is over for this account: it forgets the transfer. No money moves."""

    transfer_id: UUID


@dataclass(frozen=True)
class TransferExpired(DomainEvent):
    """The transfer's deadline passed before its step here: this account never takes it."""

    transfer_id: UUID
