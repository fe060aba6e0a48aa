"""The feature and label configuration a model is trained with, read from its snapshots' metadata.

Every snapshot of a training window (training and validation) must have been built with the
same :class:`~features.assemble.FeatureConfig`: stacking rows whose labels use different
horizons, or whose graph features use different look-backs, trains and validates a model on a
mixture no one chose.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from features.assemble import FeatureConfig
from pipelines.catalog import SnapshotStore

logger = logging.getLogger(__name__)

META_KEY = "feature_config"
"""Key of the feature configuration in a snapshot's ``meta.json``."""


def read_snapshot_metas(features_dir: Path, as_of: Sequence[date]) -> dict[date, dict[str, Any]]:
    """The ``meta.json`` of each snapshot (empty when a snapshot has none)."""
    metas = {}
    for day in as_of:
        path = SnapshotStore(features_dir).at(day).meta
        metas[day] = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    return metas


def snapshot_feature_config(meta: Mapping[str, Any]) -> FeatureConfig | None:
    """The feature configuration a snapshot records, or ``None`` when it records none."""
    recorded = meta.get(META_KEY)
    return None if recorded is None else FeatureConfig.model_validate(recorded)


def _flat(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, Mapping):
            flat.update(_flat(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def flat_params(data: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    """A nested configuration as ``prefix + section.key -> str`` (MLflow params)."""
    return {key: str(value) for key, value in _flat(data, prefix).items()}


def _recorded(meta: Mapping[str, Any]) -> dict[str, Any]:
    """What a snapshot records of its configuration, flattened (older snapshots: the horizon)."""
    config = snapshot_feature_config(meta)
    if config is not None:
        return _flat(config.model_dump(mode="json"))
    return {"labels.horizon_days": meta.get("horizon_days")}


def training_feature_config(metas: Mapping[date, Mapping[str, Any]]) -> FeatureConfig | None:
    """The one feature configuration of a training window's snapshots.

    Args:
        metas: ``meta.json`` of every training and validation snapshot, by date.

    Returns:
        The configuration they share, or ``None`` when none of them records one (snapshots
        built before snapshots recorded it; their horizons must still agree).

    Raises:
        ValueError: When the snapshots were built with different configurations, or only some
            of them record theirs (the message names the snapshots and the settings that differ).
    """
    recorded = {day: _recorded(meta) for day, meta in sorted(metas.items())}
    shared = set.intersection(*(set(flat) for flat in recorded.values())) if recorded else set()
    differing = [
        key
        for key in sorted(shared)
        if len({json.dumps(flat[key]) for flat in recorded.values()}) > 1
    ]
    missing = [day for day, meta in sorted(metas.items()) if META_KEY not in meta]
    if differing or 0 < len(missing) < len(metas):

        def describe(day: date) -> str:
            parts = [f"{key}={recorded[day][key]}" for key in differing]
            parts += ["no recorded feature config"] if day in missing else []
            return f"{day.isoformat()}: {', '.join(parts) or 'recorded'}"

        raise ValueError(
            "the training window's snapshots were built with different feature configurations "
            f"({'; '.join(describe(day) for day in recorded)}); rebuild them with one "
            "configuration (`procare features build`)"
        )
    if missing:
        logger.warning(
            "snapshots %s record no feature configuration; rebuild them to register it with the "
            "model",
            ", ".join(day.isoformat() for day in missing),
        )
        return None
    return snapshot_feature_config(next(iter(metas.values())))
