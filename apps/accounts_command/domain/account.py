"""The BankAccount aggregate: checks the rules, records events, changes only by applying them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import singledispatchmethod
from uuid import UUID, uuid4

from .errors import AccountIsClosed, BalanceNotZero, InsufficientFunds, TransferInFlight
from .events import (
    AccountClosed,
    AccountOpened,
    DomainEvent,
    FundsDeposited,
    FundsWithdrawn,
)
from .money import to_money
from .rules import valid_account_type, valid_holder
from .transfer_rules import InFlight, check_room
from .transfers import TransferSteps

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
    # The transfers this account takes part in that are not over yet (transfer_rules.py).
    in_flight: tuple[InFlight, ...] = ()


class BankAccount(TransferSteps):
    def __init__(self, account_id: UUID) -> None:
        self.id = account_id
        self.version = 0
        self.holder = ""
        self.account_type = ""
        self.balance = ZERO
        self.closed = False
        self.in_flight: dict[UUID, InFlight] = {}
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
        account.in_flight = {step.transfer_id: step for step in snapshot.in_flight}
        return account

    def snapshot(self) -> AccountSnapshot:
        return AccountSnapshot(
            self.id,
            self.version,
            self.holder,
            self.account_type,
            self.balance,
            self.closed,
            tuple(self.in_flight.values()),
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
        check_room(self.balance, self.reserved, value)
        self._record(FundsDeposited, now, amount=value, balance=self.balance + value)

    def withdraw(self, amount: object, now: datetime) -> None:
        value = to_money(amount, "amount")
        self._check_is_open()
        if value > self.balance:
            raise InsufficientFunds(f"Cannot withdraw {value}: the balance is {self.balance}.")
        self._record(FundsWithdrawn, now, amount=value, balance=self.balance - value)

    def close(self, now: datetime) -> None:
        self._check_is_open()
        if self.in_flight:
            raise TransferInFlight(
                f"{len(self.in_flight)} transfer(s) of this account are not over yet; close it "
                "once they are."
            )
        if self.balance != ZERO:
            raise BalanceNotZero(
                f"The balance is {self.balance}; withdraw it before closing the account."
            )
        self._record(AccountClosed, now)

    def pull_pending_events(self) -> list[DomainEvent]:
        pending, self._pending = self._pending, []
        return pending

    def _check_is_open(self) -> None:
        if self.closed:
            raise AccountIsClosed("The account is closed.")

    def _record(
        self,
        event_type: type[DomainEvent],
        now: datetime,
        event_id: UUID | None = None,
        **data: object,
    ) -> None:
        event = event_type(
            event_id=event_id or uuid4(),
            aggregate_id=self.id,
            version=self.version + 1,
            timestamp=now,
            **data,
        )
        self.apply(event)
        self._pending.append(event)

    # --- state changes, one per event type ----------------------------------------------
    @singledispatchmethod
    def apply(self, event: DomainEvent) -> None:
        if event.version != self.version + 1:  # checked first: nothing changes if it fails
            self._advance(event)
        if not self.apply_transfer_event(event):
            raise TypeError(f"BankAccount cannot apply {type(event).__name__}")
        self._advance(event)

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
    def _(self, event: AccountClosed) -> None:
        self.closed = True
        self._advance(event)

    def _advance(self, event: DomainEvent) -> None:
        if event.version != self.version + 1:
            raise ValueError(
                f"Event version {event.version} does not follow version {self.version}"
            )
        self.version = event.version
