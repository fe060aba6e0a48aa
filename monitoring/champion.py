"""What monitoring needs of the champions: training window, validation PR AUC, feature weights."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

import numpy as np

from training.champions import ChampionModels
from training.tracking import TrackingSettings

logger = logging.getLogger(__name__)

METRIC_TAG = "metric."


@dataclass(frozen=True)
class ChampionReference:
    """The champions' training reference and weights.

    Attributes:
        versions: Registry name, version and alias of each target's champion.
        input_columns: Feature columns the champions read from a snapshot.
        categorical: Input columns the champions treat as categories.
        train_as_of: Training snapshots of each target's champion.
        valid_as_of: Validation snapshot of each target's champion.
        validation_pr_auc: Each champion's PR AUC on its validation snapshot (``None``: not
            recorded).
        importance: Per target, each feature's share of the booster's total gain.
        top_weighted: The features the champions weight most (the union over targets).
    """

    versions: dict[str, dict[str, str]]
    input_columns: list[str]
    categorical: list[str]
    train_as_of: dict[str, list[date]]
    valid_as_of: dict[str, date]
    validation_pr_auc: dict[str, float | None]
    importance: dict[str, dict[str, float]]
    top_weighted: tuple[str, ...]

    @property
    def reference_dates(self) -> list[date]:
        """Every training snapshot of any champion, oldest first."""
        return sorted({d for dates in self.train_as_of.values() for d in dates})

    def max_importance(self) -> dict[str, float]:
        """Each feature's largest gain share over the targets."""
        out: dict[str, float] = {}
        for shares in self.importance.values():
            for name, share in shares.items():
                out[name] = max(out.get(name, 0.0), share)
        return out


def gain_shares(model) -> dict[str, float]:
    """Each model column's share of the LightGBM booster's total split gain."""
    gain = np.asarray(model.booster.feature_importance(importance_type="gain"), dtype=np.float64)
    names = list(model.schema.columns)
    if len(names) != len(gain):
        names = model.booster.feature_name()
    total = gain.sum()
    shares = gain / total if total > 0 else np.zeros_like(gain)
    return dict(zip(names, shares.tolist(), strict=True))


def validation_pr_auc(version: dict[str, str], tracking: TrackingSettings) -> float | None:
    """The PR AUC recorded for a registered version (its tags, else its training run)."""
    from mlflow.exceptions import MlflowException

    client = tracking.client()
    details = client.get_model_version(version["name"], version["version"])
    value = (details.tags or {}).get(METRIC_TAG + "pr_auc")
    if value not in (None, "", "nan"):
        return float(value)
    if details.run_id:
        try:
            found = client.get_run(details.run_id).data.metrics.get("pr_auc")
        except MlflowException:
            logger.warning("run %s of %s is gone", details.run_id, version["name"])
            return None
        return None if found is None else float(found)
    return None


def champion_reference(
    champions: ChampionModels, tracking: TrackingSettings, top_features: int = 10
) -> ChampionReference:
    """The reference of the loaded champions.

    Raises:
        LookupError: When a champion records no training window (``train_as_of``,
            ``valid_as_of`` in its metadata).
    """
    train, valid, pr_auc, importance = {}, {}, {}, {}
    categorical: dict[str, None] = {}
    top: dict[str, None] = {}
    inputs = set(champions.input_columns)
    for target, model in champions.models.items():
        meta = model.metadata
        if "train_as_of" not in meta or "valid_as_of" not in meta:
            raise LookupError(
                f"the {target} champion records no training window (train_as_of, valid_as_of); "
                "retrain it with `procare train`"
            )
        train[target] = [date.fromisoformat(d) for d in meta["train_as_of"]]
        valid[target] = date.fromisoformat(meta["valid_as_of"])
        pr_auc[target] = validation_pr_auc(champions.versions[target], tracking)
        importance[target] = gain_shares(model)
        categorical.update(dict.fromkeys(model.schema.categorical_columns))
        ranked = sorted(importance[target].items(), key=lambda item: (-item[1], item[0]))
        weighted = [name for name, share in ranked if share > 0 and name in inputs]
        top.update(dict.fromkeys(weighted[:top_features]))
    return ChampionReference(
        versions=dict(champions.versions),
        input_columns=champions.input_columns,
        categorical=[c for c in categorical if c in inputs],
        train_as_of=train,
        valid_as_of=valid,
        validation_pr_auc=pr_auc,
        importance=importance,
        top_weighted=tuple(top),
    )
