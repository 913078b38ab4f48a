from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="TransferInputRequest")


@_attrs_define
class TransferInputRequest:
    """
    Attributes:
        from_account (str): The source account's id.
        to_account (str): The target account's id.
        amount (str): ASCII digits with at most two decimal places; a JSON number written the same way is accepted too.
            Example: 10.50.
    """

    from_account: str
    to_account: str
    amount: str

    def to_dict(self) -> dict[str, Any]:
        from_account = self.from_account

        to_account = self.to_account

        amount = self.amount

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "from_account": from_account,
                "to_account": to_account,
                "amount": amount,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        from_account = d.pop("from_account")

        to_account = d.pop("to_account")

        amount = d.pop("amount")

        transfer_input_request = cls(
            from_account=from_account,
            to_account=to_account,
            amount=amount,
        )

        return transfer_input_request
