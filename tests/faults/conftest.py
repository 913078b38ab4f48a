"""Fixtures of the fault tests: the private servers they freeze, and the transfers' rig."""

from collections.abc import Iterator

import pytest
from django.conf import settings

from apps.eventstore.store import ensure_indexes
from tests import wired
from tests.faults.transfer_rig import TIMEOUT_SECONDS, TransferRig
from tests.harness.ferretdb import PrivateFerretDB
from tests.harness.kafka import create_topics


@pytest.fixture
def ferretdb(event_store_db, swapped_settings, tmp_path) -> Iterator[PrivateFerretDB]:
    """This process and its children use a private FerretDB while the test runs."""
    with (
        PrivateFerretDB(tmp_path / "ferretdb") as server,
        swapped_settings(MONGODB_URL=server.url),
    ):
        ensure_indexes()
        yield server


@pytest.fixture
def transfer_topic(kafka_topic: str, swapped_settings) -> Iterator[str]:
    """A transfers topic of this test's own, next to kafka_topic's account-events topic; the
    web side (this process) gives transfers the rig's short deadline."""
    name = f"{kafka_topic}.transfers"
    create_topics(settings.KAFKA_BOOTSTRAP_SERVERS, {name: 3})
    with swapped_settings(
        KAFKA_TRANSFER_EVENTS_TOPIC=name, TRANSFER_TIMEOUT_SECONDS=TIMEOUT_SECONDS
    ):
        yield name
        wired.publisher().flush(10)


@pytest.fixture
def rig(transactional_db, event_store_db, transfer_topic, tmp_path) -> Iterator[TransferRig]:
    running = TransferRig(tmp_path, {"KAFKA_TRANSFER_EVENTS_TOPIC": transfer_topic})
    yield running
    running.stop()
