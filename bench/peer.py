"""(7) peer: write_inprocess's workload written with the `eventsourcing` library.

Same rules (open with a balance; deposit; withdraw refused on insufficient funds), same shape
(accounts with at most 10 events, 1 and 8 client threads, deposits and withdrawals in turn),
library defaults otherwise (no snapshots, no aggregate cache, no publishing). Ours:
write_inprocess of the same run.

Headline: eventsourcing on its PostgreSQL persistence, the fair peer (a database server over
TCP, as FerretDB is for us), on a private PostgreSQL 15 (tests/harness/postgres.py, stopped at
the end) with a pool of 8 connections, one per client thread. Commits wait for the disk on
both sides (scripts/postgres.sh says why that keeps it fair). Context: its SQLite
persistence, an in-process file in a temporary directory.
"""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from tests.harness.postgres import private_postgres

from .harness import Bench
from .report import figure, log
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


def eventsourcing_env(url: str, pool_size: int) -> dict[str, str]:
    """eventsourcing's POSTGRES_* settings for `url`."""
    parts = urlsplit(url)
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": parts.path.lstrip("/"),
        "POSTGRES_HOST": parts.hostname or "127.0.0.1",
        "POSTGRES_PORT": str(parts.port or 5432),
        "POSTGRES_USER": parts.username or "",
        "POSTGRES_PASSWORD": parts.password or "",
        "POSTGRES_POOL_SIZE": str(pool_size),
    }


def rates_of(bench: Bench, name: str, env: dict[str, str]) -> dict[int, float]:
    """Commands/s of eventsourcing at 1 and 8 client threads on the persistence `env` names."""
    bank = Bank(env=env)
    try:
        theirs(bank, 1, 50 if bench.quick else 300)  # warm-up
        rates: dict[int, float] = {}
        for clients, commands in sizes(bench.quick).items():
            rates[clients] = theirs(bank, clients, commands)
            log(f"peer {clients} client(s): eventsourcing on {name} {rates[clients]:.0f}/s")
        return rates
    finally:
        bank.close()


def measure(bench: Bench, ours: dict[str, Any] | None = None) -> dict[str, Any]:
    if ours is None or "error" in ours:
        from . import write_inprocess

        ours = write_inprocess.measure(bench)
    with private_postgres(log) as url:
        postgres = rates_of(bench, "PostgreSQL", eventsourcing_env(url, pool_size=8))
    with tempfile.TemporaryDirectory(prefix="techbank-bench-peer-") as tmp:
        sqlite_env = {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(Path(tmp) / "peer.sqlite"),
            "SQLITE_LOCK_TIMEOUT": "30",
        }
        sqlite = rates_of(bench, "SQLite", sqlite_env)
    one, eight = ours["clients_1"]["value"], ours["clients_8"]["value"]
    return figure(
        eight,
        postgres[8],
        "cmd/s vs eventsourcing",
        headline="8 client threads, eventsourcing on PostgreSQL",
        clients_1=figure(one, postgres[1], "commands/s"),
        clients_8=figure(eight, postgres[8], "commands/s"),
        sqlite={
            "note": "context: eventsourcing's SQLite persistence, an in-process file",
            "clients_1": figure(one, sqlite[1], "commands/s"),
            "clients_8": figure(eight, sqlite[8], "commands/s"),
        },
        library="eventsourcing " + _version(),
        postgresql=_server_version(),
        note="ratio = ours / eventsourcing on PostgreSQL (pool of 8, fsync and synchronous "
        "commit on); ours also publishes every event to Kafka through an outbox and crosses "
        "FerretDB's wire protocol",
    )


def _version() -> str:
    from importlib.metadata import version

    return version("eventsourcing")


def _server_version() -> str:
    import subprocess

    argv = ["/usr/lib/postgresql/15/bin/postgres", "--version"]  # postgres (PostgreSQL) 15.x ...
    return subprocess.run(argv, capture_output=True, text=True).stdout.strip().split(" ", 1)[-1]
