from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.customer_score_risk_tier_type_0 import CustomerScoreRiskTierType0
from ..models.customer_score_source_type_0 import CustomerScoreSourceType0
from typing import cast

if TYPE_CHECKING:
  from ..models.action import Action
  from ..models.item_error import ItemError
  from ..models.reason import Reason





T = TypeVar("T", bound="CustomerScore")



@_attrs_define
class CustomerScore:
    """ Scores of one requested customer, or the error that prevented them.

        Attributes:
            action (Action | None):
            customer_id (None | str):
            error (ItemError | None):
            index (int): Position of the item in the request
            p_escalation (float | None):
            p_repeat_contact (float | None):
            reasons (list[Reason]): Strongest first, up to 3
            risk_tier (CustomerScoreRiskTierType0 | None):
            source (CustomerScoreSourceType0 | None): `snapshot`: batch scores looked up by id; `live`: scored now
     """

    action: Action | None
    customer_id: None | str
    error: ItemError | None
    index: int
    p_escalation: float | None
    p_repeat_contact: float | None
    reasons: list[Reason]
    risk_tier: CustomerScoreRiskTierType0 | None
    source: CustomerScoreSourceType0 | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.action import Action # noqa: PLC0415
        from ..models.item_error import ItemError # noqa: PLC0415
        from ..models.reason import Reason # noqa: PLC0415
        action: dict[str, Any] | None
        if isinstance(self.action, Action):
            action = self.action.to_dict()
        else:
            action = self.action

        customer_id: None | str
        customer_id = self.customer_id

        error: dict[str, Any] | None
        if isinstance(self.error, ItemError):
            error = self.error.to_dict()
        else:
            error = self.error

        index = self.index

        p_escalation: float | None
        p_escalation = self.p_escalation

        p_repeat_contact: float | None
        p_repeat_contact = self.p_repeat_contact

        reasons = []
        for reasons_item_data in self.reasons:
            reasons_item = reasons_item_data.to_dict()
            reasons.append(reasons_item)



        risk_tier: None | str
        if isinstance(self.risk_tier, CustomerScoreRiskTierType0):
            risk_tier = self.risk_tier.value
        else:
            risk_tier = self.risk_tier

        source: None | str
        if isinstance(self.source, CustomerScoreSourceType0):
            source = self.source.value
        else:
            source = self.source


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "action": action,
            "customer_id": customer_id,
            "error": error,
            "index": index,
            "p_escalation": p_escalation,
            "p_repeat_contact": p_repeat_contact,
            "reasons": reasons,
            "risk_tier": risk_tier,
            "source": source,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.action import Action # noqa: PLC0415
        from ..models.item_error import ItemError # noqa: PLC0415
        from ..models.reason import Reason # noqa: PLC0415
        d = dict(src_dict)
        def _parse_action(data: object) -> Action | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                action_type_0 = Action.from_dict(data)



                return action_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Action | None, data)

        action = _parse_action(d.pop("action"))


        def _parse_customer_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        customer_id = _parse_customer_id(d.pop("customer_id"))


        def _parse_error(data: object) -> ItemError | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                error_type_0 = ItemError.from_dict(data)



                return error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ItemError | None, data)

        error = _parse_error(d.pop("error"))


        index = d.pop("index")

        def _parse_p_escalation(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        p_escalation = _parse_p_escalation(d.pop("p_escalation"))


        def _parse_p_repeat_contact(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        p_repeat_contact = _parse_p_repeat_contact(d.pop("p_repeat_contact"))


        reasons = []
        _reasons = d.pop("reasons")
        for reasons_item_data in (_reasons):
            reasons_item = Reason.from_dict(reasons_item_data)



            reasons.append(reasons_item)


        def _parse_risk_tier(data: object) -> CustomerScoreRiskTierType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                risk_tier_type_0 = CustomerScoreRiskTierType0(data)



                return risk_tier_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CustomerScoreRiskTierType0 | None, data)

        risk_tier = _parse_risk_tier(d.pop("risk_tier"))


        def _parse_source(data: object) -> CustomerScoreSourceType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                source_type_0 = CustomerScoreSourceType0(data)



                return source_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CustomerScoreSourceType0 | None, data)

        source = _parse_source(d.pop("source"))


        customer_score = cls(
            action=action,
            customer_id=customer_id,
            error=error,
            index=index,
            p_escalation=p_escalation,
            p_repeat_contact=p_repeat_contact,
            reasons=reasons,
            risk_tier=risk_tier,
            source=source,
        )


        customer_score.additional_properties = d
        return customer_score

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
