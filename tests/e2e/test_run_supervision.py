"""scripts/run.sh supervises its worker: kill -9 it and the web serves on while it comes back."""

import os
import signal
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.harness.processes import ROOT, child_env, free_port, kill, spawn
from tests.harness.tokens import authorization, token_for
from tests.support import wait_until

pytestmark = pytest.mark.kafka


@dataclass
class Run:
    process: subprocess.Popen
    base: str
    headers: dict[str, str]
    run_dir: Path
    log: Path

    def pid(self, name: str) -> int | None:
        path = self.run_dir / f"{name}.pid"
        text = path.read_text().strip() if path.exists() else ""  # read once: no race
        return int(text) if text else None

    def get(self, path: str) -> requests.Response:
        return requests.get(f"{self.base}{path}", headers=self.headers, timeout=10)

    def post(self, path: str, body: dict) -> requests.Response:
        return requests.post(f"{self.base}{path}", json=body, headers=self.headers, timeout=30)

    def version(self, account: str) -> int:
        response = self.get(f"/api/v1/accounts/{account}/")
        return response.json()["version"] if response.status_code == 200 else 0

    def group_alive(self) -> bool:
        try:
            os.killpg(self.process.pid, 0)
        except ProcessLookupError:
            return False
        return True


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def run_sh(transactional_db, event_store_db, kafka_topic, tmp_path) -> Iterator[Run]:
    token = token_for("teller")
    port = free_port()
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    log = tmp_path / "run.log"
    env = {
        **child_env(),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_WORKERS": "2",
        "RUN_DIR": str(run_dir),
        # Groups of its own: a shared one would start from what earlier tests left behind.
        **{
            group: f"test-run-sh-{uuid.uuid4().hex[:8]}"
            for group in (
                "KAFKA_CONSUMER_GROUP",
                "TRANSFERS_CONSUMER_GROUP",
                "TRANSFERS_PROJECTION_GROUP",
                "USERS_CONSUMER_GROUP",
                "USERS_TRAIL_GROUP",
            )
        },
        "STOP_GRACE_SECONDS": "5",
        "DEBUG": "false",
    }
    # Its own process group, to see that all of it ends.
    process = spawn(["bash", str(ROOT / "scripts" / "run.sh")], log, env, group=True)
    run = Run(process, f"http://127.0.0.1:{port}", authorization(token), run_dir, log)
    try:
        wait_until(lambda: serves(run), timeout=60, what=f"run.sh to serve (log: {log})")
        yield run
    finally:
        kill(process)


def serves(run: Run) -> bool:
    try:
        return run.get("/api/v1/accounts/").status_code == 200
    except requests.RequestException:
        return False


def stopped(run: Run) -> int:
    """run.sh's status once it has ended (within 60 s); its log when it has not."""
    try:
        return run.process.wait(60)
    except subprocess.TimeoutExpired:
        log = run.log.read_text()[-8000:]
        pytest.fail(f"run.sh still running after 60 s; its log ends:\n{log}")


def kill_worker(run: Run) -> int:
    pid = wait_until(lambda: run.pid("worker"), what="worker.pid")
    os.kill(pid, signal.SIGKILL)
    wait_until(lambda: not alive(pid), what="the killed worker to be gone")
    return pid


def test_a_killed_worker_is_restarted_with_backoff_while_the_web_serves(run_sh):
    run = run_sh
    opened = run.post(
        "/api/v1/accounts/open/",
        {"holder": "Grace Hopper", "account_type": "CURRENT", "opening_balance": "10.00"},
    )
    assert opened.status_code == 201, opened.text
    account = opened.json()["id"]
    wait_until(lambda: run.version(account) == 1, timeout=60, what="the opening projected")

    first = kill_worker(run)
    # The web serves on during the outage: reads from MySQL, commands into the event store.
    assert run.get("/api/v1/accounts/").status_code == 200
    deposit = run.post(f"/api/v1/accounts/{account}/deposit/", {"amount": "5.00"})
    assert deposit.status_code == 200, deposit.text
    second = wait_until(
        lambda: (pid := run.pid("worker")) != first and pid and alive(pid) and pid,
        timeout=30,
        what="a new worker",
    )
    # Dying again at once doubles the delay.
    kill_worker(run)
    third = wait_until(
        lambda: (pid := run.pid("worker")) not in (first, second) and pid and alive(pid) and pid,
        timeout=30,
        what="a third worker",
    )
    wait_until(lambda: run.version(account) == 2, timeout=60, what="the deposit projected")
    assert alive(third)

    log = run.log.read_text()
    assert f"worker started (pid {first})" in log
    assert "worker died (status 137" in log
    assert "restarting in 1 s" in log
    assert "restarting in 2 s" in log

    # A requested stop stops everything, and restarts nothing.
    run.process.send_signal(signal.SIGTERM)
    assert stopped(run) == 0
    wait_until(lambda: not run.group_alive(), timeout=30, what="every process of run.sh to end")
    log = run.log.read_text()
    assert log.rstrip().endswith("stopped.")
    assert "restarting in 4 s" not in log
    assert "stopping after the current batch" in log  # the worker stopped cleanly


def test_when_the_web_server_dies_everything_stops_non_zero(run_sh):
    run = run_sh
    worker = wait_until(lambda: run.pid("worker"), what="worker.pid")
    os.kill(run.pid("web"), signal.SIGKILL)
    assert stopped(run) == 1
    wait_until(lambda: not run.group_alive(), timeout=30, what="every process of run.sh to end")
    assert not alive(worker)
    assert "web server exited (status 137); stopping the worker" in run.log.read_text()


def test_ctrl_c_stops_everything_and_restarts_nothing(run_sh):
    run = run_sh
    worker = wait_until(lambda: run.pid("worker"), what="worker.pid")
    # Steady state: the worker's consumer, run_transfers' two and project_users' two have each
    # been assigned their partitions (any "assigned" alone may be another's while one starts).
    wait_until(
        lambda: run.log.read_text().count("apps.messaging.consumer: assigned") >= 5,
        timeout=90,
        what="the worker, run_transfers and project_users to join their groups",
    )
    os.killpg(run.process.pid, signal.SIGINT)  # what a terminal sends to the whole group
    assert stopped(run) == 0
    wait_until(lambda: not run.group_alive(), timeout=30, what="every process of run.sh to end")
    assert not alive(worker)
    log = run.log.read_text()
    assert "worker died" not in log
    assert log.count("worker started") == 1
    assert "run.sh: worker stopped" in log
    assert log.rstrip().endswith("stopped.")


def test_a_frozen_worker_is_killed_after_the_grace_and_the_stop_still_ends(run_sh):
    run = run_sh
    worker = wait_until(lambda: run.pid("worker"), what="worker.pid")
    wait_until(
        lambda: run.log.read_text().count("apps.messaging.consumer: assigned") >= 5,
        timeout=90,
        what="the worker, run_transfers and project_users to join their groups",
    )
    os.kill(worker, signal.SIGSTOP)  # frozen: it can neither stop nor say why
    os.killpg(run.process.pid, signal.SIGINT)
    assert stopped(run) == 0
    wait_until(lambda: not run.group_alive(), timeout=30, what="every process of run.sh to end")
    log = run.log.read_text()
    assert f"worker (pid {worker}) did not stop within 5 s; killing it (-9)" in log
    assert "did not stop" not in log.replace(f"worker (pid {worker}) did not stop", "")
    assert "worker died" not in log  # killed on the way out: not restarted
    assert log.rstrip().endswith("stopped.")
