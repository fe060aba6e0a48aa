from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.outreach_request_target import OutreachRequestTarget
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="OutreachRequest")



@_attrs_define
class OutreachRequest:
    """ Who to contact, within capacity, with a control group held out.

        Example:
            {'capacity': 10, 'holdout_fraction': 0.1}

        Attributes:
            capacity (int): Customers the teams can contact in total
            as_of (datetime.date | None | Unset): Scored snapshot (default: the served one)
            fill_capacity (bool | Unset): Fill the capacity even with customers of non-positive net value Default: False.
            holdout_fraction (float | Unset): Share of customers held out as a never-contacted control Default: 0.1.
            holdout_seed (int | None | Unset): Seed of the holdout draw (default: the policy's)
            target (OutreachRequestTarget | Unset): Value only the avoided repeat contacts, escalations, or both Default:
                OutreachRequestTarget.BOTH.
     """

    capacity: int
    as_of: datetime.date | None | Unset = UNSET
    fill_capacity: bool | Unset = False
    holdout_fraction: float | Unset = 0.1
    holdout_seed: int | None | Unset = UNSET
    target: OutreachRequestTarget | Unset = OutreachRequestTarget.BOTH





    def to_dict(self) -> dict[str, Any]:
        capacity = self.capacity

        as_of: None | str | Unset
        if isinstance(self.as_of, Unset):
            as_of = UNSET
        elif isinstance(self.as_of, datetime.date):
            as_of = self.as_of.isoformat()
        else:
            as_of = self.as_of

        fill_capacity = self.fill_capacity

        holdout_fraction = self.holdout_fraction

        holdout_seed: int | None | Unset
        if isinstance(self.holdout_seed, Unset):
            holdout_seed = UNSET
        else:
            holdout_seed = self.holdout_seed

        target: str | Unset = UNSET
        if not isinstance(self.target, Unset):
            target = self.target.value



        field_dict: dict[str, Any] = {}

        field_dict.update({
            "capacity": capacity,
        })
        if as_of is not UNSET:
            field_dict["as_of"] = as_of
        if fill_capacity is not UNSET:
            field_dict["fill_capacity"] = fill_capacity
        if holdout_fraction is not UNSET:
            field_dict["holdout_fraction"] = holdout_fraction
        if holdout_seed is not UNSET:
            field_dict["holdout_seed"] = holdout_seed
        if target is not UNSET:
            field_dict["target"] = target

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        capacity = d.pop("capacity")

        def _parse_as_of(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                as_of_type_0 = datetime.date.fromisoformat(data)



                return as_of_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        as_of = _parse_as_of(d.pop("as_of", UNSET))


        fill_capacity = d.pop("fill_capacity", UNSET)

        holdout_fraction = d.pop("holdout_fraction", UNSET)

        def _parse_holdout_seed(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        holdout_seed = _parse_holdout_seed(d.pop("holdout_seed", UNSET))


        _target = d.pop("target", UNSET)
        target: OutreachRequestTarget | Unset
        if isinstance(_target,  Unset):
            target = UNSET
        else:
            target = OutreachRequestTarget(_target)




        outreach_request = cls(
            capacity=capacity,
            as_of=as_of,
            fill_capacity=fill_capacity,
            holdout_fraction=holdout_fraction,
            holdout_seed=holdout_seed,
            target=target,
        )

        return outreach_request

