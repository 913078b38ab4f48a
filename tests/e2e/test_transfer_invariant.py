"""60 concurrent random transfers among 5 accounts: all settle within 60 s, money is conserved,
no balance is ever negative, every read model row equals its stream; also with the process
manager killed (-9) mid-run and restarted."""

import random
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection
from rest_framework.test import APIClient

from apps.transfers.models import TransferRecord
from tests.e2e.transfer_support import Processes, assert_transfer_invariant, post_transfer
from tests.support import open_account, wait_until

pytestmark = pytest.mark.kafka

ACCOUNTS = 5
TRANSFERS = 60
OPENING = Decimal("300.00")


@pytest.fixture
def processes(transactional_db, event_store_db, kafka_topic, tmp_path):
    running = Processes(tmp_path)
    yield running
    running.stop()


def request_transfers(teller: APIClient, accounts: list[str]) -> list[str]:
    # Each thread its own client (and DB connection) with the teller's credentials, which
    # DRF's test client keeps in a private attribute (no getter; its stubs leave it out).
    credentials = teller._credentials  # type: ignore[attr-defined]
    rng = random.Random(11)
    plan = [
        (*rng.sample(accounts, 2), f"{rng.randint(1, 20000) / 100:.2f}") for _ in range(TRANSFERS)
    ]
    local = threading.local()

    def send(step: tuple[str, str, str]) -> str:
        if not hasattr(local, "client"):
            local.client = APIClient()
            local.client.credentials(**credentials)
        try:
            response = post_transfer(local.client, *step)
        finally:
            connection.close()
        assert response.status_code == 202, response.content
        return response.json()["id"]

    with ThreadPoolExecutor(12) as pool:
        return list(pool.map(send, plan))


def final_count() -> int:
    return TransferRecord.objects.exclude(status="PENDING").count()


def all_settled(ids: list[str], timeout: float = 60.0) -> None:
    wait_until(
        lambda: final_count() == len(ids),
        timeout=timeout,
        interval=0.1,
        what=f"all {len(ids)} transfers settled ({final_count()} so far)",
    )


def test_concurrent_transfers_keep_the_invariant(teller, processes, capsys):
    accounts = [open_account(teller, f"holder {n}", str(OPENING)) for n in range(ACCOUNTS)]
    processes.start_manager()
    started = time.monotonic()
    ids = request_transfers(teller, accounts)
    requested = time.monotonic() - started
    all_settled(ids)
    seconds = time.monotonic() - started
    assert TransferRecord.objects.filter(status="COMPLETED").exists()
    assert_transfer_invariant(accounts, OPENING * ACCOUNTS)
    with capsys.disabled():
        print(f"\n{TRANSFERS} transfers requested in {requested:.2f}s, settled in {seconds:.2f}s")


def test_the_invariant_holds_with_the_process_manager_killed_mid_run(teller, processes):
    accounts = [open_account(teller, f"holder {n}", str(OPENING)) for n in range(ACCOUNTS)]
    ids = request_transfers(teller, accounts)  # a backlog, so the kill lands inside it
    processes.start_manager()
    wait_until(lambda: final_count() >= 3, timeout=60, interval=0.005, what="some settled")
    assert processes.manager is not None
    processes.manager.send_signal(signal.SIGKILL)
    processes.manager.wait(10)
    at_kill = final_count()
    assert at_kill < TRANSFERS, "the kill landed after the last transfer"
    processes.start_manager()
    all_settled(ids)
    assert_transfer_invariant(accounts, OPENING * ACCOUNTS)
