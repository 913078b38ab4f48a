"""Issue 19, item 10: no secret leaves the credential store. Users and API clients are
registered, a secret rotated and a password changed; then the event store's documents, the
user and account topics and every log line written meanwhile are scanned: no password, hash,
secret or token appears in any (tests/harness/leak_scan.py does the looking)."""

import uuid
from io import StringIO

import orjson
import pytest
from confluent_kafka import Consumer
from django.conf import settings
from django.core.management import call_command
from knox.models import AuthToken
from oauth2_provider.models import Application
from rest_framework.test import APIClient

from apps.eventstore.documents import EventDocument
from apps.identity.bootstrap import SystemCommands
from apps.identity.domain import commands as cmd
from apps.identity.models import Credential
from kernel.kafka_messages import headers_of
from tests.harness import leak_scan
from tests.harness.tokens import ensure_roles
from tests.support import wait_until

pytestmark = pytest.mark.usefixtures("transactional_db", "event_store_db")
OPEN = {"holder": "Leak Check", "account_type": "SAVINGS", "opening_balance": "1.00"}


def messages_of(topic: str, event_ids: set[str]) -> list[str]:
    """Every message of `topic` (this run's), read until each of `event_ids` was seen."""
    reader = Consumer(
        {
            "bootstrap.servers": settings.KAFKA_BOOTSTRAP_SERVERS,
            "group.id": f"test-leaks-{uuid.uuid4().hex[:8]}",
            "auto.offset.reset": "earliest",
        }
    )
    reader.subscribe([topic])
    texts: list[str] = []
    seen: set[str] = set()

    def read() -> bool:
        for message in reader.consume(50, 0.5):
            if message.error():
                continue
            headers = b" ".join(v or b"" for _, v in headers_of(message))
            texts.append(f"{message.key()!r} {message.value()!r} {headers!r}")
            seen.add(orjson.loads(message.value() or b"").get("event_id"))
        return event_ids <= seen

    try:
        wait_until(read, timeout=60, what=f"every user event on {topic}")
    finally:
        reader.close()
    return texts


def test_no_password_hash_secret_or_token_leaves_the_credential_store(settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    ensure_roles()
    first_line = len(leak_scan.LINES)
    secrets: list[str] = []
    with SystemCommands("leak_check") as system:
        run = system.dispatch
        passwords = [f"first-{uuid.uuid4().hex}", f"second-{uuid.uuid4().hex}"]
        root = run(cmd.RegisterUser(None, "leak-root", passwords[0], ("administrator",)))
        teller = run(cmd.RegisterUser(root.user_id, "leak-person", passwords[1], ("teller",)))
        changed = f"changed-{uuid.uuid4().hex}"
        run(cmd.ChangePassword(root.user_id, teller.user_id, changed))
        client = run(cmd.RegisterApiClient(root.user_id, "leak-client", "teller"))
        rotated = run(cmd.RotateClientSecret(root.user_id, client.user_id))
        secrets += [*passwords, changed, client.token, client.client_secret]
        secrets += [rotated.token, rotated.client_secret]
    # The same through the command an operator runs (its output is the one place they show).
    out = StringIO()
    call_command("create_api_client", "leak-cli", role="auditor", oauth=True, stdout=out)
    printed = out.getvalue().splitlines()
    secrets += [printed[1].removeprefix("client_secret="), printed[-1].split()[-1]]
    # An account event made with the rotated token, for the account topic's scan.
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {rotated.token}")
    opened = api.post("/api/v1/accounts/open/", OPEN, format="json")
    assert opened.status_code == 201, opened.content
    # What the credential store keeps of them: hashes and digests, no less secret.
    secrets += list(Credential.objects.values_list("password_hash", flat=True))
    secrets += list(AuthToken.objects.values_list("digest", flat=True))
    secrets += list(Application.objects.values_list("client_secret", flat=True))
    secrets = [leak_scan.issued(s) for s in secrets if s]
    assert len(secrets) == 15  # 9 shown once, 2 hashes, 2 digests, 2 hashed secrets

    stored = list(EventDocument._get_collection().find({}))
    documents = [orjson.dumps(doc, default=str).decode() for doc in stored]
    users = {d["event_id"] for d in stored if d["aggregate_type"] == "User"}
    accounts = {d["event_id"] for d in stored if d["aggregate_type"] == "BankAccount"}
    # root, the person and its new password, the client and its rotation, the CLI's client
    assert (len(users), len(accounts)) == (6, 1)
    on_kafka = messages_of(settings.KAFKA_USER_EVENTS_TOPIC, users)
    on_kafka += messages_of(settings.KAFKA_EVENTS_TOPIC, accounts)
    lines = leak_scan.LINES[first_line:]
    assert lines, "the commands logged nothing: the scan would prove nothing"

    leaks = leak_scan.findings(secrets, files=[], lines=[*documents, *on_kafka, *lines])

    assert not leaks, "\n".join(map(str, leaks))
    # The scan can see: a secret in a scanned line would have been found.
    assert leak_scan.findings([secrets[0]], files=[], lines=[f"x {secrets[0]} y"])
