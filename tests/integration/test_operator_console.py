"""The operator console in the admin, against the real event store and Kafka: an account's
history and chart from the store, the dead letters, the projection's lag per partition, and an
auditor with staff access who can read all of it and change nothing."""

import re
import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from confluent_kafka import Consumer, Producer, TopicPartition
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from api_platform.actors import actor_of
from apps.accounts_command.domain.events import FundsDeposited
from apps.accounts_command.infrastructure.event_codec import to_stored
from kernel.kafka_config import consumer_config, producer_config
from tests.console_support import produce_dead_letter
from tests.factories import AccountFactory
from tests.harness.processes import free_port
from tests.support import command, open_account
from tests.wired import event_store

pytestmark = [pytest.mark.django_db, pytest.mark.kafka]
ACCOUNTS = "/admin/accounts_query/account/"


@pytest.fixture
def staff_auditor(client, auditor):
    """A staff user in the auditors group (the `auditor` fixture puts the roles in place)."""
    user = get_user_model().objects.create_user("console-auditor", is_staff=True)
    user.groups.add(Group.objects.get(name="auditors"))
    client.force_login(user)
    return client


def history_versions(html: str) -> list[int]:
    return [int(v) for v in re.findall(r'<tr class="history-row" data-version="(\d+)">', html)]


def test_the_account_page_shows_the_history_from_the_event_store(staff_auditor, teller):
    account_id = open_account(teller, "Grace <b>Hopper</b>", "100.00")
    assert command(teller, account_id, "deposit", amount="50.00").status_code == 200
    assert command(teller, account_id, "withdraw", amount="30.25").status_code == 200
    # The read model row is behind (version 1): the history does not come from it.
    AccountFactory(id=uuid.UUID(account_id), holder="Grace <b>Hopper</b>", version=1)

    page = staff_auditor.get(f"{ACCOUNTS}{account_id}/change/")

    assert page.status_code == 200
    html = page.content.decode()
    assert history_versions(html) == [1, 2, 3]
    for text in ("AccountOpened", "FundsDeposited", "FundsWithdrawn", "amount: 30.25"):
        assert text in html
    assert "<b>Hopper</b>" not in html and "Grace &lt;b&gt;Hopper&lt;/b&gt;" in html
    chart = re.search(r'<svg class="balance-chart".*?</svg>', html, re.S)
    assert chart is not None
    balances = re.findall(r'<circle class="point"[^>]*data-balance="([\d.]+)"', chart.group())
    assert balances == ["100.00", "150.00", "119.75"]
    assert 'name="_save"' not in html and 'name="_continue"' not in html


def test_the_history_names_who_caused_each_change_and_dashes_the_legacy_ones(staff_auditor, teller):
    account_id = open_account(teller, "Ada", "10.00")
    # Version 2 as stored before actors were recorded: a request id, no actor.
    legacy = FundsDeposited(
        uuid.uuid4(),
        uuid.UUID(account_id),
        2,
        datetime(2026, 1, 1, tzinfo=UTC),
        Decimal("1.00"),
        Decimal("11.00"),
    )
    event_store().append(to_stored(legacy, {"request_id": "old-1"}))
    AccountFactory(id=uuid.UUID(account_id), holder="Ada")  # the read model's row
    html = staff_auditor.get(f"{ACCOUNTS}{account_id}/change/").content.decode()
    assert history_versions(html) == [1, 2]
    actors = re.findall(r'<td class="actor">(.*?)</td>', html)
    teller_user = get_user_model().objects.get(username="teller")
    assert actors == [actor_of(teller_user), "—"]
    assert '<th scope="col" title="Who caused it' in html


def test_an_unknown_account_has_no_history(staff_auditor):
    account = AccountFactory()  # in the read model, never in the store
    page = staff_auditor.get(f"{ACCOUNTS}{account.id}/change/")
    assert page.status_code == 200
    assert history_versions(page.content.decode()) == []
    assert b'class="balance-chart"' not in page.content


def test_dead_letters_are_listed_read_only(staff_auditor):
    key = str(uuid.uuid4())
    produce_dead_letter(key)

    page = staff_auditor.get("/admin/dead-letters/")

    assert page.status_code == 200
    html = page.content.decode()
    row = re.search(rf'<tr class="dead-letter"[^>]*>(?:(?!</tr>).)*{key}.*?</tr>', html, re.S)
    assert row is not None, "the dead letter is not listed"
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(), re.S)
    assert cells[1:8] == [
        settings.KAFKA_EVENTS_TOPIC,
        "2",
        "41",
        key,
        "FundsDeposited",
        "7",
        "FundsDeposited data is not an object &lt;script&gt;",
    ]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000", cells[8])
    assert staff_auditor.post("/admin/dead-letters/").status_code == 405


def test_the_index_shows_the_projection_lag_per_partition(staff_auditor, kafka_topic, settings):
    settings.KAFKA_CONSUMER_GROUP = group = f"console-{uuid.uuid4().hex[:8]}"
    producer = Producer(producer_config(settings.KAFKA_BOOTSTRAP_SERVERS))
    for partition, count in ((0, 5), (1, 2)):
        for _ in range(count):
            producer.produce(kafka_topic, b"x", partition=partition)
    assert producer.flush(10) == 0
    consumer = Consumer(consumer_config(settings.KAFKA_BOOTSTRAP_SERVERS, group))
    consumer.commit(offsets=[TopicPartition(kafka_topic, 0, 3)], asynchronous=False)
    consumer.close()

    html = staff_auditor.get("/admin/").content.decode()

    rows = re.findall(
        r'<tr class="lag-row" data-partition="(\d)">\s*<td>\d</td>\s*<td>(.*?)</td>\s*'
        r'<td>(\d+)</td>\s*<td class="lag">(\d+)</td>',
        html,
    )
    assert rows == [("0", "3", "5", "2"), ("1", "—", "2", "2"), ("2", "—", "0", "0")]
    assert kafka_topic in html and group in html
    assert 'href="/admin/dead-letters/"' in html


def test_without_kafka_the_pages_say_unavailable(staff_auditor, settings):
    settings.KAFKA_BOOTSTRAP_SERVERS = f"127.0.0.1:{free_port()}"
    index = staff_auditor.get("/admin/")
    assert index.status_code == 200
    assert b"unavailable: Kafka did not answer" in index.content
    assert b'class="lag-row"' not in index.content
    letters = staff_auditor.get("/admin/dead-letters/")
    assert letters.status_code == 200
    assert b'id="dead-letters-unavailable"' in letters.content


def test_the_auditor_reads_everything_and_changes_nothing(staff_auditor):
    account = AccountFactory(holder="Ada Lovelace")
    index = staff_auditor.get("/admin/")
    assert index.status_code == 200 and b'id="projection-lag"' in index.content
    listing = staff_auditor.get(ACCOUNTS)
    assert listing.status_code == 200 and b"Ada Lovelace" in listing.content
    assert b"addlink" not in listing.content and b'name="action"' not in listing.content
    detail = staff_auditor.get(f"{ACCOUNTS}{account.pk}/change/")
    assert detail.status_code == 200
    assert b'name="_save"' not in detail.content and b"deletelink" not in detail.content
    assert b'id="event-history"' in detail.content
    assert staff_auditor.get("/admin/dead-letters/").status_code == 200

    assert staff_auditor.post(f"{ACCOUNTS}{account.pk}/change/", {"holder": "X"}).status_code == 403
    assert staff_auditor.get(f"{ACCOUNTS}add/").status_code == 403
    assert staff_auditor.post(f"{ACCOUNTS}{account.pk}/delete/", {"post": "yes"}).status_code == 403
    account.refresh_from_db()
    assert account.holder == "Ada Lovelace"


def test_staff_without_the_auditors_rights_see_no_console(client, db):
    client.force_login(get_user_model().objects.create_user("bare-staff", is_staff=True))
    assert b'id="projection-lag"' not in client.get("/admin/").content
    assert client.get("/admin/dead-letters/").status_code == 403
    client.logout()
    assert client.get("/admin/dead-letters/").status_code == 302  # to the login page
