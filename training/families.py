"""Fit and evaluate each model family the same way on one out-of-time split (no MLflow here)."""

from __future__ import annotations

from dataclasses import dataclass

import lightgbm as lgb
import numpy as np
import pandas as pd
from scipy.special import logit

from features.early_warning import rule_score
from training.baselines import make_baseline, sklearn_input
from training.booster import fit_booster
from training.calibration import cross_fit
from training.config import Target, TrainConfig
from training.evaluate import classification_metrics, oracle_comparison
from training.feature_schema import FeatureSchema

PRIMARY = "lightgbm"
ORACLE = "oracle"


@dataclass(frozen=True)
class Evaluation:
    """Validation result of one model: raw scores, cross-fitted probabilities, metrics."""

    name: str
    raw: np.ndarray
    probs: np.ndarray
    metrics: dict[str, float]


@dataclass(frozen=True)
class Evaluator:
    """Scores raw validation outputs identically for every family.

    Attributes:
        config: Calibration, folds, capacities, seed.
        y: Validation labels.
        oracle: True probabilities of the validation rows (NaN where unknown), or ``None``.
    """

    config: TrainConfig
    y: np.ndarray
    oracle: np.ndarray | None

    def __call__(self, name: str, raw: np.ndarray) -> Evaluation:
        """Cross-fit the calibrator on the validation rows and compute every metric."""
        config = self.config
        probs = cross_fit(raw, self.y, config.calibration, config.calibration_folds, config.seed)
        metrics = classification_metrics(self.y, probs, config.capacities)
        if self.oracle is not None and not np.isnan(self.oracle).all():
            metrics.update(oracle_comparison(self.y, probs, self.oracle))
        return Evaluation(name, np.asarray(raw, dtype=np.float64), probs, metrics)


@dataclass(frozen=True)
class Matrices:
    """Training and validation rows as float matrices in the schema's column order.

    Built once per target; ablation arms take column subsets instead of re-converting frames.
    """

    schema: FeatureSchema
    train: np.ndarray
    valid: np.ndarray

    @classmethod
    def build(cls, schema: FeatureSchema, train: pd.DataFrame, valid: pd.DataFrame) -> Matrices:
        """Convert both frames with the schema's pinned categories."""
        return cls(schema, schema.to_matrix(train), schema.to_matrix(valid))

    def select(self, columns: list[str]) -> Matrices:
        """The matrices of a column subset (same row order)."""
        if list(columns) == list(self.schema.columns):
            return self
        positions = [self.schema.columns.index(c) for c in columns]
        return Matrices(
            self.schema.select(columns), self.train[:, positions], self.valid[:, positions]
        )


def fit_lightgbm(
    matrices: Matrices, y: np.ndarray, config: TrainConfig, weights: np.ndarray | None = None
) -> lgb.Booster:
    """The primary model (or an ablation arm) on the training matrix (rows optionally weighted)."""
    schema = matrices.schema
    return fit_booster(
        matrices.train,
        y,
        list(schema.columns),
        schema.categorical_indices,
        config.lightgbm,
        config.seed,
        weights,
    )


def booster_raw(booster: lgb.Booster, matrices: Matrices) -> np.ndarray:
    """Raw log-odds of a booster on the validation matrix."""
    return booster.predict(matrices.valid, raw_score=True)


def subsample(n: int, limit: int, seed: int) -> np.ndarray:
    """Sorted random row positions, at most ``limit`` of ``n``."""
    if n <= limit:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, size=limit, replace=False))


def fit_baseline_raw(
    name: str,
    schema: FeatureSchema,
    train: pd.DataFrame,
    y: np.ndarray,
    valid: pd.DataFrame,
    config: TrainConfig,
    weights: np.ndarray | None = None,
) -> np.ndarray:
    """Fit one scikit-learn baseline on (a subsample of) the training rows; validation log-odds.

    ``weights`` (negative subsampling) are passed to the estimator as sample weights.

    Raises:
        ValueError: If the subsample holds a single class.
    """
    rows = subsample(len(train), config.baseline.max_train_rows, config.seed)
    y_fit = np.asarray(y, dtype=bool)[rows]
    if y_fit.all() or not y_fit.any():
        raise ValueError(f"baseline {name}: training subsample holds a single class")
    model = make_baseline(name, schema, config.baseline, config.seed)
    fit_params = {} if weights is None else {"model__sample_weight": weights[rows]}
    model.fit(sklearn_input(schema, train.iloc[rows]), y_fit, **fit_params)
    proba = model.predict_proba(sklearn_input(schema, valid))[:, 1]
    return logit(np.clip(proba, 1e-6, 1 - 1e-6))


def rule_raw(target: Target, valid: pd.DataFrame) -> np.ndarray:
    """The early-warning rule's score on the validation rows."""
    return rule_score(target, valid)
