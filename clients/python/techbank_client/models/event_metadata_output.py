from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="EventMetadataOutput")


@_attrs_define
class EventMetadataOutput:
    """Every key is always there; null where the event has none. The hashed idempotency key,
    also stored, is never shown.

        Attributes:
            actor (None | str): Who caused it: the identity UUID of the user who issued the command, `user:<id>` for a user
                with no identity, or `system:<process>`; null for events stored before actors were recorded.
            correlation_id (None | str): The id of the request that started it all (its X-Request-ID), carried through a
                transfer's steps; null for events stored before actors were recorded.
            causation_id (None | str): What caused it: the command's id, or the event_id of the event it reacted to (a
                transfer's steps name the transfer event); null for events stored before actors were recorded.
            request_id (None | str): The X-Request-ID of the request that stored it; null for an event stored by a process
                (the transfer saga) or before request ids were recorded.
    """

    actor: None | str
    correlation_id: None | str
    causation_id: None | str
    request_id: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        actor: None | str
        actor = self.actor

        correlation_id: None | str
        correlation_id = self.correlation_id

        causation_id: None | str
        causation_id = self.causation_id

        request_id: None | str
        request_id = self.request_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "actor": actor,
                "correlation_id": correlation_id,
                "causation_id": causation_id,
                "request_id": request_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_actor(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        actor = _parse_actor(d.pop("actor"))

        def _parse_correlation_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        correlation_id = _parse_correlation_id(d.pop("correlation_id"))

        def _parse_causation_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        causation_id = _parse_causation_id(d.pop("causation_id"))

        def _parse_request_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        request_id = _parse_request_id(d.pop("request_id"))

        event_metadata_output = cls(
            actor=actor,
            correlation_id=correlation_id,
            causation_id=causation_id,
            request_id=request_id,
        )

        event_metadata_output.additional_properties = d
        return event_metadata_output

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
