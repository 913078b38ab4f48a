from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.transfer_output_status_enum import TransferOutputStatusEnum

T = TypeVar("T", bound="TransferOutput")


@_attrs_define
class TransferOutput:
    """One transfer: the aggregate the request service returns (the 202's body) and a row of
    the read model (GET) read the same way, so both answers have one shape.

        Attributes:
            id (UUID):
            from_account (UUID):
            to_account (UUID):
            amount (str):
            status (TransferOutputStatusEnum): * `PENDING` - Pending
                * `COMPLETED` - Completed
                * `FAILED` - Failed
            reason (None | str): A FAILED transfer's domain code (e.g. insufficient_funds, timed_out).
            created_at (datetime.datetime):
            completed_at (datetime.datetime | None):
            deadline (datetime.datetime | None): created_at + TRANSFER_TIMEOUT_SECONDS: not completed by then, it is
                compensated and ends FAILED (timed_out).
            version (int): The transfer stream's version shown.
    """

    id: UUID
    from_account: UUID
    to_account: UUID
    amount: str
    status: TransferOutputStatusEnum
    reason: None | str
    created_at: datetime.datetime
    completed_at: datetime.datetime | None
    deadline: datetime.datetime | None
    version: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        from_account = str(self.from_account)

        to_account = str(self.to_account)

        amount = self.amount

        status = self.status.value

        reason: None | str
        reason = self.reason

        created_at = self.created_at.isoformat()

        completed_at: None | str
        if isinstance(self.completed_at, datetime.datetime):
            completed_at = self.completed_at.isoformat()
        else:
            completed_at = self.completed_at

        deadline: None | str
        if isinstance(self.deadline, datetime.datetime):
            deadline = self.deadline.isoformat()
        else:
            deadline = self.deadline

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "from_account": from_account,
                "to_account": to_account,
                "amount": amount,
                "status": status,
                "reason": reason,
                "created_at": created_at,
                "completed_at": completed_at,
                "deadline": deadline,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        from_account = UUID(d.pop("from_account"))

        to_account = UUID(d.pop("to_account"))

        amount = d.pop("amount")

        status = TransferOutputStatusEnum(d.pop("status"))

        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_completed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                completed_at_type_0 = datetime.datetime.fromisoformat(data)

                return completed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        completed_at = _parse_completed_at(d.pop("completed_at"))

        def _parse_deadline(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                deadline_type_0 = datetime.datetime.fromisoformat(data)

                return deadline_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        deadline = _parse_deadline(d.pop("deadline"))

        version = d.pop("version")

        transfer_output = cls(
            id=id,
            from_account=from_account,
            to_account=to_account,
            amount=amount,
            status=status,
            reason=reason,
            created_at=created_at,
            completed_at=completed_at,
            deadline=deadline,
            version=version,
        )

        transfer_output.additional_properties = d
        return transfer_output

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
