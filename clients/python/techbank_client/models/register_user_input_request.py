from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.role_enum import RoleEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="RegisterUserInputRequest")


@_attrs_define
class RegisterUserInputRequest:
    """
    Attributes:
        username (str): 1 to 150 letters, digits and @ . + - _ (compared case-insensitively).
        password (str): Judged by AUTH_PASSWORD_VALIDATORS (400 weak_password); never shown.
        roles (list[RoleEnum]): Distinct roles; an administrator holds no other (separation of duties).
        display_name (str | Unset): At most 150 printable characters. Default: ''.
    """

    username: str
    password: str
    roles: list[RoleEnum]
    display_name: str | Unset = ""

    def to_dict(self) -> dict[str, Any]:
        username = self.username

        password = self.password

        roles = []
        for roles_item_data in self.roles:
            roles_item = roles_item_data.value
            roles.append(roles_item)

        display_name = self.display_name

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "username": username,
                "password": password,
                "roles": roles,
            }
        )
        if display_name is not UNSET:
            field_dict["display_name"] = display_name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        username = d.pop("username")

        password = d.pop("password")

        roles = []
        _roles = d.pop("roles")
        for roles_item_data in _roles:
            roles_item = RoleEnum(roles_item_data)

            roles.append(roles_item)

        display_name = d.pop("display_name", UNSET)

        register_user_input_request = cls(
            username=username,
            password=password,
            roles=roles,
            display_name=display_name,
        )

        return register_user_input_request
