from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.early_warning_notify_item import EarlyWarningNotifyItem
from typing import cast






T = TypeVar("T", bound="EarlyWarning")



@_attrs_define
class EarlyWarning:
    """ The escalation early-warning rule applied to the event.

        Attributes:
            distinct_channels_30d (int):
            flag (bool):
            notify (list[EarlyWarningNotifyItem]):
            triggers (list[str]): Rules that fired: escalation_words, escalation_threat, escalation_done, multi_channel,
                regulator_channel, agent_flag
     """

    distinct_channels_30d: int
    flag: bool
    notify: list[EarlyWarningNotifyItem]
    triggers: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        distinct_channels_30d = self.distinct_channels_30d

        flag = self.flag

        notify = []
        for notify_item_data in self.notify:
            notify_item = notify_item_data.value
            notify.append(notify_item)



        triggers = self.triggers




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "distinct_channels_30d": distinct_channels_30d,
            "flag": flag,
            "notify": notify,
            "triggers": triggers,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        distinct_channels_30d = d.pop("distinct_channels_30d")

        flag = d.pop("flag")

        notify = []
        _notify = d.pop("notify")
        for notify_item_data in (_notify):
            notify_item = EarlyWarningNotifyItem(notify_item_data)



            notify.append(notify_item)


        triggers = cast(list[str], d.pop("triggers"))


        early_warning = cls(
            distinct_channels_30d=distinct_channels_30d,
            flag=flag,
            notify=notify,
            triggers=triggers,
        )


        early_warning.additional_properties = d
        return early_warning

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
