"""The console's dead-letter page shows what `manage.py dead_letters` shows: the event type of
each letter, whether the publisher's header or only the message's value carries it."""

import io
import json
import re
import time
import uuid

import pytest
from confluent_kafka import Producer
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command

from kernel.kafka_config import producer_config
from kernel.kafka_messages import produced

pytestmark = [pytest.mark.django_db, pytest.mark.kafka]
COLUMNS = ["offset", "topic", "partition", "original_offset", "key", "event_type", "version"]


@pytest.fixture
def staff_auditor(client, auditor):
    user = get_user_model().objects.create_user("letters-auditor", is_staff=True)
    user.groups.add(Group.objects.get(name="auditors"))
    client.force_login(user)
    return client


def dead_letter(key: str, value: bytes, headers: list[tuple[str, bytes]]) -> None:
    producer = Producer(producer_config(settings.KAFKA_BOOTSTRAP_SERVERS))
    headers = [*headers, ("error", b"poison"), ("dead_lettered_at", str(time.time()).encode())]
    producer.produce(
        settings.KAFKA_DEAD_LETTER_TOPIC, key=key, value=value, headers=produced(headers)
    )
    assert producer.flush(10) == 0


def page_row(html: str, key: str) -> dict[str, str]:
    row = re.search(rf'<tr class="dead-letter"[^>]*>(?:(?!</tr>).)*{key}.*?</tr>', html, re.S)
    assert row is not None, f"{key} is not listed"
    return dict(zip(COLUMNS, re.findall(r"<td[^>]*>(.*?)</td>", row.group(), re.S), strict=False))


def shown_by_the_command(offset: str) -> dict:
    out = io.StringIO()
    call_command("dead_letters", "show", offset, stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.parametrize(
    ("value", "headers", "event_type"),
    [
        (b"not json", [("event_type", b"FundsDeposited"), ("version", b"3")], "FundsDeposited"),
        (b'{"event_type": "TransferRequested", "version": 1}', [], "TransferRequested"),
        (b"\xff\xfe", [], ""),
    ],
    ids=["in the header", "in the value only", "nowhere"],
)
def test_the_page_shows_the_event_type_the_command_shows(staff_auditor, value, headers, event_type):
    key = str(uuid.uuid4())
    dead_letter(key, value, headers)

    row = page_row(staff_auditor.get("/admin/dead-letters/").content.decode(), key)
    shown = shown_by_the_command(row["offset"])

    assert shown["key"] == key
    assert row["event_type"] == shown["event_type"] == event_type
    assert row["version"] == shown["version"]
