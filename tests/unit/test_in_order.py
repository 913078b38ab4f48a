"""InOrder: each account's events in version order, whatever order the store kept them in."""

import uuid
from datetime import UTC, datetime

from apps.accounts_query.application.in_order import InOrder
from apps.accounts_query.domain.event_message import EventMessage

A, B = uuid.uuid4(), uuid.uuid4()


def event(account: uuid.UUID, version: int) -> EventMessage:
    return EventMessage(
        str(uuid.uuid4()), "FundsDeposited", 1, account, version, datetime.now(UTC), {}
    )


def through(order: InOrder, arrivals: list[EventMessage]) -> list[tuple[uuid.UUID, int]]:
    return [(e.aggregate_id, e.version) for arrived in arrivals for e in order.put(arrived)]


def test_events_in_order_pass_straight_through():
    assert through(InOrder(), [event(A, 1), event(B, 1), event(A, 2)]) == [(A, 1), (B, 1), (A, 2)]


def test_an_early_event_waits_for_the_versions_before_it():
    order = InOrder()
    out = through(order, [event(A, 3), event(B, 1), event(A, 2), event(A, 1), event(A, 4)])
    assert out == [(B, 1), (A, 1), (A, 2), (A, 3), (A, 4)]
    assert order.stranded() == [] and order.early == {}


def test_a_repeated_version_comes_out_for_the_fold_to_refuse():
    assert through(InOrder(), [event(A, 1), event(A, 1)]) == [(A, 1), (A, 1)]


def test_events_after_a_gap_are_stranded():
    order = InOrder()
    assert through(order, [event(A, 1), event(A, 3), event(A, 4)]) == [(A, 1)]
    assert sorted(e.version for e in order.stranded()) == [3, 4]
