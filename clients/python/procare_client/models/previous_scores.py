from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.previous_scores_risk_tier import PreviousScoresRiskTier
from typing import cast
import datetime






T = TypeVar("T", bound="PreviousScores")



@_attrs_define
class PreviousScores:
    """ The customer's batch scores before this event (served snapshot).

        Attributes:
            as_of (datetime.date):
            p_escalation (float):
            p_repeat_contact (float):
            risk_tier (PreviousScoresRiskTier):
     """

    as_of: datetime.date
    p_escalation: float
    p_repeat_contact: float
    risk_tier: PreviousScoresRiskTier
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        as_of = self.as_of.isoformat()

        p_escalation = self.p_escalation

        p_repeat_contact = self.p_repeat_contact

        risk_tier = self.risk_tier.value


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "as_of": as_of,
            "p_escalation": p_escalation,
            "p_repeat_contact": p_repeat_contact,
            "risk_tier": risk_tier,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        as_of = datetime.date.fromisoformat(d.pop("as_of"))




        p_escalation = d.pop("p_escalation")

        p_repeat_contact = d.pop("p_repeat_contact")

        risk_tier = PreviousScoresRiskTier(d.pop("risk_tier"))




        previous_scores = cls(
            as_of=as_of,
            p_escalation=p_escalation,
            p_repeat_contact=p_repeat_contact,
            risk_tier=risk_tier,
        )


        previous_scores.additional_properties = d
        return previous_scores

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
