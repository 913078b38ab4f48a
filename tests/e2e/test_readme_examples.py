"""The README cannot drift: every example of its how-to sections runs, in order, against a
live gunicorn (with consume_events and run_transfers, on topics of this test's own), and each
block's requests get the statuses its marker says (tests/harness/readme_examples.py)."""

import io
import secrets
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.conftest import new_topic
from tests.harness import leak_scan
from tests.harness.gunicorn import gunicorn
from tests.harness.processes import child_env, running, start_manage, start_worker
from tests.harness.readme_examples import Block, run_blocks, sh_blocks
from tests.harness.tokens import token_for
from tests.support import wait_until

# The sections a reader copies from: each `sh` block in them is marked, run or not.
HOW_TO = {
    "Getting a token",
    "OAuth2 client credentials (read and write scopes)",
    "OAuth2 for people: authorization code with PKCE",
    "Commands (write side)",
    "Safe retries: `Idempotency-Key`",
    "Strict request bodies",
    "An account as of a version or an instant (temporal query)",
    "Transfers between accounts",
    "Read-your-writes",
    "Queries (read side)",
    "Statements",
    "Users and API clients",
    "Health and readiness",
    "Request ids",
    "Admin",
}
# Blocks marked "not run", each with its reason in the README: a new one must be added here on
# purpose, so the list of what is not checked cannot grow silently.
NOT_RUN = 9


def test_every_how_to_block_is_marked_and_few_are_not_run():
    blocks = list(sh_blocks())
    assert {b.section for b in blocks} >= HOW_TO, "a how-to section was renamed or has no example"
    unmarked = [
        f"line {b.line} ({b.section})" for b in blocks if b.section in HOW_TO and not b.marker
    ]
    assert unmarked == [], "README sh blocks without an <!-- example: ... --> marker"
    not_run = [b for b in blocks if b.not_run]
    assert all(len(b.not_run or "") > 20 for b in not_run), "a block not run needs its reason"
    assert len(not_run) == NOT_RUN, [f"line {b.line}: {b.not_run}" for b in not_run]
    assert sum(len(b.expect) for b in blocks) >= 60, "fewer requests checked than expected"


def oauth_client(name: str) -> tuple[str, str]:
    """create_api_client --oauth's client_id and client_secret (README: OAuth2 client
    credentials), registered with leak_scan."""
    out = io.StringIO()
    call_command("create_api_client", name, role="teller", oauth=True, stdout=out)
    lines = dict(line.split("=", 1) for line in out.getvalue().splitlines() if "=" in line)
    leak_scan.issued(out.getvalue().split()[-1])
    return lines["client_id"], leak_scan.issued(lines["client_secret"])


def assigned(log: Path, consumers: int) -> bool:
    return log.exists() and log.read_text().count("consumer: assigned ") >= consumers


@pytest.fixture
def own_topics(swapped_settings):
    """Topics of this test's own: its fresh consumer groups read only its messages."""
    events = new_topic()
    with swapped_settings(
        KAFKA_EVENTS_TOPIC=events,
        KAFKA_DEAD_LETTER_TOPIC=f"{events}.dead-letter",
        KAFKA_TRANSFER_EVENTS_TOPIC=new_topic(),
        KAFKA_USER_EVENTS_TOPIC=new_topic(),
    ):
        yield


def test_the_readme_examples_run_as_written(transactional_db, event_store_db, own_topics, tmp_path):
    blocks: list[Block] = list(sh_blocks())
    run = f"readme-{uuid.uuid4().hex[:6]}"
    metrics_token = leak_scan.issued(secrets.token_urlsafe(24))
    client_id, client_secret = oauth_client(f"{run}-robot")
    # What the blocks that are not run would have set (README: Getting a token).
    shell = {
        "TOKEN": token_for("teller", f"{run}-alice"),
        "ADMIN": token_for("administrator", f"{run}-ops-bot"),
        "CLIENT_ID": client_id,
        "CLIENT_SECRET": client_secret,
        "METRICS_TOKEN": metrics_token,
    }
    workers = tmp_path / "worker.log", tmp_path / "transfers.log"
    worker = start_worker(f"{run}-worker", log=workers[0])
    transfers = start_manage(
        ["run_transfers", "--group", f"{run}-saga", "--rows-group", f"{run}-rows"], workers[1]
    )
    with (
        running(worker),
        running(transfers),
        gunicorn(tmp_path / "web.log", METRICS_TOKEN=metrics_token) as url,
    ):
        wait_until(
            lambda: assigned(workers[0], 1) and assigned(workers[1], 2),
            timeout=60,
            interval=0.2,
            what="consume_events and run_transfers to join their groups",
        )
        run_blocks(blocks, {**child_env(), **shell, "API": url}, tmp_path)
