"""`manage.py run_transfers` as a process: its /healthz, and a clean stop on SIGTERM."""

import re
import signal
import urllib.request

import pytest

from tests.harness.processes import running, start_manage
from tests.support import wait_until

pytestmark = pytest.mark.kafka


def test_run_transfers_answers_healthz_and_stops_on_sigterm(transactional_db, tmp_path):
    log = tmp_path / "run_transfers.log"
    with running(start_manage(["run_transfers", "--http-port", "0"], log)) as process:
        port = wait_until(
            lambda: (m := re.search(r"health on port (\d+)", log.read_text())) and int(m[1]),
            what="run_transfers to start",
        )
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
            assert answer.status == 200
            assert b'"stuck": false' in answer.read()
        process.send_signal(signal.SIGTERM)
        assert process.wait(60) == 0, log.read_text()
    assert "stopping after the current batches" in log.read_text()
