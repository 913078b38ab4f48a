from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.event_output import EventOutput


T = TypeVar("T", bound="EventHistoryOutput")


@_attrs_define
class EventHistoryOutput:
    """
    Attributes:
        id (UUID):
        events (list[EventOutput]):
        next_ (None | str): URL of the next page, if any.
    """

    id: UUID
    events: list[EventOutput]
    next_: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        events = []
        for events_item_data in self.events:
            events_item = events_item_data.to_dict()
            events.append(events_item)

        next_: None | str
        next_ = self.next_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "events": events,
                "next": next_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_output import EventOutput  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        events = []
        _events = d.pop("events")
        for events_item_data in _events:
            events_item = EventOutput.from_dict(events_item_data)

            events.append(events_item)

        def _parse_next_(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_ = _parse_next_(d.pop("next"))

        event_history_output = cls(
            id=id,
            events=events,
            next_=next_,
        )

        event_history_output.additional_properties = d
        return event_history_output

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
