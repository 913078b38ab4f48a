from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.account_output_account_type_enum import AccountOutputAccountTypeEnum
from ..models.account_output_status_enum import AccountOutputStatusEnum

T = TypeVar("T", bound="AccountOutput")


@_attrs_define
class AccountOutput:
    """One account as the read model holds it (eventually consistent: see `min_version`).

    Attributes:
        id (UUID):
        holder (str):
        account_type (AccountOutputAccountTypeEnum): * `SAVINGS` - Savings
            * `CURRENT` - Current
        balance (str):
        status (AccountOutputStatusEnum): * `OPEN` - Open
            * `CLOSED` - Closed
        opened_at (datetime.datetime):
        closed_at (datetime.datetime | None):
        version (int):
        updated_at (datetime.datetime):
    """

    id: UUID
    holder: str
    account_type: AccountOutputAccountTypeEnum
    balance: str
    status: AccountOutputStatusEnum
    opened_at: datetime.datetime
    closed_at: datetime.datetime | None
    version: int
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        holder = self.holder

        account_type = self.account_type.value

        balance = self.balance

        status = self.status.value

        opened_at = self.opened_at.isoformat()

        closed_at: None | str
        if isinstance(self.closed_at, datetime.datetime):
            closed_at = self.closed_at.isoformat()
        else:
            closed_at = self.closed_at

        version = self.version

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "holder": holder,
                "account_type": account_type,
                "balance": balance,
                "status": status,
                "opened_at": opened_at,
                "closed_at": closed_at,
                "version": version,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        holder = d.pop("holder")

        account_type = AccountOutputAccountTypeEnum(d.pop("account_type"))

        balance = d.pop("balance")

        status = AccountOutputStatusEnum(d.pop("status"))

        opened_at = datetime.datetime.fromisoformat(d.pop("opened_at"))

        def _parse_closed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                closed_at_type_0 = datetime.datetime.fromisoformat(data)

                return closed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        closed_at = _parse_closed_at(d.pop("closed_at"))

        version = d.pop("version")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        account_output = cls(
            id=id,
            holder=holder,
            account_type=account_type,
            balance=balance,
            status=status,
            opened_at=opened_at,
            closed_at=closed_at,
            version=version,
            updated_at=updated_at,
        )

        account_output.additional_properties = d
        return account_output

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
