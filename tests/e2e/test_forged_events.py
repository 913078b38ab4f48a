"""A forged event is never applied: whoever reaches the broker and writes a well-formed
next-version event without our key gets it dead-lettered, and the read model stays as it was.
Keys rotate: an event signed with an older key still accepted is applied, one signed with a
retired key is not; the headers that say who caused an event are signed too
(apps/contract/signing.py)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal

import pytest
from confluent_kafka import Producer
from django.conf import settings

from apps.accounts_command.domain.commands import DepositFunds, OpenAccount
from apps.accounts_query.infrastructure.kafka_consumer import EventConsumer
from apps.accounts_query.models import Account, StatementLine
from apps.contract.signing import HEADER_SIGNATURE, Keyring, keyring
from apps.eventstore import wire
from apps.eventstore.records import StoredEvent
from kernel import request_context
from kernel.kafka_config import producer_config
from kernel.kafka_messages import produced
from tests import wired
from tests.e2e.conftest import make_consumer
from tests.e2e.test_poison_and_gaps import read_dead_letters
from tests.support import settled_totals, wait_until

pytestmark = pytest.mark.kafka

RETIRED, OLDER, CURRENT = "r" * 32, "o" * 32, "c" * 32


def produce(messages: list[tuple[bytes, bytes, Sequence[tuple[str, str | bytes | None]]]]) -> None:
    producer = Producer(producer_config(settings.KAFKA_BOOTSTRAP_SERVERS))
    for key, value, headers in messages:
        producer.produce(
            settings.KAFKA_EVENTS_TOPIC, key=key, value=value, headers=produced(headers)
        )
    assert producer.flush(10) == 0


def publish(event: StoredEvent, ring: Keyring) -> None:
    produce([wire.outgoing(event, ring)])


@contextmanager
def consuming() -> Iterator[EventConsumer]:
    """A projection consumer built now, from the settings as they are now (its keyring)."""
    consumer = make_consumer()
    thread = threading.Thread(target=consumer.run, daemon=True)
    thread.start()
    try:
        yield consumer
    finally:
        consumer.stop.set()
        thread.join(30)
    assert not thread.is_alive(), "the consumer did not stop after its batch"


def test_a_forged_next_version_event_is_dead_lettered_and_never_applied(
    consumer_thread, event_store_db
):
    dispatcher, store = wired.unpublished()
    account_id = dispatcher.dispatch(OpenAccount("Forged", "SAVINGS", Decimal("10"))).account_id
    dispatcher.dispatch(DepositFunds(account_id, Decimal("5")))
    opened, deposited = store.get(str(account_id), 1), store.get(str(account_id), 2)
    ring = keyring(settings)
    publish(opened, ring)
    wait_until(lambda: Account.objects.filter(pk=account_id, version=1).exists(), what="v1")

    # Version 2 as a forger would write it: valid JSON, the contract's shape, the next
    # version, a million more; the right key id, but no key, a guessed key, or a genuine
    # signature of another message.
    message = json.loads(wire.encode(deposited))
    message["data"] = {"amount": "1000000.00", "balance": "1000010.00"}
    forged = json.dumps(message).encode()
    key = str(account_id).encode()
    guessed = Keyring(ring.current_id, b"g" * 64)
    genuine_elsewhere = ring.sign(key, wire.encode(deposited))
    produce(
        [
            (key, forged, wire.headers(deposited)),
            (key, forged, [(HEADER_SIGNATURE, guessed.sign(key, forged))]),
            (key, forged, [(HEADER_SIGNATURE, genuine_elsewhere)]),
        ]
    )
    letters = read_dead_letters(3)
    assert {m.value() for m in letters} == {forged}
    reasons = sorted(dict(m.headers())["error"].decode() for m in letters)
    assert reasons == [
        "unauthenticated: no signature header",
        "unauthenticated: the signature does not match the message",
        "unauthenticated: the signature does not match the message",
    ]
    settled_totals(consumer_thread, dead_lettered=3)
    row = Account.objects.get(pk=account_id)
    assert (row.version, row.balance) == (1, Decimal("10.00"))
    assert StatementLine.objects.filter(account_id=account_id).count() == 1

    # The worker goes on: the genuine version 2 is applied as if nothing had come before it.
    publish(deposited, ring)
    row = wait_until(
        lambda: Account.objects.filter(pk=account_id, version=2).first(), what="genuine v2"
    )
    assert row.balance == Decimal("15.00")


def test_an_older_accepted_key_is_applied_and_a_retired_one_is_dead_lettered(
    transactional_db, kafka_topic, event_store_db, swapped_settings
):
    dispatcher, store = wired.unpublished()
    names = ("Older key", "Retired key", "Current key")
    ids = [dispatcher.dispatch(OpenAccount(n, "CURRENT", Decimal("1"))).account_id for n in names]
    older, retired, current = (store.get(str(i), 1) for i in ids)
    # Mid-rotation: writers sign with k2; readers accept k2 and k1; k0 was retired.
    with (
        swapped_settings(
            EVENT_SIGNING_KEY_ID="k2",
            EVENT_SIGNING_KEY=CURRENT,
            EVENT_SIGNING_OLDER_KEYS=f"k1:{OLDER}",
        ),
        consuming() as consumer,
    ):
        publish(older, Keyring("k1", OLDER.encode()))
        publish(retired, Keyring("k0", RETIRED.encode()))
        publish(current, keyring(settings))
        wait_until(
            lambda: Account.objects.filter(pk__in=[ids[0], ids[2]]).count() == 2,
            what="the events signed with k1 and k2 applied",
        )
        [letter] = read_dead_letters(1)
        assert letter.key() == str(ids[1]).encode()
        assert dict(letter.headers())["error"] == (
            b"unauthenticated: signed with key id 'k0', which is not accepted"
        )
        settled_totals(consumer, dead_lettered=1)
        assert not Account.objects.filter(pk=ids[1]).exists()


def test_a_forged_or_stripped_actor_header_is_dead_lettered_and_the_genuine_applied(
    consumer_thread, event_store_db
):
    """Who caused an event travels as headers covered by the signature: a consumer applies a
    message with them, and dead-letters one whose actor was changed or whose metadata headers
    were taken off (which would make it look like an event stored before actors)."""
    dispatcher, store = wired.unpublished()
    with request_context.bound(request_id="req-a", actor="user:1", causation_id="command-1"):
        account_id = dispatcher.dispatch(OpenAccount("Caused", "SAVINGS", Decimal("10"))).account_id
    opened = store.get(str(account_id), 1)
    assert opened.metadata["actor"] == "user:1"
    key, value, headers = wire.outgoing(opened, keyring(settings))
    assert dict(headers)["actor"] == b"user:1" and dict(headers)["correlation_id"] == b"req-a"
    forged = [(k, b"system:run_transfers" if k == "actor" else v) for k, v in headers]
    causal = ("actor", "correlation_id", "causation_id")
    stripped = [(k, v) for k, v in headers if k not in causal]
    produce([(key, value, forged), (key, value, stripped)])
    letters = read_dead_letters(2)
    assert [dict(m.headers())["error"] for m in letters] == [
        b"unauthenticated: the signature does not match the message"
    ] * 2
    settled_totals(consumer_thread, dead_lettered=2)
    assert not Account.objects.filter(pk=account_id).exists()

    publish(opened, keyring(settings))  # genuine, its metadata headers as signed
    wait_until(lambda: Account.objects.filter(pk=account_id, version=1).exists(), what="v1")
