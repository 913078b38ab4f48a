from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.type_enum import TypeEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="StatementEntryOutput")


@_attrs_define
class StatementEntryOutput:
    """
    Attributes:
        version (int):
        type_ (TypeEnum): * `OPENING` - Opening balance
            * `DEPOSIT` - Deposit
            * `WITHDRAWAL` - Withdrawal
            * `TRANSFER_IN` - Transfer in
            * `TRANSFER_OUT` - Transfer out
        amount (str):
        balance_after (str):
        timestamp (datetime.datetime):
        transfer_id (str | Unset): Only on transfer lines.
    """

    version: int
    type_: TypeEnum
    amount: str
    balance_after: str
    timestamp: datetime.datetime
    transfer_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        version = self.version

        type_ = self.type_.value

        amount = self.amount

        balance_after = self.balance_after

        timestamp = self.timestamp.isoformat()

        transfer_id = self.transfer_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "version": version,
                "type": type_,
                "amount": amount,
                "balance_after": balance_after,
                "timestamp": timestamp,
            }
        )
        if transfer_id is not UNSET:
            field_dict["transfer_id"] = transfer_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        version = d.pop("version")

        type_ = TypeEnum(d.pop("type"))

        amount = d.pop("amount")

        balance_after = d.pop("balance_after")

        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))

        transfer_id = d.pop("transfer_id", UNSET)

        statement_entry_output = cls(
            version=version,
            type_=type_,
            amount=amount,
            balance_after=balance_after,
            timestamp=timestamp,
            transfer_id=transfer_id,
        )

        statement_entry_output.additional_properties = d
        return statement_entry_output

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
