from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.event_metadata_output import EventMetadataOutput
    from ..models.event_output_data import EventOutputData


T = TypeVar("T", bound="EventOutput")


@_attrs_define
class EventOutput:
    """
    Attributes:
        event_id (UUID):
        event_type (str):
        version (int):
        schema_version (int):
        timestamp (datetime.datetime):
        data (EventOutputData):
        metadata (EventMetadataOutput): Every key is always there; null where the event has none. The hashed idempotency
            key,
            also stored, is never shown.
    """

    event_id: UUID
    event_type: str
    version: int
    schema_version: int
    timestamp: datetime.datetime
    data: EventOutputData
    metadata: EventMetadataOutput
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        event_id = str(self.event_id)

        event_type = self.event_type

        version = self.version

        schema_version = self.schema_version

        timestamp = self.timestamp.isoformat()

        data = self.data.to_dict()

        metadata = self.metadata.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "event_id": event_id,
                "event_type": event_type,
                "version": version,
                "schema_version": schema_version,
                "timestamp": timestamp,
                "data": data,
                "metadata": metadata,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_metadata_output import EventMetadataOutput  # noqa: PLC0415
        from ..models.event_output_data import EventOutputData  # noqa: PLC0415

        d = dict(src_dict)
        event_id = UUID(d.pop("event_id"))

        event_type = d.pop("event_type")

        version = d.pop("version")

        schema_version = d.pop("schema_version")

        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))

        data = EventOutputData.from_dict(d.pop("data"))

        metadata = EventMetadataOutput.from_dict(d.pop("metadata"))

        event_output = cls(
            event_id=event_id,
            event_type=event_type,
            version=version,
            schema_version=schema_version,
            timestamp=timestamp,
            data=data,
            metadata=metadata,
        )

        event_output.additional_properties = d
        return event_output

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
