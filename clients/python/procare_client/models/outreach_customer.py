from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.outreach_customer_group import OutreachCustomerGroup
from ..models.outreach_customer_risk_tier_type_0 import OutreachCustomerRiskTierType0
from ..models.outreach_customer_team import OutreachCustomerTeam
from typing import cast

if TYPE_CHECKING:
  from ..models.action import Action
  from ..models.reason import Reason





T = TypeVar("T", bound="OutreachCustomer")



@_attrs_define
class OutreachCustomer:
    """ One customer of the plan.

        Attributes:
            action (Action): Recommended outreach action.
            contact (bool): False for the control group: do NOT contact
            customer_id (str):
            expected_avoided_escalation (float):
            expected_avoided_repeat (float):
            group (OutreachCustomerGroup):
            net_value (float): Expected yuan saved minus the action's cost
            p_escalation (float):
            p_repeat_contact (float):
            rank (int): 1 = first call within the team and group
            reasons (list[Reason]):
            risk_tier (None | OutreachCustomerRiskTierType0):
            team (OutreachCustomerTeam):
     """

    action: Action
    contact: bool
    customer_id: str
    expected_avoided_escalation: float
    expected_avoided_repeat: float
    group: OutreachCustomerGroup
    net_value: float
    p_escalation: float
    p_repeat_contact: float
    rank: int
    reasons: list[Reason]
    risk_tier: None | OutreachCustomerRiskTierType0
    team: OutreachCustomerTeam
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.action import Action # noqa: PLC0415
        from ..models.reason import Reason # noqa: PLC0415
        action = self.action.to_dict()

        contact = self.contact

        customer_id = self.customer_id

        expected_avoided_escalation = self.expected_avoided_escalation

        expected_avoided_repeat = self.expected_avoided_repeat

        group = self.group.value

        net_value = self.net_value

        p_escalation = self.p_escalation

        p_repeat_contact = self.p_repeat_contact

        rank = self.rank

        reasons = []
        for reasons_item_data in self.reasons:
            reasons_item = reasons_item_data.to_dict()
            reasons.append(reasons_item)



        risk_tier: None | str
        if isinstance(self.risk_tier, OutreachCustomerRiskTierType0):
            risk_tier = self.risk_tier.value
        else:
            risk_tier = self.risk_tier

        team = self.team.value


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "action": action,
            "contact": contact,
            "customer_id": customer_id,
            "expected_avoided_escalation": expected_avoided_escalation,
            "expected_avoided_repeat": expected_avoided_repeat,
            "group": group,
            "net_value": net_value,
            "p_escalation": p_escalation,
            "p_repeat_contact": p_repeat_contact,
            "rank": rank,
            "reasons": reasons,
            "risk_tier": risk_tier,
            "team": team,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.action import Action # noqa: PLC0415
        from ..models.reason import Reason # noqa: PLC0415
        d = dict(src_dict)
        action = Action.from_dict(d.pop("action"))




        contact = d.pop("contact")

        customer_id = d.pop("customer_id")

        expected_avoided_escalation = d.pop("expected_avoided_escalation")

        expected_avoided_repeat = d.pop("expected_avoided_repeat")

        group = OutreachCustomerGroup(d.pop("group"))




        net_value = d.pop("net_value")

        p_escalation = d.pop("p_escalation")

        p_repeat_contact = d.pop("p_repeat_contact")

        rank = d.pop("rank")

        reasons = []
        _reasons = d.pop("reasons")
        for reasons_item_data in (_reasons):
            reasons_item = Reason.from_dict(reasons_item_data)



            reasons.append(reasons_item)


        def _parse_risk_tier(data: object) -> None | OutreachCustomerRiskTierType0:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                risk_tier_type_0 = OutreachCustomerRiskTierType0(data)



                return risk_tier_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | OutreachCustomerRiskTierType0, data)

        risk_tier = _parse_risk_tier(d.pop("risk_tier"))


        team = OutreachCustomerTeam(d.pop("team"))




        outreach_customer = cls(
            action=action,
            contact=contact,
            customer_id=customer_id,
            expected_avoided_escalation=expected_avoided_escalation,
            expected_avoided_repeat=expected_avoided_repeat,
            group=group,
            net_value=net_value,
            p_escalation=p_escalation,
            p_repeat_contact=p_repeat_contact,
            rank=rank,
            reasons=reasons,
            risk_tier=risk_tier,
            team=team,
        )


        outreach_customer.additional_properties = d
        return outreach_customer

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
