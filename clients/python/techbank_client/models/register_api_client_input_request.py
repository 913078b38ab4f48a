from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.role_enum import RoleEnum

T = TypeVar("T", bound="RegisterApiClientInputRequest")


@_attrs_define
class RegisterApiClientInputRequest:
    """
    Attributes:
        name (str): 1 to 150 letters, digits and @ . + - _ (compared case-insensitively).
        role (RoleEnum): * `administrator` - administrator
            * `teller` - teller
            * `auditor` - auditor
    """

    name: str
    role: RoleEnum

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        role = self.role.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "role": role,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        role = RoleEnum(d.pop("role"))

        register_api_client_input_request = cls(
            name=name,
            role=role,
        )

        return register_api_client_input_request
