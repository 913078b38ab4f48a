"""The request context: bound fields, accepted request ids, the metadata of stored events."""

import threading

import pytest

from kernel import request_context


def test_bind_and_reset_nest():
    assert request_context.current() == {}
    outer = request_context.bind(request_id="r1")
    inner = request_context.bind(account_id="a1")
    assert request_context.current() == {"request_id": "r1", "account_id": "a1"}
    request_context.reset(inner)
    assert request_context.current() == {"request_id": "r1"}
    request_context.reset(outer)
    assert request_context.current() == {}
    assert request_context.request_id() is None


def test_another_thread_does_not_see_the_fields():
    seen = []
    with request_context.bound(request_id="mine"):
        thread = threading.Thread(target=lambda: seen.append(request_context.request_id()))
        thread.start()
        thread.join()
        assert request_context.request_id() == "mine"
    assert seen == [None]


@pytest.mark.parametrize("good", ["abc-123", "x", "A" * 200, "trace=1; span=2", "~!@#$%^&*()"])
def test_a_clients_printable_ascii_id_is_kept(good):
    assert request_context.accepted_request_id(good) == good


@pytest.mark.parametrize(
    "bad", [None, "", " ", "A" * 201, "a" * 1000, "abc\x00def", "tab\there", "line\nbreak", "é"]
)
def test_anything_else_is_replaced_by_a_new_id(bad):
    new = request_context.accepted_request_id(bad)
    assert new != bad
    assert len(new) == 32 and int(new, 16) >= 0


def test_new_ids_differ():
    assert request_context.new_request_id() != request_context.new_request_id()


def test_a_stored_event_keeps_the_request_id_when_there_is_one():
    assert request_context.event_metadata() == {}
    with request_context.bound(request_id="r-7", command="DepositFunds"):
        # A request is its own correlation.
        assert request_context.event_metadata() == {"request_id": "r-7", "correlation_id": "r-7"}


def test_a_stored_event_says_who_caused_it_and_why():
    with request_context.bound(
        request_id="r-8", actor="4b0c", causation_id="c-1", idempotency_key="k", command="X"
    ):
        assert request_context.event_metadata() == {
            "request_id": "r-8",
            "idempotency_key": "k",
            "actor": "4b0c",
            "correlation_id": "r-8",
            "causation_id": "c-1",
        }
        # A process acting for an earlier request (the saga) binds that request's id.
        with request_context.bound(correlation_id="r-1"):
            assert request_context.event_metadata()["correlation_id"] == "r-1"
    assert request_context.event_metadata() == {}


def test_only_text_is_stored():
    with request_context.bound(actor=None, causation_id=7, request_id="r"):
        assert request_context.event_metadata() == {"request_id": "r", "correlation_id": "r"}


def test_a_process_acts_as_itself_one_command_per_block():
    assert request_context.system_actor("run_transfers") == "system:run_transfers"
    with request_context.acting_as("create_api_client"):
        first = request_context.event_metadata()
    with request_context.acting_as("create_api_client"):
        second = request_context.event_metadata()
    assert first["actor"] == second["actor"] == "system:create_api_client"
    assert first["causation_id"] != second["causation_id"]
    assert "correlation_id" not in first  # no request started it
    assert request_context.event_metadata() == {}
