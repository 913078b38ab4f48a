"""The BankAccount aggregate: checks the rules, records events, changes only by applying them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import singledispatchmethod
from uuid import UUID, uuid4

from .errors import AccountIsClosed, BalanceLimitExceeded, BalanceNotZero, InsufficientFunds
from .events import (
    AccountClosed,
    AccountOpened,
    DomainEvent,
    FundsDeposited,
    FundsTransferredIn,
    FundsTransferredOut,
    FundsWithdrawn,
    TransferRefunded,
    TransferStep,
)
from .money import MAX_BALANCE, to_money
from .rules import valid_account_type, valid_holder
from .transfer_rules import balance_after

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class AccountSnapshot:
    """The aggregate's state after `version` events, so that loading need not replay them all."""

    account_id: UUID
    version: int
    holder: str
    account_type: str
    balance: Decimal
    closed: bool
    # "<event type>:<transfer id>" of every transfer step applied: each is applied once.
    transfer_steps: frozenset[str] = frozenset()


class BankAccount:
    def __init__(self, account_id: UUID) -> None:
        self.id = account_id
        self.version = 0
        self.holder = ""
        self.account_type = ""
        self.balance = ZERO
        self.closed = False
        self.transfer_steps: set[str] = set()
        self._pending: list[DomainEvent] = []

    # --- rebuilding ---------------------------------------------------------------------
    @classmethod
    def rebuild(
        cls,
        account_id: UUID,
        events: Iterable[DomainEvent],
        snapshot: AccountSnapshot | None = None,
    ) -> BankAccount:
        account = cls.from_snapshot(snapshot) if snapshot else cls(account_id)
        for event in events:
            account.apply(event)
        return account

    @classmethod
    def from_snapshot(cls, snapshot: AccountSnapshot) -> BankAccount:
        account = cls(snapshot.account_id)
        account.version = snapshot.version
        account.holder = snapshot.holder
        account.account_type = snapshot.account_type
        account.balance = snapshot.balance
        account.closed = snapshot.closed
        account.transfer_steps = set(snapshot.transfer_steps)
        return account

    def snapshot(self) -> AccountSnapshot:
        return AccountSnapshot(
            self.id,
            self.version,
            self.holder,
            self.account_type,
            self.balance,
            self.closed,
            frozenset(self.transfer_steps),
        )

    @property
    def exists(self) -> bool:
        return self.version > 0

    # --- behaviour ----------------------------------------------------------------------
    @classmethod
    def open(
        cls,
        account_id: UUID,
        holder: object,
        account_type: object,
        opening_balance: object,
        now: datetime,
    ) -> BankAccount:
        account = cls(account_id)
        account._record(
            AccountOpened,
            now,
            holder=valid_holder(holder),
            account_type=valid_account_type(account_type).value,
            opening_balance=to_money(opening_balance, "opening_balance", allow_zero=True),
        )
        return account

    def deposit(self, amount: object, now: datetime) -> None:
        value = to_money(amount, "amount")
        self._check_is_open()
        if self.balance + value >= MAX_BALANCE:
            raise BalanceLimitExceeded(f"The balance must stay below {MAX_BALANCE}.")
        self._record(FundsDeposited, now, amount=value, balance=self.balance + value)

    def withdraw(self, amount: object, now: datetime) -> None:
        value = to_money(amount, "amount")
        self._check_is_open()
        if value > self.balance:
            raise InsufficientFunds(f"Cannot withdraw {value}: the balance is {self.balance}.")
        self._record(FundsWithdrawn, now, amount=value, balance=self.balance - value)

    def close(self, now: datetime) -> None:
        self._check_is_open()
        if self.balance != ZERO:
            raise BalanceNotZero(
                f"The balance is {self.balance}; withdraw it before closing the account."
            )
        self._record(AccountClosed, now)

    def transfer_step(
        self, step: type[TransferStep], amount: object, transfer_id: UUID, now: datetime
    ) -> None:
        """Out (debit), in (credit) or refund for a transfer; a repeat of a step does nothing."""
        if f"{step.__name__}:{transfer_id}" in self.transfer_steps:
            return
        value = to_money(amount, "amount")
        balance = balance_after(step, self.balance, value, self.closed)
        self._record(step, now, amount=value, balance=balance, transfer_id=transfer_id)

    def pull_pending_events(self) -> list[DomainEvent]:
        pending, self._pending = self._pending, []
        return pending

    def _check_is_open(self) -> None:
        if self.closed:
            raise AccountIsClosed("The account is closed.")

    def _record(self, event_type: type[DomainEvent], now: datetime, **data: object) -> None:
        event = event_type(
            event_id=uuid4(), aggregate_id=self.id, version=self.version + 1, timestamp=now, **data
        )
        self.apply(event)
        self._pending.append(event)

    # --- state changes, one per event type ----------------------------------------------
    @singledispatchmethod
    def apply(self, event: DomainEvent) -> None:
        raise TypeError(f"BankAccount cannot apply {type(event).__name__}")

    @apply.register
    def _(self, event: AccountOpened) -> None:
        self.holder = event.holder
        self.account_type = event.account_type
        self.balance = event.opening_balance
        self._advance(event)

    @apply.register
    def _(self, event: FundsDeposited) -> None:
        self.balance = event.balance
        self._advance(event)

    @apply.register
    def _(self, event: FundsWithdrawn) -> None:
        self.balance = event.balance
        self._advance(event)

    @apply.register
    def _(self, event: FundsTransferredOut | FundsTransferredIn | TransferRefunded) -> None:
        self.balance = event.balance
        self.transfer_steps.add(f"{type(event).__name__}:{event.transfer_id}")
        self._advance(event)

    @apply.register
    def _(self, event: AccountClosed) -> None:
        self.closed = True
        self._advance(event)

    def _advance(self, event: DomainEvent) -> None:
        if event.version != self.version + 1:
            raise ValueError(
                f"Event version {event.version} does not follow version {self.version}"
            )
        self.version = event.version
