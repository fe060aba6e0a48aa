"""Settings of ``procare monitor``: what to compare, thresholds of the retrain recommendation."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from pipelines.catalog import DataLayout

EXPERIMENT = "procare-monitoring"


class DriftConfig(BaseModel):
    """How feature and score distributions are compared.

    Attributes:
        bins: Quantile bins fixed from the reference (fewer when the reference has ties).
        epsilon: Share put in place of an empty bin so PSI stays finite.
        max_categories: Categories of a categorical feature kept by name (the most frequent in
            the reference); the rest count as ``other``.
        top_features: Features per target counted as "top-weighted" (by LightGBM gain).
        moderate_psi: PSI from which a feature counts as moderately drifted.
        major_psi: PSI from which a feature counts as drifted.
        column_chunk: Feature columns read at a time (memory: rows x chunk floats).
    """

    model_config = ConfigDict(extra="forbid")

    bins: int = Field(10, ge=2, le=100)
    epsilon: float = Field(1e-4, gt=0, lt=0.01)
    max_categories: int = Field(20, ge=1, le=500)
    top_features: int = Field(10, ge=1, le=200)
    moderate_psi: float = Field(0.1, gt=0)
    major_psi: float = Field(0.25, gt=0)
    column_chunk: int = Field(32, ge=1, le=1000)


class QualityConfig(BaseModel):
    """Data-quality window and usual ranges.

    Attributes:
        recent_days: Days up to the monitored date checked for daily tables.
        history_days: Days before them that define the usual daily volume and value ranges.
        history_months: Months before the latest complete one, for monthly tables.
        low_quantile: Daily (monthly) row counts below this quantile of the history are low.
        high_quantile: ... and above this one high.
        tolerance: Relative margin around the usual range before a volume counts as low or
            high (a base that shrinks by a few customers a month is not an incident).
    """

    model_config = ConfigDict(extra="forbid")

    recent_days: int = Field(7, ge=1, le=90)
    history_days: int = Field(56, ge=7, le=730)
    history_months: int = Field(6, ge=2, le=36)
    low_quantile: float = Field(0.05, ge=0, lt=0.5)
    high_quantile: float = Field(0.95, gt=0.5, le=1)
    tolerance: float = Field(0.05, ge=0, le=1)


class RecommendConfig(BaseModel):
    """When to recommend retraining.

    Attributes:
        pr_auc_share: Retrain when a target's realized PR AUC falls below this share of its
            validation PR AUC.
        drift_psi: Retrain when a top-weighted feature's PSI exceeds this.
        min_drifted: ... for at least this many top-weighted features.
    """

    model_config = ConfigDict(extra="forbid")

    pr_auc_share: float = Field(0.8, gt=0, le=1)
    drift_psi: float = Field(0.25, gt=0)
    min_drifted: int = Field(1, ge=1)


class MonitorConfig(BaseModel):
    """``procare monitor --as-of D``.

    Attributes:
        as_of: The monitored snapshot date.
        layout: Where snapshots, scores and raw tables are read (nothing is written there).
        capacities: Shares of the base the list can contact.
        drift: Drift settings.
        quality: Data-quality settings.
        recommend: Retrain rule.
        model_prefix: Registered model name prefix (``procare-<target>``).
        experiment: MLflow experiment of the monitoring runs.
        chunk_rows: Rows scored at a time when the snapshot has no batch scores.
    """

    model_config = ConfigDict(extra="forbid")

    as_of: date
    layout: DataLayout = Field(default_factory=DataLayout)
    capacities: list[float] = Field(default_factory=lambda: [0.01, 0.02, 0.05, 0.1])
    drift: DriftConfig = Field(default_factory=DriftConfig)
    quality: QualityConfig = Field(default_factory=QualityConfig)
    recommend: RecommendConfig = Field(default_factory=RecommendConfig)
    model_prefix: str = "procare"
    experiment: str = EXPERIMENT
    chunk_rows: int = Field(50_000, ge=100)


def capacity_label(capacity: float) -> str:
    """Metric suffix of a capacity, e.g. ``0.05 -> "5pct"`` (as training names them)."""
    return f"{capacity * 100:g}pct"
