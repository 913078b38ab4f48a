"""`project_users`' two consumers, on the consumer base (apps/messaging: signature, contract,
dead letters, bounded tries, outage pause):

- UserEventsConsumer reads the user-events topic: projects each user it names again (a fold
  of its whole stream read from the store, idempotent and version-guarded: it repairs a
  command whose process died after storing and before projecting), enforces what the status
  means for credentials (a removed user's are deleted, a suspended user's sessions ended: the
  same crash window), and records the stream's events in the actors' trail with the metadata
  as stored;
- ActorTrailConsumer reads the account and transfer topics and records their events in the
  trail, with the metadata headers (actor, correlation_id, causation_id) when present.
"""

from __future__ import annotations

import logging
from uuid import UUID

from confluent_kafka import Message
from django.db import transaction

from apps.contract.user_events import AGGREGATE_TYPE as USER
from apps.contract.user_events import Status
from apps.eventstore.interface import StreamReader
from apps.messaging.consumer import BatchConsumer, ConsumerSettings, Delivery, Failures, Poison
from kernel.kafka_messages import headers_of

from ..application.ports import CredentialStore
from ..domain.user_message import Envelope, InvalidUserMessage, decode
from ..models import UserIdentity
from . import actor_trail
from .event_codec import from_stored
from .projector import DjangoUserProjection

log = logging.getLogger(__name__)


def decoded(message: Message) -> Envelope:
    try:
        return decode(message.key(), message.value(), headers_of(message))
    except InvalidUserMessage as exc:
        raise Poison(str(exc)) from None


class UserEventsConsumer(BatchConsumer[Envelope]):
    def __init__(
        self,
        settings: ConsumerSettings,
        store: StreamReader,
        projection: DjangoUserProjection,
        credentials: CredentialStore,
    ) -> None:
        super().__init__(settings)
        self.store = store
        self.projection = projection
        self.credentials = credentials
        self.totals.update({"projected": 0, "trail": 0})

    def decode(self, message: Message) -> Envelope:
        envelope = decoded(message)
        if envelope.aggregate_type != USER:
            raise Poison(f"a {envelope.aggregate_type} event on the user-events topic")
        return envelope

    def process(self, deliveries: list[Delivery[Envelope]]) -> Failures[Envelope]:
        for user_id in dict.fromkeys(d.value.aggregate_id for d in deliveries):
            self.project(UUID(user_id))
        return []

    def project(self, uid: UUID) -> None:
        # The whole stream, from the store: the fold the projection shows, and the trail's
        # rows with the metadata as stored (a message lost or not yet here is filled in).
        stored = self.store.read_stream(str(uid))
        if not stored or stored[0].aggregate_type != USER:
            return
        self.projection.apply(uid, [from_stored(event) for event in stored])
        with transaction.atomic():
            self.totals["trail"] += actor_trail.record(map(actor_trail.from_store, stored))
        self.totals["projected"] += 1
        status = UserIdentity.objects.filter(id=uid).values_list("status", flat=True).first()
        if status == Status.REMOVED:
            self.credentials.revoke_all(uid)
        elif status == Status.SUSPENDED:
            self.credentials.end_sessions(uid)

    def batch_handled(self, size: int, dead_lettered: int) -> None:
        log.info("batch of %d user event(s) projected; dead-lettered %d", size, dead_lettered)


class ActorTrailConsumer(BatchConsumer[Envelope]):
    def __init__(self, settings: ConsumerSettings, topics: list[str]) -> None:
        super().__init__(settings)
        self.subscribed = topics
        self.totals.update({"trail": 0})

    def topics(self) -> list[str]:
        return self.subscribed

    def decode(self, message: Message) -> Envelope:
        return decoded(message)

    def process(self, deliveries: list[Delivery[Envelope]]) -> Failures[Envelope]:
        with transaction.atomic():
            self.totals["trail"] += actor_trail.record(d.value for d in deliveries)
        return []

    def batch_handled(self, size: int, dead_lettered: int) -> None:
        log.info(
            "batch of %d event(s) added to the actors' trail; dead-lettered %d", size, dead_lettered
        )
