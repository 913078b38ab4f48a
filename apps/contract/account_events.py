"""What each account event carries, its schema version, and the limits on its values.

The write side's domain takes its limits from here and its stored schema versions by event
name; the read side validates every message against the same table. Field kinds say how a
value is checked; money always travels as a string with at most two decimal places.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

AGGREGATE_TYPE = "BankAccount"

CENT = Decimal("0.01")
# A single deposit, withdrawal or opening balance is below this (one billion).
MAX_AMOUNT = Decimal("1000000000.00")
# No balance reaches this (one trillion); it fits a DECIMAL(15, 2) column.
MAX_BALANCE = Decimal("1000000000000.00")
MONEY_MAX_DIGITS = 15
HOLDER_MAX_LENGTH = 100
# The longest transfer timeout (a day): a deadline is minutes away, and a bound keeps the
# deadline's arithmetic (timestamp + seconds) from overflowing on a hostile value.
MAX_SECONDS = 86_400


class AccountType(StrEnum):
    SAVINGS = "SAVINGS"
    CURRENT = "CURRENT"


class FieldKind(StrEnum):
    HOLDER = "holder"  # 1..HOLDER_MAX_LENGTH printable characters, not blank
    ACCOUNT_TYPE = "account_type"  # one of AccountType
    AMOUNT = "amount"  # money, 0 <= value < MAX_AMOUNT
    BALANCE = "balance"  # money, 0 <= value < MAX_BALANCE
    ID = "id"  # a UUID as text (e.g. the transfer an event belongs to)
    CODE = "code"  # a domain error code such as insufficient_funds
    SECONDS = "seconds"  # a whole number (an int, not a bool), 1 <= value <= MAX_SECONDS
    # A User's (user_events.py): one table of kinds for every aggregate's contract.
    USERNAME = "username"  # user_events.USERNAME_PATTERN
    DISPLAY_NAME = "display_name"  # 0..DISPLAY_NAME_MAX_LENGTH printable characters
    ROLES = "roles"  # a non-empty list of distinct user_events.Role values
    ROLE = "role"  # one user_events.Role value


@dataclass(frozen=True)
class EventSchema:
    name: str
    schema_version: int
    fields: dict[str, FieldKind]


ACCOUNT_OPENED = EventSchema(
    "AccountOpened",
    2,
    {
        "holder": FieldKind.HOLDER,
        "account_type": FieldKind.ACCOUNT_TYPE,
        "opening_balance": FieldKind.AMOUNT,
    },
)
FUNDS_DEPOSITED = EventSchema(
    "FundsDeposited", 1, {"amount": FieldKind.AMOUNT, "balance": FieldKind.BALANCE}
)
FUNDS_WITHDRAWN = EventSchema(
    "FundsWithdrawn", 1, {"amount": FieldKind.AMOUNT, "balance": FieldKind.BALANCE}
)
ACCOUNT_CLOSED = EventSchema("AccountClosed", 1, {})
# A transfer's steps on the accounts' own streams; balance is the account's after the step.
_TRANSFER_STEP = {
    "amount": FieldKind.AMOUNT,
    "balance": FieldKind.BALANCE,
    "transfer_id": FieldKind.ID,
}
FUNDS_TRANSFERRED_OUT = EventSchema("FundsTransferredOut", 1, _TRANSFER_STEP)
FUNDS_TRANSFERRED_IN = EventSchema("FundsTransferredIn", 1, _TRANSFER_STEP)
TRANSFER_REFUNDED = EventSchema("TransferRefunded", 1, _TRANSFER_STEP)
# The transfer this account took part in is over: the account forgets it (no money moves).
TRANSFER_SETTLED = EventSchema("TransferSettled", 1, {"transfer_id": FieldKind.ID})
# The transfer's deadline passed before its step on this account: the account will never take
# that step (no money moves; the event's version is the fence a late, stale step loses to).
TRANSFER_EXPIRED = EventSchema("TransferExpired", 1, {"transfer_id": FieldKind.ID})

EVENTS: dict[str, EventSchema] = {
    schema.name: schema
    for schema in (
        ACCOUNT_OPENED,
        FUNDS_DEPOSITED,
        FUNDS_WITHDRAWN,
        ACCOUNT_CLOSED,
        FUNDS_TRANSFERRED_OUT,
        FUNDS_TRANSFERRED_IN,
        TRANSFER_REFUNDED,
        TRANSFER_SETTLED,
        TRANSFER_EXPIRED,
    )
}
# Events that set the balance from their `balance` field.
BALANCE_EVENTS = frozenset(name for name, schema in EVENTS.items() if "balance" in schema.fields)
# Events that change nothing a read model shows: a projection only moves the version on.
BOOKKEEPING_EVENTS = frozenset({TRANSFER_SETTLED.name, TRANSFER_EXPIRED.name})
MONEY_KINDS = frozenset({FieldKind.AMOUNT, FieldKind.BALANCE})
MONEY_FIELDS = frozenset(
    name
    for schema in EVENTS.values()
    for name, kind in schema.fields.items()
    if kind in MONEY_KINDS
)
MONEY_LIMITS = {FieldKind.AMOUNT: MAX_AMOUNT, FieldKind.BALANCE: MAX_BALANCE}


# --- older stored shapes ------------------------------------------------------------------
def account_opened_v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    # Schema 1 predates account types: every account was a savings account.
    return {**data, "account_type": data.get("account_type", AccountType.SAVINGS.value)}


# (event type, schema) -> the function that lifts its data to schema + 1.
UPCASTERS: dict[tuple[str, int], Callable[[dict[str, Any]], dict[str, Any]]] = {
    (ACCOUNT_OPENED.name, 1): account_opened_v1_to_v2,
}
