"""Feature importance of a booster: total gain and mean |contribution| on sample rows."""

from __future__ import annotations

from collections.abc import Mapping

import lightgbm as lgb
import numpy as np
import pandas as pd

from features.registry import FeatureSpec


def feature_importance(
    booster: lgb.Booster, matrix: np.ndarray, specs: Mapping[str, FeatureSpec]
) -> pd.DataFrame:
    """Gain and mean absolute contribution (log-odds) per feature, by gain descending.

    Args:
        booster: Fitted booster.
        matrix: Rows to average contributions over (e.g. a validation sample).
        specs: Registry entries for the family and English description columns.
    """
    names = booster.feature_name()
    contrib = np.asarray(booster.predict(matrix, pred_contrib=True))[:, : len(names)]
    table = pd.DataFrame(
        {
            "feature": names,
            "family": [specs[n].family if n in specs else "" for n in names],
            "gain": booster.feature_importance(importance_type="gain"),
            "mean_abs_contribution": np.abs(contrib).mean(axis=0) if len(contrib) else 0.0,
            "description_en": [specs[n].description_en if n in specs else "" for n in names],
        }
    )
    return table.sort_values("gain", ascending=False, kind="stable").reset_index(drop=True)
