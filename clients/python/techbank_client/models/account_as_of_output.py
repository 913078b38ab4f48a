from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="AccountAsOfOutput")


@_attrs_define
class AccountAsOfOutput:
    """
    Attributes:
        id (UUID):
        holder (str):
        account_type (str):
        balance (str):
        status (str):
        version (int):
        as_of (datetime.datetime): The timestamp of event `version`.
    """

    id: UUID
    holder: str
    account_type: str
    balance: str
    status: str
    version: int
    as_of: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        holder = self.holder

        account_type = self.account_type

        balance = self.balance

        status = self.status

        version = self.version

        as_of = self.as_of.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "holder": holder,
                "account_type": account_type,
                "balance": balance,
                "status": status,
                "version": version,
                "as_of": as_of,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        holder = d.pop("holder")

        account_type = d.pop("account_type")

        balance = d.pop("balance")

        status = d.pop("status")

        version = d.pop("version")

        as_of = datetime.datetime.fromisoformat(d.pop("as_of"))

        account_as_of_output = cls(
            id=id,
            holder=holder,
            account_type=account_type,
            balance=balance,
            status=status,
            version=version,
            as_of=as_of,
        )

        account_as_of_output.additional_properties = d
        return account_as_of_output

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
