"""`project_users`' consumers on real Kafka, MySQL and event store: the projection repaired from
the user topic (a command whose process died before projecting), a removed user's leftover
credentials deleted, the actors' trail from every topic, hostile messages dead-lettered."""

import uuid
from datetime import UTC, datetime

import orjson
import pytest
from confluent_kafka import Producer
from django.conf import settings
from knox.models import AuthToken

from apps.contract.signing import keyring
from apps.eventstore.wire import outgoing
from apps.identity.bootstrap import identity
from apps.identity.domain.user import User
from apps.identity.domain.user_ids import user_id_for
from apps.identity.infrastructure.credentials import DjangoCredentialStore
from apps.identity.infrastructure.event_codec import to_stored
from apps.identity.infrastructure.projector import DjangoUserProjection
from apps.identity.infrastructure.user_consumers import ActorTrailConsumer, UserEventsConsumer
from apps.identity.models import ActorAction, UserIdentity
from kernel.kafka_config import producer_config
from kernel.kafka_messages import produced
from tests import wired
from tests.e2e.kafka_topics import consumer_settings, fresh_topics, produce, read_all, running
from tests.harness.tokens import ensure_roles
from tests.support import settled_totals, wait_until

pytestmark = pytest.mark.kafka
NOW = datetime(2026, 12, 6, 12, 0, 0, 123000, tzinfo=UTC)


def send(topic: str, stored_events) -> None:
    producer = Producer(producer_config(settings.KAFKA_BOOTSTRAP_SERVERS))
    for event in stored_events:
        key, value, headers = outgoing(event, keyring(settings))
        producer.produce(topic, key=key, value=value, headers=produced(headers))
    assert producer.flush(30) == 0


@pytest.fixture
def users(transactional_db, event_store_db):
    ensure_roles()
    topic, dead_letters = fresh_topics()
    consumer = UserEventsConsumer(
        consumer_settings(topic, dead_letters),
        wired.event_store(),
        DjangoUserProjection(wired.event_store()),
        DjangoCredentialStore(),
    )
    for running_consumer in running(consumer):
        yield topic, dead_letters, running_consumer


def stored_unprojected(user: User) -> list:
    """The user's pending events stored as a command stores them, never projected: the web
    process that died between its append and its projection."""
    events = [to_stored(e, {"actor": "system:test"}) for e in user.pull_pending_events()]
    for event in events:
        wired.event_store().append(event)
    return events


def test_the_consumer_projects_what_a_dead_process_left_unprojected(users):
    topic, _, consumer = users
    user = User(user_id_for("late"), clock=lambda: NOW)
    user.register("late", ("teller",), "Late L.")
    events = stored_unprojected(user)
    send(topic, events)
    row = wait_until(lambda: UserIdentity.objects.filter(id=user.id).first(), what="the row")
    assert (row.username, row.roles, row.version, row.status) == ("late", "teller", 1, "active")
    trail = wait_until(lambda: ActorAction.objects.filter(aggregate_id=str(user.id)).first())
    assert (trail.actor, trail.event_type, trail.version) == ("system:test", "UserRegistered", 1)
    send(topic, events)  # a repeat changes nothing
    settled_totals(consumer, projected=2)
    assert ActorAction.objects.filter(aggregate_id=str(user.id)).count() == 1


def test_a_removed_users_leftover_credentials_are_deleted(users, settings):
    topic, _, _ = users
    dispatcher_identity = identity(wired.get().event_store)
    user = User(user_id_for("leaver"), clock=lambda: NOW)
    user.register_api_client("leaver", "teller")
    send(topic, stored_unprojected(user))
    wait_until(lambda: UserIdentity.objects.filter(id=user.id).exists(), what="the row")
    dispatcher_identity.credentials.issue_api_token(user.id)
    user.revoke_api_client(uuid.uuid4(), 1)  # its process died before deleting credentials
    send(topic, stored_unprojected(user))
    wait_until(
        lambda: not AuthToken.objects.filter(user__identity__id=user.id).exists(),
        what="the leftover token deleted",
    )
    assert UserIdentity.objects.get(id=user.id).status == "removed"


@pytest.mark.parametrize(
    ("key", "value", "reason"),
    [
        (b"x", b"not json", "undecodable JSON"),
        (None, orjson.dumps({"aggregate_type": "User", "event_type": "Nope"}), "unknown event"),
        (
            str(user_id_for("mallory")).encode(),
            orjson.dumps(
                {
                    "event_type": "UserRegistered",
                    "schema_version": 1,
                    "event_id": str(uuid.uuid4()),
                    "aggregate_id": str(user_id_for("mallory")),
                    "aggregate_type": "User",
                    "version": 1,
                    "timestamp": NOW.isoformat(),
                    "data": {"username": "mallory", "display_name": "", "roles": ["root"]},
                }
            ),
            "invalid roles",
        ),
    ],
    ids=["json", "type", "roles"],
)
def test_a_hostile_message_is_dead_lettered_and_the_consumer_goes_on(users, key, value, reason):
    topic, dead_letters, _ = users
    produce(topic, [(key, value)])
    (letter,) = read_all(dead_letters, 1)
    assert reason in dict(letter.headers())["error"].decode()
    user = User(user_id_for("after"), clock=lambda: NOW)
    user.register("after", ("auditor",), "")
    send(topic, stored_unprojected(user))
    wait_until(lambda: UserIdentity.objects.filter(id=user.id).exists(), what="the next one")
    assert not UserIdentity.objects.filter(username="mallory").exists()


def test_the_trail_records_account_and_transfer_events_with_or_without_an_actor(
    transactional_db, event_store_db
):
    accounts, dead_letters = fresh_topics()
    transfers, _ = fresh_topics()
    consumer = ActorTrailConsumer(consumer_settings(accounts, dead_letters), [accounts, transfers])
    from apps.eventstore.records import StoredEvent

    account = str(uuid.uuid4())
    actor = str(user_id_for("teller-1"))
    # Its metadata travels as headers, signed with the message (apps/eventstore/wire.py).
    metadata = {"actor": actor, "correlation_id": "req-1", "causation_id": "c-1"}
    opened = StoredEvent(
        str(uuid.uuid4()), account, "BankAccount", 1, "AccountClosed", 1, {}, NOW, metadata
    )
    for _ in running(consumer):
        send(accounts, [opened])
        row = wait_until(lambda: ActorAction.objects.filter(aggregate_id=account).first())
        assert (row.actor, row.metadata["correlation_id"], row.event_type) == (
            actor,
            "req-1",
            "AccountClosed",
        )
        old = StoredEvent(str(uuid.uuid4()), account, "BankAccount", 2, "AccountClosed", 1, {}, NOW)
        send(accounts, [old])  # stored before issue 19: no actor header
        wait_until(lambda: ActorAction.objects.filter(aggregate_id=account, version=2).exists())
        assert ActorAction.objects.get(aggregate_id=account, version=2).actor == ""
