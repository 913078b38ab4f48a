"""Fuzzing the read side's reading of a message and the fold: whatever arrives on the topic,
decoding raises nothing but PoisonMessage and the fold nothing but InapplicableEvent. No I/O."""

import contextlib
import json
import uuid
from datetime import UTC, datetime
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from apps.accounts_query.domain.account_fold import AccountRow, InapplicableEvent, apply
from apps.accounts_query.domain.event_message import EventMessage, PoisonMessage, decode, parse
from apps.contract.account_events import EVENTS, MAX_AMOUNT, MAX_BALANCE

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=20,
)
HOSTILE_MONEY = st.one_of(
    st.sampled_from(
        [
            "NaN",
            "-Infinity",
            "1e2",
            "1E+400",
            "-0.00",
            "-1.00",
            "\u0661\u0660",
            "\uff11\uff10",
            "1_0.00",
            " 5",
            "+5",
            "5.",
            ".5",
            "0x10",
            "",
            "1.001",
            str(MAX_AMOUNT),
            str(MAX_BALANCE),
            "9" * 5000,
        ]
    ),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.integers(),
    st.floats(),
    st.text(max_size=30),
)
HOSTILE_TEXT = st.one_of(st.text(max_size=50), st.just("x" * 10_000), st.just("\x00\n\t"))
HOSTILE_TIMESTAMP = st.one_of(
    st.sampled_from(
        [
            "9999-12-31T23:59:59-05:00",
            "0001-01-01T00:00:00+14:00",
            "2026-01-01T00:00:00",
            "2026-02-30T00:00:00+00:00",
            "1969-12-31T23:59:59+00:00",
            "tomorrow",
            "",
        ]
    ),
    st.datetimes(timezones=st.none() | st.timezones()).map(lambda d: d.isoformat()),
    st.integers(),
    st.text(max_size=40),
)


def envelope(event_type, data, **overrides):
    message = {
        "event_type": event_type,
        "schema_version": EVENTS[event_type].schema_version if event_type in EVENTS else 1,
        "event_id": str(uuid.uuid4()),
        "aggregate_id": str(uuid.uuid4()),
        "aggregate_type": "BankAccount",
        "version": 1,
        "timestamp": "2026-03-01T10:00:00.123+00:00",
        "data": data,
    }
    return {**message, **overrides}


def decodes_or_is_poison(raw: bytes) -> EventMessage | None:
    try:
        return decode(raw)
    except PoisonMessage:
        return None


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_are_decoded_or_poison(raw):
    decodes_or_is_poison(raw)


@settings(max_examples=300, deadline=None)
@given(JSON)
def test_arbitrary_json_is_decoded_or_poison(doc):
    decodes_or_is_poison(json.dumps(doc).encode())


@settings(max_examples=400, deadline=None)
@given(
    event_type=st.sampled_from([*EVENTS, "AccountRenamed", "", "accountopened"]),
    holder=HOSTILE_TEXT,
    account_type=st.one_of(st.sampled_from(["SAVINGS", "CURRENT", "GOLD"]), JSON),
    amount=HOSTILE_MONEY,
    balance=HOSTILE_MONEY,
    version=st.one_of(st.integers(), st.booleans(), st.none(), st.text(max_size=5)),
    schema_version=st.one_of(st.integers(), st.none(), st.text(max_size=3)),
    ids=st.one_of(st.uuids().map(str), HOSTILE_TEXT, st.integers()),
    timestamp=HOSTILE_TIMESTAMP,
)
def test_valid_envelopes_with_hostile_values_are_applied_or_poison(
    event_type, holder, account_type, amount, balance, version, schema_version, ids, timestamp
):
    data = {
        "holder": holder,
        "account_type": account_type,
        "opening_balance": amount,
        "amount": amount,
        "balance": balance,
        "transfer_id": ids,
    }
    fields = EVENTS[event_type].fields if event_type in EVENTS else {"amount": None}
    message = envelope(
        event_type,
        {name: data[name] for name in fields},
        version=version,
        schema_version=schema_version,
        aggregate_id=ids,
        timestamp=timestamp,
    )
    event = decodes_or_is_poison(json.dumps(message).encode())
    if event is None:
        return
    # What passes is what the write side could have written.
    assert event.timestamp.tzinfo is not None
    for name, value in event.data.items():
        if name in ("amount", "balance", "opening_balance"):
            assert Decimal(value) >= 0
            assert Decimal(value) < MAX_BALANCE
    row = AccountRow(
        id=event.aggregate_id,
        holder="Ada",
        account_type="SAVINGS",
        balance=Decimal("1.00"),
        status="OPEN",
        opened_at=datetime(2026, 1, 1, tzinfo=UTC),
        closed_at=None,
        version=event.version - 1,
        updated_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    for before in (None, row):
        with contextlib.suppress(InapplicableEvent):
            apply(before, event)


def test_a_timestamp_that_overflows_in_utc_is_poison():
    message = envelope("AccountClosed", {}, timestamp="9999-12-31T23:59:59-05:00")
    try:
        parse(message)
    except PoisonMessage as exc:
        assert "timestamp" in str(exc)
    else:
        raise AssertionError("an overflowing timestamp was accepted")


def test_the_read_side_takes_the_write_sides_money_limits():
    over_balance = envelope("FundsDeposited", {"amount": "1.00", "balance": str(MAX_BALANCE)})
    over_amount = envelope("FundsDeposited", {"amount": str(MAX_AMOUNT), "balance": "1.00"})
    for message in (over_balance, over_amount):
        try:
            parse(message)
        except PoisonMessage as exc:
            assert "not below" in str(exc)
        else:
            raise AssertionError(f"accepted {message['data']}")


def test_an_unknown_later_schema_version_is_poison():
    message = envelope(
        "AccountClosed", {}, schema_version=EVENTS["AccountClosed"].schema_version + 1
    )
    try:
        parse(message)
    except PoisonMessage as exc:
        assert "unknown schema" in str(exc)
    else:
        raise AssertionError("a schema from the future was accepted")
