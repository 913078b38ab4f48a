from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.open_account_input_account_type_enum import OpenAccountInputAccountTypeEnum

T = TypeVar("T", bound="OpenAccountInputRequest")


@_attrs_define
class OpenAccountInputRequest:
    """
    Attributes:
        holder (str):
        account_type (OpenAccountInputAccountTypeEnum): * `SAVINGS` - SAVINGS
            * `CURRENT` - CURRENT
        opening_balance (str): ASCII digits with at most two decimal places; a JSON number written the same way is
            accepted too. Example: 10.50.
    """

    holder: str
    account_type: OpenAccountInputAccountTypeEnum
    opening_balance: str

    def to_dict(self) -> dict[str, Any]:
        holder = self.holder

        account_type = self.account_type.value

        opening_balance = self.opening_balance

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "holder": holder,
                "account_type": account_type,
                "opening_balance": opening_balance,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        holder = d.pop("holder")

        account_type = OpenAccountInputAccountTypeEnum(d.pop("account_type"))

        opening_balance = d.pop("opening_balance")

        open_account_input_request = cls(
            holder=holder,
            account_type=account_type,
            opening_balance=opening_balance,
        )

        return open_account_input_request
