"""The rations of read-your-writes waits: a client's slots in the shared cache (atomic, and
freed on their own when a process dies holding one), a process's waiting threads, and the
schema of every route that takes min_version."""

from collections.abc import Iterator
from contextlib import ExitStack
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from api_platform import read_your_writes
from api_platform.read_your_writes import (
    TooManyWaits,
    WaitingThreadsBusy,
    client_slot,
    wait_for,
    waiting_thread,
)
from tests.harness.swapped_settings import file_throttle_caches
from tests.support import wait_until


def client(pk: int) -> Any:  # a stand-in for DRF's Request: client_slot reads user and META
    return SimpleNamespace(user=SimpleNamespace(pk=pk, is_authenticated=True), META={})


@pytest.fixture
def throttle_cache(tmp_path) -> Iterator[None]:
    cache = file_throttle_caches(tmp_path)
    with override_settings(CACHES=cache, READ_WAIT_MAX_CONCURRENT=2):
        yield


def test_a_client_holds_at_most_its_slots(throttle_cache):
    with ExitStack() as held:
        for _ in range(2):
            held.enter_context(client_slot(client(1), 10))
        with pytest.raises(TooManyWaits) as refused:
            held.enter_context(client_slot(client(1), 10))
        assert refused.value.status_code == 429 and refused.value.wait == 1
        assert refused.value.get_codes() == "too_many_waits"
        with client_slot(client(2), 10):  # another client's are its own
            pass
    with client_slot(client(1), 10), client_slot(client(1), 10):  # given back on the way out
        pass


def test_a_slot_of_a_process_that_died_frees_itself(throttle_cache, monkeypatch):
    monkeypatch.setattr(read_your_writes, "SLOT_MARGIN_SECONDS", 0)
    # Entered, never left: what a killed process leaves behind (kept referenced: a context
    # manager collected would leave, and give its slot back).
    leaked = [client_slot(client(3), 1) for _ in range(2)]
    for slot in leaked:
        slot.__enter__()
    with pytest.raises(TooManyWaits):
        client_slot(client(3), 1).__enter__()

    def free() -> bool:
        try:
            with client_slot(client(3), 1):
                return True
        except TooManyWaits:
            return False

    wait_until(free, timeout=5, what="the slot's expiry")


def test_a_process_lets_at_most_half_its_threads_wait(monkeypatch):
    monkeypatch.setattr(read_your_writes, "_threads", None)
    with override_settings(WEB_THREADS=4, READ_WAIT_MAX_THREADS=None):
        assert read_your_writes.max_waiting_threads() == 2
        read_your_writes.serve_threads(40)  # gunicorn's --threads, told by gunicorn.conf.py
        assert read_your_writes.max_waiting_threads() == 20
        read_your_writes.serve_threads(1)
        assert read_your_writes.max_waiting_threads() == 1
    with override_settings(READ_WAIT_MAX_THREADS=1), waiting_thread():
        with pytest.raises(WaitingThreadsBusy) as busy, waiting_thread():
            pass
        assert busy.value.status_code == 503 and busy.value.wait == 1
        assert busy.value.get_codes() == "waiting_threads_busy"


def test_a_read_that_needs_no_wait_takes_no_slot(throttle_cache):
    with ExitStack() as held:
        for _ in range(2):
            held.enter_context(client_slot(client(4), 10))
        row = SimpleNamespace(version=5)
        assert wait_for(client(4), lambda: row, lambda r: r.version, 5, 10, row) is row


@pytest.mark.parametrize(
    "path", ["/api/v1/accounts/{account_id}/", "/api/v1/transfers/{transfer_id}/"]
)
def test_the_schema_of_each_waiting_route_names_the_refusals(db, path):
    schema = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    responses = schema.json()["paths"][path]["get"]["responses"]
    assert "too_many_waits" in responses["429"]["description"]
    assert "waiting_threads_busy" in responses["503"]["description"]
    assert "projection_behind" in responses["503"]["description"]
