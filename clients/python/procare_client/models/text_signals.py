from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="TextSignals")



@_attrs_define
class TextSignals:
    """ What the text says (negation, hearsay and questions are handled).

        Attributes:
            anger (float):
            churn_intent (bool):
            escalation_intent (bool): Threatens escalation or reports one done
            escalation_kinds (list[str]): How escalation is mentioned: threat, done (already escalated, or an @ of the
                regulator or media), hearsay, negated, question
            escalation_target (None | str):
     """

    anger: float
    churn_intent: bool
    escalation_intent: bool
    escalation_kinds: list[str]
    escalation_target: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        anger = self.anger

        churn_intent = self.churn_intent

        escalation_intent = self.escalation_intent

        escalation_kinds = self.escalation_kinds



        escalation_target: None | str
        escalation_target = self.escalation_target


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "anger": anger,
            "churn_intent": churn_intent,
            "escalation_intent": escalation_intent,
            "escalation_kinds": escalation_kinds,
            "escalation_target": escalation_target,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        anger = d.pop("anger")

        churn_intent = d.pop("churn_intent")

        escalation_intent = d.pop("escalation_intent")

        escalation_kinds = cast(list[str], d.pop("escalation_kinds"))


        def _parse_escalation_target(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        escalation_target = _parse_escalation_target(d.pop("escalation_target"))


        text_signals = cls(
            anger=anger,
            churn_intent=churn_intent,
            escalation_intent=escalation_intent,
            escalation_kinds=escalation_kinds,
            escalation_target=escalation_target,
        )


        text_signals.additional_properties = d
        return text_signals

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
