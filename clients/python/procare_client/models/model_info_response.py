from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.model_info import ModelInfo
  from ..models.model_info_response_scores_model_versions import ModelInfoResponseScoresModelVersions





T = TypeVar("T", bound="ModelInfoResponse")



@_attrs_define
class ModelInfoResponse:
    """ The models and data the service answers with.

        Attributes:
            customers (int):
            live_explain_max_rows (int):
            max_batch_size (int):
            models (list[ModelInfo]):
            scores_as_of (datetime.date):
            scores_model_versions (ModelInfoResponseScoresModelVersions):
            snapshot_as_of (datetime.date):
     """

    customers: int
    live_explain_max_rows: int
    max_batch_size: int
    models: list[ModelInfo]
    scores_as_of: datetime.date
    scores_model_versions: ModelInfoResponseScoresModelVersions
    snapshot_as_of: datetime.date
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.model_info import ModelInfo # noqa: PLC0415
        from ..models.model_info_response_scores_model_versions import ModelInfoResponseScoresModelVersions # noqa: PLC0415
        customers = self.customers

        live_explain_max_rows = self.live_explain_max_rows

        max_batch_size = self.max_batch_size

        models = []
        for models_item_data in self.models:
            models_item = models_item_data.to_dict()
            models.append(models_item)



        scores_as_of = self.scores_as_of.isoformat()

        scores_model_versions = self.scores_model_versions.to_dict()

        snapshot_as_of = self.snapshot_as_of.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "customers": customers,
            "live_explain_max_rows": live_explain_max_rows,
            "max_batch_size": max_batch_size,
            "models": models,
            "scores_as_of": scores_as_of,
            "scores_model_versions": scores_model_versions,
            "snapshot_as_of": snapshot_as_of,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.model_info import ModelInfo # noqa: PLC0415
        from ..models.model_info_response_scores_model_versions import ModelInfoResponseScoresModelVersions # noqa: PLC0415
        d = dict(src_dict)
        customers = d.pop("customers")

        live_explain_max_rows = d.pop("live_explain_max_rows")

        max_batch_size = d.pop("max_batch_size")

        models = []
        _models = d.pop("models")
        for models_item_data in (_models):
            models_item = ModelInfo.from_dict(models_item_data)



            models.append(models_item)


        scores_as_of = datetime.date.fromisoformat(d.pop("scores_as_of"))




        scores_model_versions = ModelInfoResponseScoresModelVersions.from_dict(d.pop("scores_model_versions"))




        snapshot_as_of = datetime.date.fromisoformat(d.pop("snapshot_as_of"))




        model_info_response = cls(
            customers=customers,
            live_explain_max_rows=live_explain_max_rows,
            max_batch_size=max_batch_size,
            models=models,
            scores_as_of=scores_as_of,
            scores_model_versions=scores_model_versions,
            snapshot_as_of=snapshot_as_of,
        )


        model_info_response.additional_properties = d
        return model_info_response

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
