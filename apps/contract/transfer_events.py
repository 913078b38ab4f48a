"""What each event of a transfer's own stream carries (aggregate type `Transfer`).

Transfer events travel on the account-events topic, keyed by the transfer id; the account read
side skips them by their aggregate type, the transfers process manager reacts to them.
"""

from apps.contract.account_events import EventSchema, FieldKind

AGGREGATE_TYPE = "Transfer"

TRANSFER_REQUESTED = EventSchema(
    "TransferRequested",
    1,
    {"from_account": FieldKind.ID, "to_account": FieldKind.ID, "amount": FieldKind.AMOUNT},
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
