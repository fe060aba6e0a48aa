from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.customer_score import CustomerScore
  from ..models.score_response_model_versions import ScoreResponseModelVersions





T = TypeVar("T", bound="ScoreResponse")



@_attrs_define
class ScoreResponse:
    """ Scores in request order.

        Attributes:
            as_of (datetime.date | None): Snapshot date of the looked-up scores
            count (int):
            errors (int):
            explained (bool): Whether reasons were computed (or looked up)
            model_versions (ScoreResponseModelVersions):
            results (list[CustomerScore]):
     """

    as_of: datetime.date | None
    count: int
    errors: int
    explained: bool
    model_versions: ScoreResponseModelVersions
    results: list[CustomerScore]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.customer_score import CustomerScore # noqa: PLC0415
        from ..models.score_response_model_versions import ScoreResponseModelVersions # noqa: PLC0415
        as_of: None | str
        if isinstance(self.as_of, datetime.date):
            as_of = self.as_of.isoformat()
        else:
            as_of = self.as_of

        count = self.count

        errors = self.errors

        explained = self.explained

        model_versions = self.model_versions.to_dict()

        results = []
        for results_item_data in self.results:
            results_item = results_item_data.to_dict()
            results.append(results_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "as_of": as_of,
            "count": count,
            "errors": errors,
            "explained": explained,
            "model_versions": model_versions,
            "results": results,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.customer_score import CustomerScore # noqa: PLC0415
        from ..models.score_response_model_versions import ScoreResponseModelVersions # noqa: PLC0415
        d = dict(src_dict)
        def _parse_as_of(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                as_of_type_0 = datetime.date.fromisoformat(data)



                return as_of_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        as_of = _parse_as_of(d.pop("as_of"))


        count = d.pop("count")

        errors = d.pop("errors")

        explained = d.pop("explained")

        model_versions = ScoreResponseModelVersions.from_dict(d.pop("model_versions"))




        results = []
        _results = d.pop("results")
        for results_item_data in (_results):
            results_item = CustomerScore.from_dict(results_item_data)



            results.append(results_item)


        score_response = cls(
            as_of=as_of,
            count=count,
            errors=errors,
            explained=explained,
            model_versions=model_versions,
            results=results,
        )


        score_response.additional_properties = d
        return score_response

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
