"""``procare outreach evaluate``: the measured effect of a recorded plan, once its horizon passed.

Reads the plan recorded on ``D`` (contacted customers and the seeded holdout), the outcomes of
its customers in ``(D, D + H]`` from the ingested tables (bucket by bucket, with the product's
label definitions), and optionally the CRM's reached/not-reached file; measures the
contacted-vs-holdout difference (:func:`outreach.effect.measure_effect`), writes the table next
to the plan and logs it to the MLflow experiment ``procare-outreach-effect``. Every input is
checked before anything is written.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from features.labels import LabelConfig, horizon_is_observed
from outreach.effect import EffectConfig, effect_metrics, measure_effect
from outreach.outcomes import window_outcomes
from outreach.policy import HOLDOUT, OUTREACH
from pipelines import outreach_io
from pipelines.buckets import bucket_codes
from pipelines.catalog import DataLayout, RawTables
from pipelines.raw_tables import raw_buckets, raw_data_range, read_raw_bucket
from pipelines.snapshot_tasks import bucket_tables
from pipelines.storage import write_text_atomic
from training.tracking import TrackingSettings

logger = logging.getLogger(__name__)

EFFECT_EXPERIMENT = "procare-outreach-effect"
REACHED_TRUE = frozenset({"1", "true", "yes", "y", "reached", "是", "已触达"})
REACHED_FALSE = frozenset({"0", "false", "no", "n", "not_reached", "否", "未触达"})


class EvaluationInputError(ValueError):
    """An input of the evaluation is missing or unusable (the message names it)."""


class EvaluateCommandConfig(BaseModel):
    """``procare outreach evaluate``: the measured effect of the plan recorded on a date.

    Attributes:
        plan_as_of: Date of the recorded plan (``D``).
        reached: Optional CSV from the CRM with ``customer_id`` and ``reached`` (1/0,
            true/false, yes/no, 是/否): adds per-protocol figures beside intention-to-treat.
        effect: Confidence level, smallest group per cell, risk bins.
        labels: Label definitions of the outcomes (horizon ``H``, thresholds).
        layout: Where the plan, the ingested tables and the result live.
    """

    model_config = ConfigDict(extra="forbid")

    plan_as_of: date
    reached: Path | None = None
    effect: EffectConfig = Field(default_factory=EffectConfig)
    labels: LabelConfig = Field(default_factory=LabelConfig)
    layout: DataLayout = Field(default_factory=DataLayout)


@dataclass(frozen=True)
class EvaluateResult:
    """A measured effect, written and logged."""

    plan_as_of: date
    effect: pd.DataFrame
    path: Path
    run_id: str


def effect_file(layout: DataLayout, as_of: date) -> Path:
    """The effect table of the plan of ``as_of``, kept in that day's outreach folder."""
    return layout.outreach.at(as_of).effect


def read_reached(path: Path) -> pd.Series:
    """The CRM's reached/not-reached file as a boolean Series indexed by customer_id.

    Raises:
        EvaluationInputError: The file is missing, lacks a column or has unreadable values.
    """
    if not Path(path).is_file():
        raise EvaluationInputError(f"reached file {path} does not exist")
    table = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
    missing = [c for c in ("customer_id", "reached") if c not in table.columns]
    if missing:
        raise EvaluationInputError(f"reached file {path} lacks column(s) {', '.join(missing)}")
    text = table["reached"].fillna("").str.strip().str.lower()
    value = text.map(lambda v: True if v in REACHED_TRUE else False if v in REACHED_FALSE else None)
    bad = int(value.isna().sum())
    if bad:
        raise EvaluationInputError(
            f"reached file {path}: column reached has {bad} row(s) that are not 1/0, "
            "true/false, yes/no or 是/否"
        )
    ids = table["customer_id"].astype(str).str.strip()
    return pd.Series(value.astype(bool).to_numpy(), index=pd.Index(ids, name="customer_id"))


def observed_outcomes(
    raw_dir: Path, customer_ids: pd.Index, as_of: date, labels: LabelConfig
) -> pd.DataFrame:
    """Outcomes in ``(as_of, as_of + H]`` of ``customer_ids`` from the ingested tables, read one
    customer bucket at a time (memory bounded by the bucket, not the base)."""
    ids = pd.Index(customer_ids.astype(str), name="customer_id")
    buckets = raw_buckets(raw_dir)
    version = RawTables(raw_dir).version
    codes = bucket_codes(ids, buckets)
    parts = []
    for bucket in np.unique(codes):
        tables = bucket_tables(read_raw_bucket(raw_dir, int(bucket), version), ())
        members = ids[codes == bucket]
        parts.append(window_outcomes(tables.contacts, tables.social_posts, members, as_of, labels))
    return pd.concat(parts).reindex(ids)


def check_inputs(plan: pd.DataFrame, config: EvaluateCommandConfig) -> None:
    """Refuse a plan without a holdout or contacted customers, or a horizon not yet observed.

    Raises:
        EvaluationInputError: Naming what is missing.
        FileNotFoundError: Nothing ingested.
    """
    day = config.plan_as_of
    counts = plan["group"].value_counts()
    if counts.get(HOLDOUT, 0) == 0:
        raise EvaluationInputError(
            f"the plan of {day} has no holdout customers: nothing to compare with "
            "(plan with a holdout share above 0)"
        )
    if counts.get(OUTREACH, 0) == 0:
        raise EvaluationInputError(f"the plan of {day} has no contacted customers")
    span = raw_data_range(config.layout.raw_dir)
    horizon = config.labels.horizon_days
    if span is None or not horizon_is_observed(day, span[1], horizon):
        end = "no dated data" if span is None else f"data end {span[1].date()}"
        raise EvaluationInputError(
            f"the {horizon}-day horizon after {day} is not yet observed in the ingested data "
            f"({end}): ingest data through {day + timedelta(days=horizon)} first"
        )


def evaluate_command(
    config: EvaluateCommandConfig, tracking: TrackingSettings | None = None
) -> EvaluateResult:
    """Measure the effect of the plan recorded on ``config.plan_as_of``.

    Raises:
        FileNotFoundError: No recorded plan on that date, or nothing ingested.
        EvaluationInputError: No holdout, horizon not observed, unusable reached file.
        StageFileError: The recorded plan breaks its schema.
    """
    import mlflow

    day = config.plan_as_of
    plan, meta = outreach_io.read_plan(config.layout.outreach_dir, day)
    check_inputs(plan, config)
    reached = read_reached(config.reached) if config.reached is not None else None
    outcomes = observed_outcomes(config.layout.raw_dir, plan.index, day, config.labels)
    effect = measure_effect(plan, outcomes, reached, config.effect)

    path = write_text_atomic(effect.to_csv(index=False), effect_file(config.layout, day))
    settings = tracking or TrackingSettings.from_env()
    settings.apply()
    experiment_id = settings.ensure_experiment(EFFECT_EXPERIMENT)
    with mlflow.start_run(run_name=f"effect {day}", experiment_id=experiment_id) as run:
        mlflow.set_tags(
            {"command": "outreach evaluate", "plan_as_of": day.isoformat(), "analysis": "itt"}
        )
        mlflow.log_params(
            {
                "plan_as_of": day.isoformat(),
                "horizon_days": config.labels.horizon_days,
                "confidence": config.effect.confidence,
                "min_group": config.effect.min_group,
                "interval": "newcombe_hybrid_score",
                "per_protocol": reached is not None,
                "holdout_share": meta.get("holdout_share"),
                "holdout_seed": meta.get("holdout_seed"),
            }
        )
        mlflow.log_metrics(effect_metrics(effect))
        mlflow.log_artifact(str(path))
    logger.info("outreach effect of the plan of %s written to %s", day, path)
    return EvaluateResult(day, effect, path, run.info.run_id)
