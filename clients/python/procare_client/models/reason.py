from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.reason_target import ReasonTarget
from typing import cast






T = TypeVar("T", bound="Reason")



@_attrs_define
class Reason:
    """ One reason code: a feature that pushed the customer's risk up.

        Attributes:
            contribution (float): Contribution to the log-odds (LightGBM pred_contrib)
            en (str):
            feature (str):
            target (ReasonTarget):
            value (bool | float | int | None | str):
            zh (str):
     """

    contribution: float
    en: str
    feature: str
    target: ReasonTarget
    value: bool | float | int | None | str
    zh: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        contribution = self.contribution

        en = self.en

        feature = self.feature

        target = self.target.value

        value: bool | float | int | None | str
        value = self.value

        zh = self.zh


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "contribution": contribution,
            "en": en,
            "feature": feature,
            "target": target,
            "value": value,
            "zh": zh,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        contribution = d.pop("contribution")

        en = d.pop("en")

        feature = d.pop("feature")

        target = ReasonTarget(d.pop("target"))




        def _parse_value(data: object) -> bool | float | int | None | str:
            if data is None:
                return data
            return cast(bool | float | int | None | str, data)

        value = _parse_value(d.pop("value"))


        zh = d.pop("zh")

        reason = cls(
            contribution=contribution,
            en=en,
            feature=feature,
            target=target,
            value=value,
            zh=zh,
        )


        reason.additional_properties = d
        return reason

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
