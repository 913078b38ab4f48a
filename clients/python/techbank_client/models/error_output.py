from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.error_output_errors import ErrorOutputErrors


T = TypeVar("T", bound="ErrorOutput")


@_attrs_define
class ErrorOutput:
    """
    Attributes:
        code (str): Stable, machine-readable error code.
        detail (str):
        errors (ErrorOutputErrors | Unset): Field errors: field name -> messages.
        current_version (int | Unset):
    """

    code: str
    detail: str
    errors: ErrorOutputErrors | Unset = UNSET
    current_version: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        detail = self.detail

        errors: dict[str, Any] | Unset = UNSET
        if not isinstance(self.errors, Unset):
            errors = self.errors.to_dict()

        current_version = self.current_version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "detail": detail,
            }
        )
        if errors is not UNSET:
            field_dict["errors"] = errors
        if current_version is not UNSET:
            field_dict["current_version"] = current_version

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.error_output_errors import ErrorOutputErrors  # noqa: PLC0415

        d = dict(src_dict)
        code = d.pop("code")

        detail = d.pop("detail")

        _errors = d.pop("errors", UNSET)
        errors: ErrorOutputErrors | Unset
        if isinstance(_errors, Unset):
            errors = UNSET
        else:
            errors = ErrorOutputErrors.from_dict(_errors)

        current_version = d.pop("current_version", UNSET)

        error_output = cls(
            code=code,
            detail=detail,
            errors=errors,
            current_version=current_version,
        )

        error_output.additional_properties = d
        return error_output

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
