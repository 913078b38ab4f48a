"""Records the demo's plan (scenario.py) through the real command path, at the plan's dates.

The accounts' commands go through the write side's dispatcher and the transfers through the
transfers' request service and process manager, built by their own composition roots, with
one change: their clock is the demo's (`DemoClock`), set to each step's date before it runs,
so every event is dated as the plan says. The store, the outbox and the publisher are the
process's own: each event is stored and published to Kafka as any other is.

A transfer is driven through its saga here, each step by `ProcessManager.react` (what
`run_transfers` does for every transfer message), until it is final. Not by a running
`run_transfers`: its clock is today's, and to it a transfer dated months ago is long past
its deadline, so it would time it out. The events name `system:load_demo` as their actor.

The dead letter is a message a newer release could send: a signed event of a type this release
does not know (`AccountFrozen`), published to the account-events topic; `consume_events`
dead-letters it when it reads it (the event store does not hold it).
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.conf import settings

from apps.accounts_command import bootstrap as command_side
from apps.accounts_command.domain.commands import (
    CloseAccount,
    DepositFunds,
    OpenAccount,
    WithdrawFunds,
)
from apps.contract.account_events import AGGREGATE_TYPE
from apps.eventstore.bootstrap import EventStoreParts
from apps.eventstore.records import StoredEvent
from apps.transfers import bootstrap as transfers
from kernel import request_context

from .scenario import Step

ACTOR = request_context.system_actor("load_demo")
POISON_TYPE = "AccountFrozen"
MOST_REACTIONS = 10  # a transfer takes at most five steps; more means something is wrong


class DemoClock:
    """The time the demo's commands see: set to each step's date (milliseconds, as stored)."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def set(self, moment: datetime) -> None:
        self.now = moment.replace(microsecond=moment.microsecond // 1000 * 1000)

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Recorded:
    steps: Counter[str] = field(default_factory=Counter)
    transfers: Counter[str] = field(default_factory=Counter)  # by final status


class Recorder:
    def __init__(self, parts: EventStoreParts, clock: DemoClock) -> None:
        self.parts = parts
        self.clock = clock
        self.accounts = command_side.bootstrap(
            parts, command_side.CommandSettings.from_django(), clock
        )
        self.requests = transfers.requests(parts, clock)
        self.manager = transfers.process_manager(parts, self.accounts, clock, ACTOR)
        self.recorded = Recorded()

    def run(self, number: int, step: Step) -> None:
        self.clock.set(step.at)
        # As an API request would be: its id is the correlation of everything it causes.
        with request_context.bound(
            actor=ACTOR,
            request_id=f"load_demo-{number}",
            causation_id=request_context.new_causation_id(),
        ):
            if step.kind == "transfer":
                self.transfer(step)
            else:
                self.accounts.dispatch(command(step))
        self.recorded.steps[step.kind] += 1

    def transfer(self, step: Step) -> None:
        assert step.to_account is not None
        transfer = self.requests.request(step.account, step.to_account, step.amount)
        for _ in range(MOST_REACTIONS):
            transfer = self.manager.react(transfer.id)
            if transfer.final:
                self.recorded.transfers[transfer.status] += 1
                return
        raise RuntimeError(f"transfer {transfer.id} not final after {MOST_REACTIONS} steps")

    def poison(self, account: uuid.UUID) -> None:
        """Publishes the dead letter-to-be (signed, as the publisher signs every event)."""
        event = StoredEvent(
            event_id=str(uuid.uuid4()),
            aggregate_id=str(account),
            aggregate_type=AGGREGATE_TYPE,
            version=1_000_000,
            event_type=POISON_TYPE,
            schema_version=1,
            data={"reason": "a newer release's event"},
            timestamp=datetime.now(UTC) - timedelta(days=1),
            metadata={"actor": ACTOR},
        )
        delivered: list[bool] = []
        self.parts.publisher.publish(event, lambda: delivered.append(True))
        self.parts.publisher.flush(30)
        if not delivered:
            raise RuntimeError(f"{settings.KAFKA_EVENTS_TOPIC} did not take the poison message")


def command(step: Step) -> object:
    if step.kind == "open":
        return OpenAccount(step.holder, step.account_type, step.amount, step.account)
    if step.kind == "deposit":
        return DepositFunds(step.account, step.amount)
    if step.kind == "withdraw":
        return WithdrawFunds(step.account, step.amount)
    if step.kind == "close":
        return CloseAccount(step.account)
    raise ValueError(f"no command for a {step.kind!r} step")
