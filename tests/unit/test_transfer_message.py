"""The transfer contract's reader: what it accepts, and a reason for everything else."""

import uuid

import orjson
import pytest

from apps.transfers.domain.transfer_message import InvalidTransferMessage, decode
from tests.e2e.transfer_messages import keyed, requested, transfer_event


def test_a_request_is_read_with_its_key():
    transfer_id = uuid.uuid4()
    message = decode(*keyed(requested(transfer_id)))
    assert (message.transfer_id, message.version, message.event_type) == (
        transfer_id,
        1,
        "TransferRequested",
    )
    assert message.data["timeout_seconds"] == 60


def mangled(**changes) -> tuple[bytes, bytes]:
    event = {**requested(uuid.uuid4()), **changes}
    return keyed(event)


def with_data(**changes) -> tuple[bytes, bytes]:
    event = requested(uuid.uuid4())
    return keyed({**event, "data": {**event["data"], **changes}})


@pytest.mark.parametrize(
    ("key_value", "reason"),
    [
        ((b"k", b"{not json"), "undecodable JSON"),
        ((b"k", b"[1, 2]"), "not a JSON object"),
        (mangled(schema_version=9), "unknown schema 9"),
        (mangled(schema_version=True), "unknown schema True"),
        (mangled(event_type="TransferStolen"), "unknown event type 'TransferStolen'"),
        (mangled(aggregate_type="BankAccount"), "invalid aggregate_type 'BankAccount'"),
        (mangled(version=0), "invalid version 0"),
        (mangled(version="1"), "invalid version '1'"),
        (mangled(timestamp="yesterday"), "invalid timestamp"),
        (mangled(timestamp="2026-01-01T00:00:00"), "invalid timestamp"),
        (mangled(data=[]), "data is not an object"),
        (with_data(amount="1000000000000000.00"), "invalid amount"),
        (with_data(amount="1000000000.00"), "is not below"),
        (with_data(amount="1e400"), "invalid amount"),
        (with_data(amount=20.5), "invalid amount"),
        (with_data(to_account="nobody"), "invalid to_account"),
        (with_data(timeout_seconds=10**12), "out of range"),
        (with_data(timeout_seconds=True), "invalid timeout_seconds"),
        (with_data(extra="x"), "data has fields"),
    ],
)
def test_every_other_shape_is_refused_with_a_reason(key_value, reason):
    with pytest.raises(InvalidTransferMessage, match=reason.replace("(", r"\(")):
        decode(*key_value)


def test_the_key_must_be_a_uuid_and_the_aggregate_id():
    _, value = keyed(requested(uuid.uuid4()))
    with pytest.raises(InvalidTransferMessage, match="is not a UUID"):
        decode(b"not-a-uuid", value)
    with pytest.raises(InvalidTransferMessage, match="is not a UUID"):
        decode(b"\xff\xfe", value)
    with pytest.raises(InvalidTransferMessage, match="is not the aggregate_id"):
        decode(str(uuid.uuid4()).encode(), value)


def test_a_refusal_carries_a_code():
    transfer_id = uuid.uuid4()
    event = transfer_event(transfer_id, 3, "TransferCreditRefused", reason="account_closed")
    assert decode(*keyed(event)).data == {"reason": "account_closed"}
    event["data"] = {"reason": "<script>"}
    with pytest.raises(InvalidTransferMessage, match="invalid reason"):
        decode(str(transfer_id).encode(), orjson.dumps(event))
