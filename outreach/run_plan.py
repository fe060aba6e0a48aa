"""``procare outreach plan``: today's list from a scored snapshot, written and logged."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from outreach.config import OutreachConfig, TeamCapacity
from outreach.policy import HOLDOUT, OUTREACH, plan_outreach
from outreach.runs import outreach_run
from pipelines import outreach_io
from pipelines.catalog import DataLayout
from pipelines.scores import latest_scored, read_scores
from pipelines.snapshot import available_snapshots
from training.tracking import TrackingSettings

logger = logging.getLogger(__name__)


class PlanCommandConfig(BaseModel):
    """``procare outreach plan``: today's list from a scored snapshot.

    Attributes:
        as_of: Snapshot to plan on; the latest scored (or built) one when omitted.
        capacity: Total cases for the day, split over the teams by the shares below; when
            omitted, ``outreach.capacity`` holds each team's capacity.
        supervisors_share: Share of ``capacity`` for supervisors.
        crisis_share: Share of ``capacity`` for the crisis team.
        outreach: Costs, effects, values and holdout of the policy.
        layout: Where the snapshots and scores are read and the list is written.
        score_if_missing: Score the snapshot with the champions (reasons included) first when it
            has no scores yet.
    """

    model_config = ConfigDict(extra="forbid")

    as_of: date | None = None
    capacity: int | None = Field(None, ge=0)
    supervisors_share: float = Field(0.1, ge=0, le=1)
    crisis_share: float = Field(0.02, ge=0, le=1)
    outreach: OutreachConfig = Field(default_factory=OutreachConfig)
    layout: DataLayout = Field(default_factory=DataLayout)
    score_if_missing: bool = True

    def policy(self) -> OutreachConfig:
        """The policy settings with the capacity applied."""
        if self.capacity is None:
            return self.outreach
        split = TeamCapacity.split(self.capacity, self.supervisors_share, self.crisis_share)
        return self.outreach.model_copy(update={"capacity": split})


@dataclass(frozen=True)
class PlanResult:
    """A written plan."""

    as_of: date
    plan: pd.DataFrame
    counts: pd.DataFrame
    paths: dict[str, Path]
    versions: dict
    run_id: str


def plan_date(config: PlanCommandConfig) -> date:
    """The configured date, else the latest scored snapshot, else the latest built one."""
    if config.as_of is not None:
        return config.as_of
    layout = config.layout
    scored = latest_scored(layout.scores_dir)
    if scored is not None:
        return scored
    built = available_snapshots(layout.features_dir)
    if not built:
        raise FileNotFoundError(
            f"no scores under {layout.scores_dir} and no snapshots under {layout.features_dir}"
        )
    return built[-1]


def _read_or_score(config: PlanCommandConfig, as_of: date, tracking) -> tuple[pd.DataFrame, dict]:
    try:
        return read_scores(config.layout.scores_dir, as_of)
    except FileNotFoundError:
        if not config.score_if_missing:
            raise
    from serving.scoring.batch import BatchScoreConfig, score_snapshot

    logger.info("snapshot %s has no scores yet: scoring it with the champions", as_of)
    score_snapshot(
        BatchScoreConfig(
            as_of=as_of,
            features_dir=config.layout.features_dir,
            scores_dir=config.layout.scores_dir,
        ),
        tracking,
    )
    return read_scores(config.layout.scores_dir, as_of)


def plan_counts(plan: pd.DataFrame) -> pd.DataFrame:
    """Customers per team and group (outreach / holdout)."""
    counts = plan.groupby(["team", "group"]).size().unstack(fill_value=0)
    return counts.reindex(columns=[OUTREACH, HOLDOUT], fill_value=0)


def plan_command(config: PlanCommandConfig, tracking: TrackingSettings | None = None) -> PlanResult:
    """Choose today's outreach list and write it (CSV + Parquet + settings JSON).

    Raises:
        FileNotFoundError: No scores (and scoring disabled) or no snapshot.
        LookupError: Scoring needed but no champion model.
    """
    import mlflow

    as_of = plan_date(config)
    scores, versions = _read_or_score(config, as_of, tracking)
    policy = config.policy()
    plan = plan_outreach(scores, policy)
    meta = {
        "as_of": as_of.isoformat(),
        "customers_scored": len(scores),
        "capacity": policy.capacity.model_dump(),
        "holdout_share": policy.holdout_share,
        "holdout_seed": policy.holdout_seed,
        "model_versions": versions,
    }
    paths = outreach_io.write_plan(plan, config.layout.outreach_dir, as_of, meta)
    counts = plan_counts(plan)
    with outreach_run(f"plan {as_of}", config, tracking) as run:
        mlflow.set_tags({"command": "plan", "as_of": as_of.isoformat()})
        mlflow.log_params(
            {
                "as_of": as_of.isoformat(),
                **{f"capacity_{k}": v for k, v in policy.capacity.model_dump().items()},
                "holdout_share": policy.holdout_share,
                "holdout_seed": policy.holdout_seed,
            }
        )
        mlflow.log_metrics(
            {
                f"{group}_{team}": float(counts.loc[team, group])
                for team in counts.index
                for group in counts.columns
            }
            | {"expected_net_value": float(plan.loc[plan["group"] == OUTREACH, "net_value"].sum())}
        )
    logger.info("outreach plan %s: %d contacted, %d held out", as_of, *counts.sum().tolist())
    return PlanResult(as_of, plan, counts, paths, versions, run.info.run_id)
