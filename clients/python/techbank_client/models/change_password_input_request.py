from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ChangePasswordInputRequest")


@_attrs_define
class ChangePasswordInputRequest:
    """
    Attributes:
        password (str): Judged by AUTH_PASSWORD_VALIDATORS (400 weak_password); never shown.
        current_password (str | Unset): Required when you change your own password; not when an administrator sets
            another person's.
    """

    password: str
    current_password: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        password = self.password

        current_password = self.current_password

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "password": password,
            }
        )
        if current_password is not UNSET:
            field_dict["current_password"] = current_password

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        password = d.pop("password")

        current_password = d.pop("current_password", UNSET)

        change_password_input_request = cls(
            password=password,
            current_password=current_password,
        )

        return change_password_input_request
