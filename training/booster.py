"""Fit the primary LightGBM model on a float matrix with pinned categorical codes."""

from __future__ import annotations

import lightgbm as lgb
import numpy as np

from training.config import LightGBMParams


def booster_params(
    params: LightGBMParams, y: np.ndarray, seed: int, weights: np.ndarray | None = None
) -> dict:
    """LightGBM parameters, with the class-imbalance handling resolved for labels ``y``.

    With row ``weights`` (negative subsampling) the class counts are weighted sums, so the
    positive weighting matches the one of the unsampled rows.
    """
    if weights is None:
        positives = int(np.sum(y))
        negatives = len(y) - positives
    else:
        labels = np.asarray(y, dtype=bool)
        positives = float(np.sum(weights[labels]))
        negatives = float(np.sum(weights[~labels]))
    out = {
        "objective": "binary",
        "learning_rate": params.learning_rate,
        "num_leaves": params.num_leaves,
        "min_child_samples": params.min_child_samples,
        "feature_fraction": params.feature_fraction,
        "bagging_fraction": params.bagging_fraction,
        "bagging_freq": params.bagging_freq,
        "lambda_l2": params.lambda_l2,
        "max_bin": params.max_bin,
        "num_threads": params.num_threads,
        "seed": seed,
        "deterministic": True,
        "force_row_wise": True,
        "verbosity": -1,
    }
    if params.imbalance == "is_unbalance":
        out["is_unbalance"] = True
    elif params.imbalance == "sqrt_ratio" and positives > 0:
        out["scale_pos_weight"] = float(np.sqrt(negatives / positives))
    return out


def fit_booster(
    matrix: np.ndarray,
    y: np.ndarray,
    feature_names: list[str],
    categorical: list[int],
    params: LightGBMParams,
    seed: int,
    weights: np.ndarray | None = None,
) -> lgb.Booster:
    """Train a binary LightGBM booster.

    Args:
        matrix: Training rows (float32; categorical columns hold pinned codes, NaN = missing).
        y: Binary labels.
        feature_names: Column names of ``matrix``.
        categorical: Positions of the categorical columns.
        params: Model settings.
        seed: Random seed (bagging, feature sampling).
        weights: Row weights (``None``: every row weighs 1).
    """
    resolved = booster_params(params, y, seed, weights)
    dataset = lgb.Dataset(
        matrix,
        label=np.asarray(y, dtype=np.float32),
        weight=weights,
        feature_name=list(feature_names),
        categorical_feature=list(categorical),
        params={"max_bin": params.max_bin, "verbosity": -1},
        free_raw_data=True,
    )
    return lgb.train(resolved, dataset, num_boost_round=params.n_estimators)
