"""Identity commands under races and crashes, each ending in an invariant checked against a
fold of the event store: one registration of a name wins; administrators suspending each
other leave one active; a project_users killed mid-stream and restarted leaves the projection
equal to the fold of every stream."""

import signal
import threading
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from confluent_kafka import Producer
from django.conf import settings
from django.db import connection

from apps.contract.signing import keyring
from apps.eventstore.wire import outgoing
from apps.identity.bootstrap import identity, identity_commands
from apps.identity.domain import commands as cmd
from apps.identity.domain.errors import IdentityError
from apps.identity.domain.user import User
from apps.identity.domain.user_ids import user_id_for
from apps.identity.infrastructure import passwords
from apps.identity.infrastructure.event_codec import to_stored
from apps.identity.infrastructure.repository import user_events
from apps.identity.models import ActorAction, UserIdentity
from kernel.kafka_config import producer_config
from kernel.kafka_messages import produced
from tests import wired
from tests.conftest import new_topic
from tests.harness.processes import start_manage
from tests.harness.tokens import ensure_roles
from tests.support import wait_until

pytestmark = [pytest.mark.kafka, pytest.mark.usefixtures("transactional_db", "event_store_db")]


@pytest.fixture
def dispatch(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ensure_roles()
    return identity_commands(wired.get().event_store).dispatch


def at_once(tasks: list[Callable[[], object]]) -> list[object]:
    """Runs the tasks in threads released together; what each returned or raised."""
    start = threading.Barrier(len(tasks))
    outcomes: list[object] = [None] * len(tasks)

    def run(index: int) -> None:
        try:
            start.wait()
            outcomes[index] = tasks[index]()
        except Exception as exc:  # noqa: BLE001  (the outcome is what the test checks)
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(tasks))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return outcomes


def folded(user_id: uuid.UUID) -> User:
    return User.rebuild(user_id, user_events(wired.event_store(), user_id))


def test_concurrent_registrations_of_one_name_let_exactly_one_win(dispatch):
    roles = [("teller",), ("auditor",), ("teller", "auditor"), ("auditor",)] * 2
    outcomes = at_once(
        [
            (lambda r=r, n=n: dispatch(cmd.RegisterUser(None, "Race", f"pw number {n}!", r)))
            for n, r in enumerate(roles)
        ]
    )
    codes = Counter(getattr(o, "code", type(o).__name__) for o in outcomes)
    assert codes == {"UserChanged": 1, "username_taken": len(roles) - 1}, outcomes
    (winner,) = [n for n, o in enumerate(outcomes) if not isinstance(o, IdentityError)]
    user = folded(user_id_for("race"))
    assert (user.version, user.roles) == (1, tuple(sorted(roles[winner])))
    # The winner's password, never a loser's.
    assert passwords.check_password(user.id, f"pw number {winner}!")
    row = UserIdentity.objects.get(id=user.id)
    assert (row.version, row.roles) == (1, ",".join(sorted(roles[winner])))


@pytest.mark.parametrize("round_", range(3))
def test_administrators_suspending_each_other_leave_one_active(dispatch, round_):
    a = dispatch(cmd.RegisterUser(None, f"adm-a{round_}", "a long pw 1", ("administrator",)))
    b = dispatch(cmd.RegisterUser(None, f"adm-b{round_}", "a long pw 2", ("administrator",)))
    outcomes = at_once(
        [
            lambda: dispatch(cmd.SuspendUser(a.user_id, b.user_id)),
            lambda: dispatch(cmd.SuspendUser(b.user_id, a.user_id)),
            lambda: dispatch(cmd.ChangeRoles(a.user_id, b.user_id, ("teller",))),
            lambda: dispatch(cmd.RemoveUser(b.user_id, a.user_id)),
        ]
    )
    assert any(not isinstance(o, Exception) for o in outcomes), outcomes
    assert {getattr(o, "code", None) for o in outcomes if isinstance(o, Exception)} <= {
        "last_administrator",
        "user_not_active",
        "user_removed",
    }, outcomes
    # The invariant, from the store: every administrator ever registered in this test.
    active = [u for u in (folded(a.user_id), folded(b.user_id)) if u.is_active_administrator]
    assert len(active) >= 1
    admins = UserIdentity.objects.filter(status="active", roles="administrator")
    assert {row.id for row in admins} == {u.id for u in active}


USERS = 120


def backlog(topic: str) -> list[uuid.UUID]:
    """USERS users, three events each, stored and put on `topic` but never projected: what
    commands leave when their processes die before projecting."""
    producer = Producer(producer_config(settings.KAFKA_BOOTSTRAP_SERVERS))
    ids = []
    for n in range(USERS):
        user = User(user_id_for(f"crash-{n}"), clock=lambda: datetime.now(UTC))
        user.register(f"crash-{n}", ("teller",), f"Crash {n}")
        user.change_roles(("auditor",), uuid.uuid4(), 1)
        if n % 2:
            user.suspend(uuid.uuid4(), 1)
        for event in user.pull_pending_events():
            stored = to_stored(event, {"actor": "system:test"})
            wired.event_store().append(stored)
            key, value, headers = outgoing(stored, keyring(settings))
            producer.produce(topic, key=key, value=value, headers=produced(headers))
        ids.append(user.id)
    assert producer.flush(30) == 0
    return ids


def test_project_users_killed_mid_stream_restarts_to_the_fold_of_the_store(
    swapped_settings, tmp_path
):
    ensure_roles()
    topic = new_topic(3)
    with swapped_settings(KAFKA_USER_EVENTS_TOPIC=topic):
        ids = backlog(topic)
        group, trail = f"test-users-{uuid.uuid4().hex[:8]}", f"test-trail-{uuid.uuid4().hex[:8]}"
        argv = ["project_users", "--group", group, "--trail-group", trail, "--batch-size", "5"]
        log = tmp_path / "project_users.log"
        first = start_manage(argv, log)
        try:
            wait_until(
                lambda: UserIdentity.objects.filter(id__in=ids).count() > 5,
                timeout=90,
                interval=0.01,
                what="the first project_users to project something",
            )
            first.send_signal(signal.SIGKILL)
            first.wait(10)
        finally:
            first.kill()
        at_kill = UserIdentity.objects.filter(id__in=ids).count()
        assert at_kill < USERS, "the kill came too late to be mid-stream"
        second = start_manage(argv, log)
        try:
            wait_until(
                lambda: (
                    UserIdentity.objects.filter(id__in=ids).count() == USERS
                    and ActorAction.objects.filter(aggregate_id__in=map(str, ids)).count()
                    == USERS * 2 + USERS // 2
                ),
                timeout=120,
                what="every user projected and every event in the trail",
            )
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(60)
    projection = identity(wired.get().event_store).projection
    for user_id in ids:
        fold = folded(user_id)
        row = UserIdentity.objects.select_related("user").get(id=user_id)
        assert (row.version, row.status, row.roles, row.display_name) == (
            fold.version,
            fold.status,
            ",".join(fold.roles),
            fold.display_name,
        )
        assert row.user.is_active == (fold.status == "active")
        assert list(row.user.groups.values_list("name", flat=True)) == ["auditors"]
    assert projection.apply(ids[0], user_events(wired.event_store(), ids[0])) is False
