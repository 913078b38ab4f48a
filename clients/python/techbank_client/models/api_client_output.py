from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.role_enum import RoleEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="ApiClientOutput")


@_attrs_define
class ApiClientOutput:
    """An API client's credentials: shown in this answer only (stored as digests and hashes).

    Attributes:
        id (UUID):
        name (str):
        role (RoleEnum): * `administrator` - administrator
            * `teller` - teller
            * `auditor` - auditor
        token (None | str): An API token (Authorization: Token ...); null in a replayed answer.
        client_id (None | str): The OAuth2 client-credentials client id (not a secret); null only in a recovered answer
            of a client whose application is gone.
        client_secret (None | str): The OAuth2 client secret; null in a replayed answer.
        kind (str | Unset):  Default: 'api_client'.
    """

    id: UUID
    name: str
    role: RoleEnum
    token: None | str
    client_id: None | str
    client_secret: None | str
    kind: str | Unset = "api_client"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        name = self.name

        role = self.role.value

        token: None | str
        token = self.token

        client_id: None | str
        client_id = self.client_id

        client_secret: None | str
        client_secret = self.client_secret

        kind = self.kind

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "role": role,
                "token": token,
                "client_id": client_id,
                "client_secret": client_secret,
            }
        )
        if kind is not UNSET:
            field_dict["kind"] = kind

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        name = d.pop("name")

        role = RoleEnum(d.pop("role"))

        def _parse_token(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        token = _parse_token(d.pop("token"))

        def _parse_client_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        client_id = _parse_client_id(d.pop("client_id"))

        def _parse_client_secret(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        client_secret = _parse_client_secret(d.pop("client_secret"))

        kind = d.pop("kind", UNSET)

        api_client_output = cls(
            id=id,
            name=name,
            role=role,
            token=token,
            client_id=client_id,
            client_secret=client_secret,
            kind=kind,
        )

        api_client_output.additional_properties = d
        return api_client_output

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
