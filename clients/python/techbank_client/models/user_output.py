from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.kind_enum import KindEnum
from ..models.user_output_status_enum import UserOutputStatusEnum

T = TypeVar("T", bound="UserOutput")


@_attrs_define
class UserOutput:
    """A user or API client: a projected row (UserIdentity) or the aggregate as of a version.

    Attributes:
        id (UUID):
        username (str):
        kind (KindEnum): * `person` - person
            * `api_client` - api_client
        roles (list[str]):
        status (UserOutputStatusEnum): * `active` - active
            * `suspended` - suspended
            * `removed` - removed
        version (int): The user's stream's version shown.
        display_name (str):
    """

    id: UUID
    username: str
    kind: KindEnum
    roles: list[str]
    status: UserOutputStatusEnum
    version: int
    display_name: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        username = self.username

        kind = self.kind.value

        roles = self.roles

        status = self.status.value

        version = self.version

        display_name = self.display_name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "username": username,
                "kind": kind,
                "roles": roles,
                "status": status,
                "version": version,
                "display_name": display_name,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        username = d.pop("username")

        kind = KindEnum(d.pop("kind"))

        roles = cast(list[str], d.pop("roles"))

        status = UserOutputStatusEnum(d.pop("status"))

        version = d.pop("version")

        display_name = d.pop("display_name")

        user_output = cls(
            id=id,
            username=username,
            kind=kind,
            roles=roles,
            status=status,
            version=version,
            display_name=display_name,
        )

        user_output.additional_properties = d
        return user_output

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
