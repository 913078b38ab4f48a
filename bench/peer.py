"""(7) peer: write_inprocess's workload written with the `eventsourcing` library (SQLite file).

Same rules (open with a balance; deposit; withdraw refused on insufficient funds), same shape
(accounts with at most 10 events, 1 and 8 client threads, deposits and withdrawals in turn),
on eventsourcing's own SQLite persistence in a temporary directory, library defaults otherwise
(no snapshots, no aggregate cache, no publishing). Ours: write_inprocess of the same run.
"""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from .harness import Bench, figure, log
from .write_inprocess import PER_ACCOUNT, plans, run_clients, sizes


class InsufficientFundsError(Exception):
    pass


class Account(Aggregate):
    @event("Opened")
    def __init__(self, holder: str, balance: Decimal) -> None:
        self.holder = holder
        self.balance = balance

    @event("Deposited")
    def deposit(self, amount: Decimal) -> None:
        self.balance += amount

    def withdraw(self, amount: Decimal) -> None:
        if amount > self.balance:
            raise InsufficientFundsError(f"cannot withdraw {amount} from {self.balance}")
        self._withdrawn(amount)

    @event("Withdrawn")
    def _withdrawn(self, amount: Decimal) -> None:
        self.balance -= amount


class Bank(Application[UUID]):
    def open(self, holder: str, balance: Decimal) -> UUID:
        account = Account(holder, balance)
        self.save(account)
        return account.id

    def deposit(self, account_id: UUID, amount: Decimal) -> None:
        account: Account = self.repository.get(account_id)
        account.deposit(amount)
        self.save(account)

    def withdraw(self, account_id: UUID, amount: Decimal) -> None:
        account: Account = self.repository.get(account_id)
        account.withdraw(amount)
        self.save(account)


def theirs(bank: Bank, clients: int, commands: int) -> float:
    count = -(-commands // PER_ACCOUNT)
    accounts = [bank.open("Bench Holder", Decimal("100.00")) for _ in range(count)]

    def one(item: tuple[UUID, int]) -> None:
        account, i = item
        if i % 2 == 0:
            bank.deposit(account, Decimal("10.00"))
        else:
            bank.withdraw(account, Decimal("5.00"))

    work = plans(accounts, clients)
    return sum(len(w) for w in work) / run_clients(work, one)


def measure(bench: Bench, ours: dict[str, Any] | None = None) -> dict[str, Any]:
    if ours is None or "error" in ours:
        from . import write_inprocess

        ours = write_inprocess.measure(bench)
    rates: dict[int, float] = {}
    with tempfile.TemporaryDirectory(prefix="techbank-bench-peer-") as tmp:
        bank = Bank(
            env={
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": str(Path(tmp) / "peer.sqlite"),
                "SQLITE_LOCK_TIMEOUT": "30",
            }
        )
        theirs(bank, 1, 50 if bench.quick else 300)  # warm-up
        for clients, commands in sizes(bench.quick).items():
            rates[clients] = theirs(bank, clients, commands)
            log(f"peer {clients} client(s): eventsourcing {rates[clients]:.0f}/s")
        bank.close()
    return figure(
        ours["clients_8"]["value"],
        rates[8],
        "cmd/s vs eventsourcing",
        headline="8 client threads",
        clients_1=figure(ours["clients_1"]["value"], rates[1], "commands/s"),
        clients_8=figure(ours["clients_8"]["value"], rates[8], "commands/s"),
        library="eventsourcing " + _version(),
        note="ratio = ours / eventsourcing; ours includes Kafka publishing and MongoDB "
        "(FerretDB) round trips, theirs is an in-process SQLite file",
    )


def _version() -> str:
    from importlib.metadata import version

    return version("eventsourcing")
