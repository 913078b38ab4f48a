"""What the two fault tests of a server under keyed clients share: a gunicorn that may be killed
or find its store frozen, a `consume_events` worker, and clients that retry each command by its
Idempotency-Key until it gets a real answer (tests/harness/command_clients.py)."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.e2e.invariant import Ledger
from tests.harness.command_clients import retried_by_key
from tests.harness.gunicorn import Gunicorn, web_server
from tests.harness.ledger_load import LedgerLoad
from tests.harness.processes import running, start_worker
from tests.harness.tokens import token_for


@contextmanager
def keyed_load(tmp_path: Path, ledger: Ledger, group: str) -> Iterator[tuple[Gunicorn, LedgerLoad]]:
    """The server (3 workers) and the worker run for the block; the load is the test's to run."""
    token = token_for("teller")
    # A key whose request died with the server is recovered after this lease.
    web = web_server(tmp_path / "web.log", "--workers", "3", IDEMPOTENCY_LEASE_SECONDS="2")
    with running(start_worker(group, log=tmp_path / "worker.log")), web:
        yield web, LedgerLoad(ledger, retried_by_key(web.url, token))
