"""The transfer events the transfer consumer tests put on their topics, as the event store
publishes them (apps/eventstore/wire.py's JSON, keyed by the transfer)."""

import uuid
from datetime import UTC, datetime
from typing import Any

import orjson


def transfer_event(
    transfer_id: uuid.UUID, version: int, event_type: str, **data: Any
) -> dict[str, Any]:
    return {
        "event_type": event_type,
        "schema_version": 2 if event_type == "TransferRequested" else 1,
        "event_id": str(uuid.uuid4()),
        "aggregate_id": str(transfer_id),
        "aggregate_type": "Transfer",
        "version": version,
        "timestamp": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "data": data,
    }


def requested(transfer_id: uuid.UUID, amount: str = "20.00") -> dict[str, Any]:
    return transfer_event(
        transfer_id,
        1,
        "TransferRequested",
        from_account=str(uuid.uuid4()),
        to_account=str(uuid.uuid4()),
        amount=amount,
        timeout_seconds=60,
    )


def keyed(event: dict[str, Any]) -> tuple[bytes, bytes]:
    return event["aggregate_id"].encode(), orjson.dumps(event)
