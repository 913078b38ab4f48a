"""The process manager's consumer and the deadline ticker, on the real broker, with a fake
manager (the real one is tested in tests/unit and by the fault tests)."""

import threading
import uuid
from io import StringIO

import orjson
import pytest
from django.conf import settings
from django.core.management import call_command

from apps.transfers.infrastructure.deadline_ticker import DeadlineTicker
from apps.transfers.infrastructure.manager_consumer import ManagerConsumer
from tests.e2e.kafka_topics import fresh_consumer_settings, headers, produce, read_all, running
from tests.e2e.transfer_messages import keyed, requested, transfer_event
from tests.support import wait_until

pytestmark = pytest.mark.kafka


class FakeManager:
    def __init__(self, failing: frozenset[uuid.UUID] = frozenset()) -> None:
        self.failing = failing
        self.lock = threading.Lock()
        self.reacted: list[tuple[uuid.UUID, int | None]] = []
        self.tries: dict[uuid.UUID, int] = {}
        self.parked: dict[uuid.UUID, str] = {}
        self.fired: list[set[int] | None] = []

    def react(self, transfer_id: uuid.UUID, partition: int | None = None) -> None:
        with self.lock:
            self.tries[transfer_id] = self.tries.get(transfer_id, 0) + 1
            if transfer_id in self.failing:
                raise KeyError("TransferRequested")
            self.reacted.append((transfer_id, partition))

    def fire_due(self, partitions: set[int] | None) -> int:
        self.fired.append(partitions)
        return 0

    def park(self, transfer_id: uuid.UUID, reason: str) -> None:
        self.parked[transfer_id] = reason

    def ids(self) -> set[uuid.UUID]:
        with self.lock:
            return {transfer_id for transfer_id, _ in self.reacted}


def manager_consumer(manager: FakeManager, partitions: int = 1, **overrides):
    settings_ = fresh_consumer_settings(
        partitions, **{"max_attempts": settings.TRANSFER_MAX_ATTEMPTS, **overrides}
    )
    consumer = ManagerConsumer(settings_, manager, threads=4)
    return settings_.topic, settings_.dead_letter_topic, consumer


def test_each_transfer_message_makes_the_manager_react_with_its_partition():
    manager = FakeManager()
    topic, _, consumer = manager_consumer(manager, partitions=3)
    transfers = [uuid.uuid4() for _ in range(6)]
    for _ in running(consumer):
        produce(topic, [keyed(requested(t)) for t in transfers])
        wait_until(lambda: manager.ids() == set(transfers), what="a reaction to each transfer")
        assert all(partition in (0, 1, 2) for _, partition in manager.reacted)


def poison(transfer_id: uuid.UUID) -> list[tuple[bytes | None, bytes]]:
    good = requested(transfer_id)
    key = str(transfer_id).encode()

    def value(**changes) -> bytes:
        return orjson.dumps({**good, **changes})

    return [
        (key, b"\x00 not json at all"),
        (key, value(schema_version=7)),
        (key, value(event_type="TransferRenamed")),
        (b"not-a-uuid", value()),
        (None, value()),
        (key, value(data={**good["data"], "amount": "99999999999999999999.00"})),
        (key, value(data={**good["data"], "amount": "1e400"})),
        (key, value(aggregate_type="BankAccount")),
    ]


def test_poison_of_every_shape_is_dead_lettered_and_the_consumer_goes_on():
    manager = FakeManager()
    topic, dead_letters, consumer = manager_consumer(manager)
    before, after = uuid.uuid4(), uuid.uuid4()
    bad = poison(uuid.uuid4())
    for _ in running(consumer):
        produce(topic, [keyed(requested(before)), *bad, keyed(requested(after))])
        letters = read_all(dead_letters, len(bad))
        wait_until(lambda: manager.ids() == {before, after}, what="the messages around poison")
    reasons = [headers(letter)["error"] for letter in letters]
    for expected, reason in zip(
        [
            "undecodable JSON",
            "unknown schema 7",
            "unknown event type 'TransferRenamed'",
            "is not a UUID",
            "is not a UUID",
            "invalid amount",
            "invalid amount",
            "invalid aggregate_type 'BankAccount'",
        ],
        reasons,
        strict=True,
    ):
        assert expected in reason
    assert {headers(letter)["consumer_group"] for letter in letters} == {consumer.settings.group_id}
    assert manager.parked == {}


def test_a_transfer_that_keeps_failing_is_parked_after_its_attempts_and_blocks_nobody():
    stuck = uuid.uuid4()
    manager = FakeManager(failing=frozenset({stuck}))
    topic, dead_letters, consumer = manager_consumer(manager)
    others = [uuid.uuid4() for _ in range(3)]
    for _ in running(consumer):
        produce(topic, [keyed(requested(others[0])), keyed(requested(stuck))])
        produce(topic, [keyed(requested(t)) for t in others[1:]])
        wait_until(lambda: stuck in manager.parked, what="the transfer to be parked")
        wait_until(lambda: manager.ids() == set(others), what="the others to go on")
        [letter] = read_all(dead_letters, 1)
    attempts = settings.TRANSFER_MAX_ATTEMPTS
    assert manager.tries[stuck] == attempts
    reason = f"KeyError: 'TransferRequested' (after {attempts} attempts)"
    assert manager.parked[stuck] == reason
    assert headers(letter)["error"] == reason
    assert letter.key() == str(stuck).encode()
    assert consumer.totals["parked"] == 1


def test_later_events_of_a_transfer_in_one_batch_make_one_reaction():
    manager = FakeManager()
    topic, _, consumer = manager_consumer(manager)
    transfer_id = uuid.uuid4()
    events = [requested(transfer_id), transfer_event(transfer_id, 2, "TransferDebited")]

    for _ in running(consumer):
        produce(topic, [keyed(e) for e in events])
        wait_until(lambda: manager.ids() == {transfer_id}, what="a reaction")
        assert 1 <= manager.tries[transfer_id] <= 2


def test_the_deadline_ticker_fires_the_partitions_the_consumer_holds():
    manager = FakeManager()
    _, _, consumer = manager_consumer(manager, partitions=2)
    stop = threading.Event()
    ticker = DeadlineTicker(manager, lambda: consumer.assignment, 0.05, stop)
    thread = threading.Thread(target=ticker.run, daemon=True)
    thread.start()
    try:
        for _ in running(consumer):
            wait_until(lambda: {0, 1} in manager.fired, what="a pass over both partitions")
    finally:
        stop.set()
        thread.join(10)
    assert not thread.is_alive()


def test_a_failing_deadline_pass_never_stops_the_ticker():
    class Failing(FakeManager):
        def fire_due(self, partitions: set[int] | None) -> int:
            self.fired.append(partitions)
            raise RuntimeError("a bad entry")

    manager = Failing()
    stop = threading.Event()
    ticker = DeadlineTicker(manager, frozenset, 0.01, stop)
    thread = threading.Thread(target=ticker.run, daemon=True)
    thread.start()
    wait_until(lambda: len(manager.fired) >= 3, what="passes after a failing one")
    stop.set()
    thread.join(10)


def test_a_parked_transfer_is_listed_by_the_dead_letters_command_with_its_reason():
    stuck = uuid.uuid4()
    manager = FakeManager(failing=frozenset({stuck}))
    topic, dead_letters, consumer = manager_consumer(manager, max_attempts=2)
    for _ in running(consumer):
        produce(topic, [keyed(requested(stuck))])
        wait_until(lambda: stuck in manager.parked, what="the transfer to be parked")
    read_all(dead_letters, 1)
    out = StringIO()
    call_command("dead_letters", "--topic", dead_letters, "list", stdout=out)
    [row] = [line for line in out.getvalue().splitlines() if str(stuck) in line]
    assert "TransferRequested" in row
    assert consumer.settings.group_id in row
    assert row.endswith("KeyError: 'TransferRequested' (after 2 attempts)")
