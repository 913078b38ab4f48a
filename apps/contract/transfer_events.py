"""What each event of a transfer's own stream carries (aggregate type `Transfer`).

Transfer events are keyed by the transfer id, so one transfer's events stay in order in one
partition; the transfers' process manager reacts to them and the transfers' projection folds
them. `TransferRequested` carries the transfer's timeout, so its deadline (timestamp +
timeout_seconds) is part of its history and survives any restart.
"""

from collections.abc import Callable
from typing import Any

from apps.contract.account_events import EventSchema, FieldKind

AGGREGATE_TYPE = "Transfer"
# What a transfer requested before timeouts were stored was given (the then default).
DEFAULT_TIMEOUT_SECONDS = 60

TRANSFER_REQUESTED = EventSchema(
    "TransferRequested",
    2,
    {
        "from_account": FieldKind.ID,
        "to_account": FieldKind.ID,
        "amount": FieldKind.AMOUNT,
        "timeout_seconds": FieldKind.SECONDS,
    },
)
TRANSFER_DEBITED = EventSchema("TransferDebited", 1, {})
TRANSFER_CREDITED = EventSchema("TransferCredited", 1, {})
TRANSFER_COMPLETED = EventSchema("TransferCompleted", 1, {})
# The credit was refused (reason: its domain code): from here on the transfer compensates.
TRANSFER_CREDIT_REFUSED = EventSchema("TransferCreditRefused", 1, {"reason": FieldKind.CODE})
TRANSFER_COMPENSATED = EventSchema("TransferCompensated", 1, {})
TRANSFER_FAILED = EventSchema("TransferFailed", 1, {"reason": FieldKind.CODE})

EVENTS: dict[str, EventSchema] = {
    schema.name: schema
    for schema in (
        TRANSFER_REQUESTED,
        TRANSFER_DEBITED,
        TRANSFER_CREDITED,
        TRANSFER_COMPLETED,
        TRANSFER_CREDIT_REFUSED,
        TRANSFER_COMPENSATED,
        TRANSFER_FAILED,
    )
}


# --- older stored shapes ------------------------------------------------------------------
def transfer_requested_v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    # Schema 1 predates deadlines: such a transfer gets the default timeout.
    return {**data, "timeout_seconds": data.get("timeout_seconds", DEFAULT_TIMEOUT_SECONDS)}


# (event type, schema) -> the function that lifts its data to schema + 1. The composition
# roots merge these with the account events' upcasters into the store's one chain.
UPCASTERS: dict[tuple[str, int], Callable[[dict[str, Any]], dict[str, Any]]] = {
    (TRANSFER_REQUESTED.name, 1): transfer_requested_v1_to_v2,
}
