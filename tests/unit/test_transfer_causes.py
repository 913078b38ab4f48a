"""Every event of a transfer's saga says who caused it: the request's caller for the request,
`system:run_transfers` for each step, the request's id as the correlation throughout, and as
cause the transfer event the step reacted to. No I/O (tests/unit/transfer_fakes.py)."""

from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from apps.eventstore.records import StoredEvent
from apps.transfers.application.process_manager import ProcessManager
from apps.transfers.application.requests import TransferRequests
from apps.transfers.infrastructure.transfer_repository import EventSourcedTransferRepository
from kernel import request_context
from tests.unit.transfer_fakes import TIMEOUT, World

A, B = uuid4(), uuid4()
CALLER = {"request_id": "req-9", "actor": "7d1e0c2a-teller", "causation_id": "command-1"}


def world(source: str = "100.00") -> tuple[World, list[tuple[str, dict[str, str]]]]:
    """A world whose events keep the request context's metadata, and the metadata each account
    command was dispatched under."""
    w = World({A: Decimal(source), B: Decimal("0.00")})
    w.transfers = EventSourcedTransferRepository(w.store, w.record, cache_size=10)
    w.manager = ProcessManager(w.transfers, w.accounts, w.deadlines, w.clock)
    w.requests = TransferRequests(
        w.transfers, w.deadlines, w.accounts.balances.__contains__, w.clock, TIMEOUT
    )
    dispatched: list[tuple[str, dict[str, str]]] = []
    dispatch = w.accounts.dispatch

    def watched(command: Any) -> object:
        dispatched.append((type(command).__name__, request_context.event_metadata()))
        return dispatch(command)

    w.accounts.dispatch = watched  # type: ignore[method-assign]  # a spy, for this test
    return w, dispatched


def run(w: World, transfer_id: UUID) -> list[StoredEvent]:
    for _ in range(6):
        if w.manager.react(transfer_id).final:
            break
    return w.store.read_stream(str(transfer_id))


def test_each_step_names_the_process_the_request_and_the_event_it_reacted_to():
    w, dispatched = world()
    with request_context.bound(**CALLER):
        transfer = w.requests.request(A, B, Decimal("30.00"))
    requested, debited, credited, completed = run(w, transfer.id)
    assert requested.metadata == {**CALLER, "correlation_id": "req-9"}
    saga = {"actor": "system:run_transfers", "correlation_id": "req-9"}
    assert debited.metadata == {**saga, "causation_id": requested.event_id}
    # Credited and completed in one reaction: both caused by the debit it reacted to.
    assert credited.metadata == {**saga, "causation_id": debited.event_id}
    assert completed.metadata == {**saga, "causation_id": debited.event_id}
    # The account steps: the same actor and correlation, caused by the transfer event.
    assert dispatched == [
        ("DebitForTransfer", {**saga, "causation_id": requested.event_id}),
        ("CreditForTransfer", {**saga, "causation_id": debited.event_id}),
        ("SettleTransfer", {**saga, "causation_id": completed.event_id}),
        ("SettleTransfer", {**saga, "causation_id": completed.event_id}),
    ]
    assert request_context.event_metadata() == {}  # nothing left bound after a reaction


def test_a_refused_transfer_unwinds_under_the_same_correlation():
    w, dispatched = world(source="10.00")  # not enough: the debit is refused
    with request_context.bound(**CALLER):
        transfer = w.requests.request(A, B, Decimal("30.00"))
    requested, failed = run(w, transfer.id)
    assert failed.event_type == "TransferFailed"
    assert failed.metadata["causation_id"] == requested.event_id
    assert {m["correlation_id"] for _, m in dispatched} == {"req-9"}


def test_a_transfer_requested_before_correlation_ids_correlates_by_its_request_id():
    w, _ = world()
    # Stored as before this change: the request id only.
    legacy = EventSourcedTransferRepository(w.store, w.record, lambda: {"request_id": "old-req"})
    old = TransferRequests(legacy, w.deadlines, w.accounts.balances.__contains__, w.clock, TIMEOUT)
    transfer = old.request(A, B, Decimal("30.00"))
    events = run(w, transfer.id)
    assert events[0].metadata == {"request_id": "old-req"}
    assert {e.metadata.get("correlation_id") for e in events[1:]} == {"old-req"}


def test_a_transfer_with_no_metadata_at_all_is_still_driven_by_the_process():
    w, _ = world()
    transfer = w.requests.request(A, B, Decimal("30.00"))  # no request bound: nothing stored
    events = run(w, transfer.id)
    assert events[0].metadata == {}
    assert all(e.metadata["actor"] == "system:run_transfers" for e in events[1:])
    assert all("correlation_id" not in e.metadata for e in events[1:])
