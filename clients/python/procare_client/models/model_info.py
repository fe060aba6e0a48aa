from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.model_info_target import ModelInfoTarget
from typing import cast

if TYPE_CHECKING:
  from ..models.model_info_feature_config_type_0 import ModelInfoFeatureConfigType0
  from ..models.model_info_metrics import ModelInfoMetrics
  from ..models.model_info_scoring_type_0 import ModelInfoScoringType0
  from ..models.model_info_training_window import ModelInfoTrainingWindow





T = TypeVar("T", bound="ModelInfo")



@_attrs_define
class ModelInfo:
    """ One champion model.

        Attributes:
            aliases (list[str]):
            families_absent (list[str]): Source feature families left out because the tables feeding them were missing
                (absent, not zero-filled).
            families_available (list[str]): Source feature families the model could use (structured, text, text_posts,
                identity_accounts, identity_posts, graph; see docs/data_contract.md).
            feature_config (ModelInfoFeatureConfigType0 | None): Feature and label configuration of the snapshots the model
                was trained on (label horizon, graph settings); null when the snapshots did not record it.
            input_columns (list[str]):
            label_parts_absent (list[str]): Label parts that could not be observed, e.g. escalation.viral_post without
                social posts (the escalation label then comes from contacts alone).
            metrics (ModelInfoMetrics):
            missing_tables (list[str]): Optional contract tables (social_accounts, social_posts, edges) the training data
                lacked; empty when every table was present.
            name (str):
            run_id (None | str):
            scoring (ModelInfoScoringType0 | None): Scoring configuration chosen at training time (tiers, actions, reasons),
                applied by batch scoring and this service; null for models trained before models carried one (the defaults
                apply).
            target (ModelInfoTarget):
            training_window (ModelInfoTrainingWindow):
            version (str):
     """

    aliases: list[str]
    families_absent: list[str]
    families_available: list[str]
    feature_config: ModelInfoFeatureConfigType0 | None
    input_columns: list[str]
    label_parts_absent: list[str]
    metrics: ModelInfoMetrics
    missing_tables: list[str]
    name: str
    run_id: None | str
    scoring: ModelInfoScoringType0 | None
    target: ModelInfoTarget
    training_window: ModelInfoTrainingWindow
    version: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.model_info_feature_config_type_0 import ModelInfoFeatureConfigType0 # noqa: PLC0415
        from ..models.model_info_metrics import ModelInfoMetrics # noqa: PLC0415
        from ..models.model_info_scoring_type_0 import ModelInfoScoringType0 # noqa: PLC0415
        from ..models.model_info_training_window import ModelInfoTrainingWindow # noqa: PLC0415
        aliases = self.aliases



        families_absent = self.families_absent



        families_available = self.families_available



        feature_config: dict[str, Any] | None
        if isinstance(self.feature_config, ModelInfoFeatureConfigType0):
            feature_config = self.feature_config.to_dict()
        else:
            feature_config = self.feature_config

        input_columns = self.input_columns



        label_parts_absent = self.label_parts_absent



        metrics = self.metrics.to_dict()

        missing_tables = self.missing_tables



        name = self.name

        run_id: None | str
        run_id = self.run_id

        scoring: dict[str, Any] | None
        if isinstance(self.scoring, ModelInfoScoringType0):
            scoring = self.scoring.to_dict()
        else:
            scoring = self.scoring

        target = self.target.value

        training_window = self.training_window.to_dict()

        version = self.version


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "aliases": aliases,
            "families_absent": families_absent,
            "families_available": families_available,
            "feature_config": feature_config,
            "input_columns": input_columns,
            "label_parts_absent": label_parts_absent,
            "metrics": metrics,
            "missing_tables": missing_tables,
            "name": name,
            "run_id": run_id,
            "scoring": scoring,
            "target": target,
            "training_window": training_window,
            "version": version,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.model_info_feature_config_type_0 import ModelInfoFeatureConfigType0 # noqa: PLC0415
        from ..models.model_info_metrics import ModelInfoMetrics # noqa: PLC0415
        from ..models.model_info_scoring_type_0 import ModelInfoScoringType0 # noqa: PLC0415
        from ..models.model_info_training_window import ModelInfoTrainingWindow # noqa: PLC0415
        d = dict(src_dict)
        aliases = cast(list[str], d.pop("aliases"))


        families_absent = cast(list[str], d.pop("families_absent"))


        families_available = cast(list[str], d.pop("families_available"))


        def _parse_feature_config(data: object) -> ModelInfoFeatureConfigType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                feature_config_type_0 = ModelInfoFeatureConfigType0.from_dict(data)



                return feature_config_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ModelInfoFeatureConfigType0 | None, data)

        feature_config = _parse_feature_config(d.pop("feature_config"))


        input_columns = cast(list[str], d.pop("input_columns"))


        label_parts_absent = cast(list[str], d.pop("label_parts_absent"))


        metrics = ModelInfoMetrics.from_dict(d.pop("metrics"))




        missing_tables = cast(list[str], d.pop("missing_tables"))


        name = d.pop("name")

        def _parse_run_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        run_id = _parse_run_id(d.pop("run_id"))


        def _parse_scoring(data: object) -> ModelInfoScoringType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                scoring_type_0 = ModelInfoScoringType0.from_dict(data)



                return scoring_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ModelInfoScoringType0 | None, data)

        scoring = _parse_scoring(d.pop("scoring"))


        target = ModelInfoTarget(d.pop("target"))




        training_window = ModelInfoTrainingWindow.from_dict(d.pop("training_window"))




        version = d.pop("version")

        model_info = cls(
            aliases=aliases,
            families_absent=families_absent,
            families_available=families_available,
            feature_config=feature_config,
            input_columns=input_columns,
            label_parts_absent=label_parts_absent,
            metrics=metrics,
            missing_tables=missing_tables,
            name=name,
            run_id=run_id,
            scoring=scoring,
            target=target,
            training_window=training_window,
            version=version,
        )


        model_info.additional_properties = d
        return model_info

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
