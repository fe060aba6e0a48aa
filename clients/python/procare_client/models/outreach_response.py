from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.outreach_customer import OutreachCustomer
  from ..models.outreach_response_model_versions import OutreachResponseModelVersions





T = TypeVar("T", bound="OutreachResponse")



@_attrs_define
class OutreachResponse:
    """ The outreach list and its control group.

        Attributes:
            as_of (datetime.date):
            capacity (int):
            holdout (list[OutreachCustomer]):
            holdout_fraction (float):
            holdout_seed (int):
            model_versions (OutreachResponseModelVersions):
            outreach (list[OutreachCustomer]):
            plan_id (str):
            target (str):
     """

    as_of: datetime.date
    capacity: int
    holdout: list[OutreachCustomer]
    holdout_fraction: float
    holdout_seed: int
    model_versions: OutreachResponseModelVersions
    outreach: list[OutreachCustomer]
    plan_id: str
    target: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.outreach_customer import OutreachCustomer # noqa: PLC0415
        from ..models.outreach_response_model_versions import OutreachResponseModelVersions # noqa: PLC0415
        as_of = self.as_of.isoformat()

        capacity = self.capacity

        holdout = []
        for holdout_item_data in self.holdout:
            holdout_item = holdout_item_data.to_dict()
            holdout.append(holdout_item)



        holdout_fraction = self.holdout_fraction

        holdout_seed = self.holdout_seed

        model_versions = self.model_versions.to_dict()

        outreach = []
        for outreach_item_data in self.outreach:
            outreach_item = outreach_item_data.to_dict()
            outreach.append(outreach_item)



        plan_id = self.plan_id

        target = self.target


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "as_of": as_of,
            "capacity": capacity,
            "holdout": holdout,
            "holdout_fraction": holdout_fraction,
            "holdout_seed": holdout_seed,
            "model_versions": model_versions,
            "outreach": outreach,
            "plan_id": plan_id,
            "target": target,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.outreach_customer import OutreachCustomer # noqa: PLC0415
        from ..models.outreach_response_model_versions import OutreachResponseModelVersions # noqa: PLC0415
        d = dict(src_dict)
        as_of = datetime.date.fromisoformat(d.pop("as_of"))




        capacity = d.pop("capacity")

        holdout = []
        _holdout = d.pop("holdout")
        for holdout_item_data in (_holdout):
            holdout_item = OutreachCustomer.from_dict(holdout_item_data)



            holdout.append(holdout_item)


        holdout_fraction = d.pop("holdout_fraction")

        holdout_seed = d.pop("holdout_seed")

        model_versions = OutreachResponseModelVersions.from_dict(d.pop("model_versions"))




        outreach = []
        _outreach = d.pop("outreach")
        for outreach_item_data in (_outreach):
            outreach_item = OutreachCustomer.from_dict(outreach_item_data)



            outreach.append(outreach_item)


        plan_id = d.pop("plan_id")

        target = d.pop("target")

        outreach_response = cls(
            as_of=as_of,
            capacity=capacity,
            holdout=holdout,
            holdout_fraction=holdout_fraction,
            holdout_seed=holdout_seed,
            model_versions=model_versions,
            outreach=outreach,
            plan_id=plan_id,
            target=target,
        )


        outreach_response.additional_properties = d
        return outreach_response

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
