"""(1) write_inprocess: commands/s through the dispatcher, 1 and 8 client threads.

Each command loads an account (snapshot + probe for newer events), checks the rules and appends
one event (pending marker, event, snapshot; Kafka publishing on, the marker deleted on the
broker's acknowledgement). Accounts keep short histories: at most 9 commands after the open.

Every measurement starts from an empty event store (see backends.reset_event_store), ours and
the raw limit alike, and writes into the same collections.

Raw limit: pymongo doing by hand the least I/O such a command needs against this store: find_one
of the snapshot by _id, find_one probing the next event's _id, insert_one of the event.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeVar
from uuid import UUID

from .backends import reset_event_store, store_size
from .harness import Bench
from .report import figure, log

T = TypeVar("T")
PER_ACCOUNT = 9  # commands after the open: histories stay at <= 10 events


def run_clients(work: Sequence[Sequence[T]], do: Callable[[T], object]) -> float:
    """Runs each thread's items through `do`, all threads started together; returns seconds."""
    barrier = threading.Barrier(len(work) + 1)
    errors: list[BaseException] = []

    def client(items: Sequence[T]) -> None:
        barrier.wait()
        try:
            for item in items:
                do(item)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=client, args=(items,)) for items in work]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise errors[0]
    return elapsed


def plans(accounts: Sequence[T], clients: int) -> list[list[tuple[T, int]]]:
    """Per client: (account, i) items, round robin over its own accounts, PER_ACCOUNT each."""
    result: list[list[tuple[T, int]]] = [[] for _ in range(clients)]
    for c in range(clients):
        mine = accounts[c::clients]
        result[c] = [(a, i) for i in range(PER_ACCOUNT) for a in mine]
    return result


def sizes(quick: bool) -> dict[int, int]:
    """Commands measured per client count."""
    return {1: 200, 8: 400} if quick else {1: 2000, 8: 4000}


def ours(bench: Bench, clients: int, commands: int, dispatcher: Any = None) -> float:
    from apps.accounts_command.domain.commands import DepositFunds, OpenAccount, WithdrawFunds

    from .wired import command_dispatcher

    reset_event_store()
    dispatcher = dispatcher or command_dispatcher()
    count = -(-commands // PER_ACCOUNT)
    accounts = [
        dispatcher.dispatch(OpenAccount("Bench Holder", "SAVINGS", Decimal("100.00"))).account_id
        for _ in range(count)
    ]

    def one(item: tuple[UUID, int]) -> None:
        account, i = item
        if i % 2 == 0:
            dispatcher.dispatch(DepositFunds(account, Decimal("10.00")))
        else:
            dispatcher.dispatch(WithdrawFunds(account, Decimal("5.00")))

    work = plans(accounts, clients)
    rate = sum(len(w) for w in work) / run_clients(work, one)
    log(f"  ours: {clients} client(s), store now holds {store_size()} events")
    return rate


def raw_event(account: str, version: int) -> dict[str, Any]:
    """A deposit's event document as the store writes it (the raw limit's insert)."""
    from apps.eventstore.records import event_key

    return {
        "_id": event_key(account, version),
        "event_id": f"{account}-{version}",
        "aggregate_id": account,
        "aggregate_type": "BankAccount",
        "version": version,
        "event_type": "FundsDeposited",
        "schema_version": 1,
        "data": {"amount": "10.00", "balance": "110.00"},
        "timestamp": datetime.now(UTC),
    }


def raw_commands(
    snapshots: Any, events: Any, clients: int, commands: int, state: dict[str, Any]
) -> float:
    """The raw limit's commands/s against these two pymongo collections: per command, find_one
    of the snapshot (holding `state`) by _id, find_one probing the next event's _id, insert_one
    of the event."""
    from apps.eventstore.records import event_key

    count = -(-commands // PER_ACCOUNT)
    accounts = [f"raw-{uuid.uuid4().hex}" for _ in range(count)]
    snapshots.insert_many(
        [
            {"_id": a, "aggregate_type": "BankAccount", "version": 1, "state": state}
            for a in accounts
        ]
    )
    versions = dict.fromkeys(accounts, 1)

    def one(item: tuple[str, int]) -> None:
        account = item[0]
        snapshots.find_one({"_id": account})
        version = versions[account] + 1
        events.find_one({"_id": event_key(account, version)})
        events.insert_one(raw_event(account, version))
        versions[account] = version

    work = plans(accounts, clients)
    return sum(len(w) for w in work) / run_clients(work, one)


def raw(bench: Bench, clients: int, commands: int) -> float:
    import mongoengine

    reset_event_store()
    db = mongoengine.get_db()
    return raw_commands(db["snapshots"], db["events"], clients, commands, {"balance": "100.00"})


def measure(bench: Bench) -> dict[str, Any]:
    from .wired import pending, publisher, recorder, unpublished_dispatcher

    warmup = 50 if bench.quick else 300
    ours(bench, 1, warmup)
    raw(bench, 1, warmup)
    rates: dict[int, dict[str, float]] = {}
    group = recorder()._group
    for clients, commands in sizes(bench.quick).items():
        before = (group.batches, group.items)
        mine, limit = ours(bench, clients, commands), raw(bench, clients, commands)
        batches, items = group.batches - before[0], group.items - before[1]
        rates[clients] = {"ours": mine, "raw": limit, "batch": items / max(batches, 1)}
        log(f"write_inprocess {clients} client(s): ours {mine:.0f}/s, raw {limit:.0f}/s")
    unacknowledged = publisher().flush(30)
    pending_markers = pending().count_documents({})
    quiet = unpublished_dispatcher()
    no_publish = ours(bench, 1, sizes(bench.quick)[1] // 2, quiet)
    eight, one = rates[8], rates[1]
    return figure(
        eight["ours"],
        eight["raw"],
        "commands/s",
        headline="8 client threads",
        clients_1=figure(one["ours"], one["raw"], "commands/s"),
        clients_8=figure(eight["ours"], eight["raw"], "commands/s"),
        # Events per group-commit round trip (apps/eventstore/group_commit.py).
        events_per_write={f"clients_{n}": round(r["batch"], 2) for n, r in rates.items()},
        publishing=True,
        single_client_without_publishing=round(no_publish, 1),
        unacknowledged_after_flush=unacknowledged,
        pending_markers_left=pending_markers,
    )
