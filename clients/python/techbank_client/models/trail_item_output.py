from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.event_metadata_output import EventMetadataOutput


T = TypeVar("T", bound="TrailItemOutput")


@_attrs_define
class TrailItemOutput:
    """One event of the user's audit trail: done to it (its own stream), by it (its actor is
    the user), or both (a person's own password).

        Attributes:
            event_id (UUID):
            event_type (str):
            aggregate_type (str): User, BankAccount or Transfer.
            aggregate_id (str):
            version (int):
            timestamp (datetime.datetime):
            done_to (bool): The event is of this user's own stream.
            done_by (bool): This user caused it (its metadata's actor).
            metadata (EventMetadataOutput): Every key is always there; null where the event has none. The hashed idempotency
                key,
                also stored, is never shown.
    """

    event_id: UUID
    event_type: str
    aggregate_type: str
    aggregate_id: str
    version: int
    timestamp: datetime.datetime
    done_to: bool
    done_by: bool
    metadata: EventMetadataOutput
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        event_id = str(self.event_id)

        event_type = self.event_type

        aggregate_type = self.aggregate_type

        aggregate_id = self.aggregate_id

        version = self.version

        timestamp = self.timestamp.isoformat()

        done_to = self.done_to

        done_by = self.done_by

        metadata = self.metadata.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "event_id": event_id,
                "event_type": event_type,
                "aggregate_type": aggregate_type,
                "aggregate_id": aggregate_id,
                "version": version,
                "timestamp": timestamp,
                "done_to": done_to,
                "done_by": done_by,
                "metadata": metadata,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_metadata_output import EventMetadataOutput  # noqa: PLC0415

        d = dict(src_dict)
        event_id = UUID(d.pop("event_id"))

        event_type = d.pop("event_type")

        aggregate_type = d.pop("aggregate_type")

        aggregate_id = d.pop("aggregate_id")

        version = d.pop("version")

        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))

        done_to = d.pop("done_to")

        done_by = d.pop("done_by")

        metadata = EventMetadataOutput.from_dict(d.pop("metadata"))

        trail_item_output = cls(
            event_id=event_id,
            event_type=event_type,
            aggregate_type=aggregate_type,
            aggregate_id=aggregate_id,
            version=version,
            timestamp=timestamp,
            done_to=done_to,
            done_by=done_by,
            metadata=metadata,
        )

        trail_item_output.additional_properties = d
        return trail_item_output

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
