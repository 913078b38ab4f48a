"""The read side's decoding and fold, with no I/O."""

import json
import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from apps.accounts_query.domain.account_fold import InapplicableEvent, apply
from apps.accounts_query.domain.event_message import PoisonMessage, decode

ACCOUNT = str(uuid.uuid4())


def raw(event_type: str, version: int, **data) -> dict:
    return {
        "event_type": event_type,
        "schema_version": 1,
        "event_id": str(uuid.uuid4()),
        "aggregate_id": ACCOUNT,
        "aggregate_type": "BankAccount",
        "version": version,
        "timestamp": f"2026-03-0{version}T10:00:00.123+00:00",
        "data": data,
    }


def message(event_type: str, version: int, **data):
    return decode(json.dumps(raw(event_type, version, **data)).encode())


OPENED = message("AccountOpened", 1, holder="Ada", account_type="CURRENT", opening_balance="10.00")


def test_a_stream_folds_into_a_row():
    row = apply(None, OPENED)
    assert (row.holder, row.account_type, row.balance, row.status) == (
        "Ada",
        "CURRENT",
        Decimal("10.00"),
        "OPEN",
    )
    row = apply(row, message("FundsDeposited", 2, amount="5.55", balance="15.55"))
    row = apply(row, message("FundsWithdrawn", 3, amount="15.55", balance="0.00"))
    row = apply(row, message("AccountClosed", 4))
    assert row.balance == Decimal("0.00")
    assert row.status == "CLOSED"
    assert row.version == 4
    assert row.closed_at == datetime(2026, 3, 4, 10, 0, 0, 123000, tzinfo=UTC)
    assert row.updated_at == row.closed_at
    assert row.opened_at == datetime(2026, 3, 1, 10, 0, 0, 123000, tzinfo=UTC)


def test_events_out_of_order_or_without_an_opening_are_refused():
    with pytest.raises(InapplicableEvent, match="before AccountOpened"):
        apply(None, message("AccountClosed", 2)._replace(version=1))
    with pytest.raises(InapplicableEvent, match="version 3 where 2 was due"):
        apply(apply(None, OPENED), message("AccountClosed", 3))
    with pytest.raises(InapplicableEvent, match="version 1 where 2 was due"):
        apply(apply(None, OPENED), OPENED)


@pytest.mark.parametrize(
    "value, reason",
    [
        (b"{", "undecodable JSON"),
        (b"\xff\xfe", "undecodable JSON"),
        (b"[]", "not a JSON object"),
        (json.dumps(raw("AccountRenamed", 1)).encode(), "unknown event type"),
        (json.dumps({**raw("AccountClosed", 1), "version": 0}).encode(), "invalid version"),
        (json.dumps({**raw("AccountClosed", 1), "version": True}).encode(), "invalid version"),
        (json.dumps({**raw("AccountClosed", 1), "aggregate_id": "x"}).encode(), "aggregate_id"),
        (
            json.dumps({**raw("AccountClosed", 1), "timestamp": "2026-01-01T00:00:00"}).encode(),
            "no time zone",
        ),
        (json.dumps({**raw("AccountClosed", 1), "data": []}).encode(), "data is not an object"),
        (json.dumps(raw("FundsDeposited", 2, amount="1.00", balance="NaN")).encode(), "balance"),
        (json.dumps(raw("FundsDeposited", 2, amount=1.5, balance="1.50")).encode(), "amount"),
        (
            json.dumps(raw("FundsDeposited", 2, amount="1.001", balance="1.00")).encode(),
            "two decimal places",
        ),
        (json.dumps(raw("FundsWithdrawn", 2, amount="1.00", balance="-1.00")).encode(), "balance"),
        (
            json.dumps(
                raw("AccountOpened", 1, holder=" ", account_type="SAVINGS", opening_balance="1.00")
            ).encode(),
            "holder is blank",
        ),
        (
            json.dumps(
                raw("AccountOpened", 1, holder="A", account_type="GOLD", opening_balance="1.00")
            ).encode(),
            "account_type",
        ),
    ],
)
def test_poison_is_recognised(value, reason):
    with pytest.raises(PoisonMessage, match=reason):
        decode(value)
