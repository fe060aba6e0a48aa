"""Closed-loop simulation: treat each policy's list in the synthetic world and measure the effect.

The treatment effect (relative reduction of a contacted customer's inbound contacts) is an
assumption of the simulation, not a finding: every table carries it as ``assumed_effect``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator
from rich.progress import Progress
from scipy import stats

from features.labels import LabelConfig
from outreach.lists import ListConfig, capacity_size, policy_list
from outreach.sim_world import (
    Scorer,
    SeedWorlds,
    check_window,
    months_through,
    seed_worlds,
)
from pipelines.synthetic import WorldConfig

logger = logging.getLogger(__name__)

METRICS = ("repeat_contact", "reopened_tickets", "escalation")
METRIC_LABELS = {
    "repeat_contact": "repeat-service rate",
    "reopened_tickets": "re-opened tickets",
    "escalation": "escalation rate",
}
CHANGES = ("change_vs_no_outreach", "change_vs_holdout", "base_change")


def _default_world() -> WorldConfig:
    return WorldConfig(customers=10_000)


class SimulationConfig(BaseModel):
    """Closed-loop simulation settings.

    Attributes:
        effect: ASSUMED relative reduction of a contacted customer's inbound contact intensity
            from the day after the snapshot (0.3 = 30% fewer contacts). Not estimated.
        seeds: World seeds; confidence intervals are taken over them.
        capacities: Capacities as shares of the base.
        policies: Policies compared (``model`` needs a scorer).
        as_of: Snapshot date the lists are made on; the window is the following month.
        world: World template (size, start, mechanisms); ``seed``, ``months`` and
            ``treatment`` are set per run.
        lists: Capacity split, shared holdout and seeds of the lists.
        confidence: Level of the t-intervals over seeds.
    """

    model_config = ConfigDict(extra="forbid")

    effect: float = Field(0.3, ge=0, le=1)
    seeds: tuple[int, ...] = Field((101, 102, 103, 104, 105), min_length=1)
    capacities: tuple[float, ...] = Field((0.01, 0.02, 0.05, 0.10), min_length=1)
    policies: tuple[str, ...] = ("model", "oracle", "rule", "most_contacts", "random")
    as_of: date = date(2026, 7, 31)
    world: WorldConfig = Field(default_factory=_default_world)
    lists: ListConfig = Field(default_factory=ListConfig)
    confidence: float = Field(0.95, gt=0, lt=1)

    @model_validator(mode="after")
    def _window_in_one_month(self) -> SimulationConfig:
        check_window(self.as_of, self.world.labels.horizon_days)
        if self.as_of <= self.world.start:
            raise ValueError("as_of must come after the world's start")
        return self

    def label_config(self) -> LabelConfig:
        """Label definitions matching the world's."""
        params = self.world.labels
        return LabelConfig(
            horizon_days=params.horizon_days,
            repeat_min_contacts=params.repeat_min_contacts,
            escalation_min_channels=params.escalation_min_channels,
            viral_min_reposts=params.viral_min_reposts,
        )


@dataclass(frozen=True)
class SimulationResult:
    """Per-seed measurements and their summary over seeds."""

    per_seed: pd.DataFrame
    summary: pd.DataFrame
    effect: float
    customers: int
    seeds: tuple[int, ...]


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator - 1 if denominator > 0 else np.nan


def list_effects(worlds: SeedWorlds, contacted: pd.Index, holdout: pd.Index) -> list[dict]:
    """Realized change of each metric for one list in one seed's worlds."""
    rows = []
    for metric in METRICS:
        untreated = worlds.untreated[metric].astype(np.float64)
        treated = worlds.treated[metric].astype(np.float64)
        on_list_treated = treated.reindex(contacted)
        on_list_untreated = untreated.reindex(contacted)
        control = untreated.reindex(holdout)
        difference = on_list_treated.sum() - on_list_untreated.sum()
        rows.append(
            {
                "metric": metric,
                "contacted_treated": on_list_treated.mean(),
                "contacted_untreated": on_list_untreated.mean(),
                "holdout": control.mean() if len(control) else np.nan,
                "change_vs_no_outreach": _ratio(on_list_treated.mean(), on_list_untreated.mean()),
                "change_vs_holdout": _ratio(on_list_treated.mean(), control.mean())
                if len(control)
                else np.nan,
                "base_change": difference / untreated.sum() if untreated.sum() > 0 else np.nan,
            }
        )
    return rows


def _seed_rows(
    worlds: SeedWorlds, seed: int, config: SimulationConfig, scorer: Scorer | None
) -> list[dict]:
    scores = {"oracle": worlds.oracle}
    if scorer is not None:
        scores["model"] = scorer(worlds.frame, worlds.documents)
    rows = []
    for policy in config.policies:
        if policy == "model" and scorer is None:
            continue
        for share in config.capacities:
            size = capacity_size(share, len(worlds.frame))
            chosen = policy_list(policy, size, worlds.frame, scores, config.lists)
            for row in list_effects(worlds, chosen.contacted, chosen.holdout):
                rows.append(
                    {
                        "seed": seed,
                        "policy": policy,
                        "capacity": share,
                        "contacted": len(chosen.contacted),
                        "holdout_size": len(chosen.holdout),
                        "assumed_effect": config.effect,
                    }
                    | row
                )
    return rows


def summarize(per_seed: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """Mean and t-interval over seeds of every change, per policy, capacity and metric."""
    keys = ["policy", "capacity", "metric", "assumed_effect"]
    groups = per_seed.groupby(keys, sort=False)
    out = groups[["contacted", "holdout_size"]].mean()
    out["seeds"] = groups.size()
    for change in CHANGES:
        mean = groups[change].mean()
        sem = groups[change].std(ddof=1) / np.sqrt(groups[change].count())
        t = stats.t.ppf(0.5 + confidence / 2, np.maximum(groups[change].count() - 1, 1))
        half = np.where(groups[change].count() > 1, t * sem, np.nan)
        out[change] = mean
        out[f"{change}_low"] = mean - half
        out[f"{change}_high"] = mean + half
    return out.reset_index()


def simulate(
    config: SimulationConfig | None = None, scorer: Scorer | None = None, progress: bool = False
) -> SimulationResult:
    """Run the closed-loop simulation over seeds.

    Args:
        config: Effect (assumed), seeds, capacities, policies, world template.
        scorer: Scores a feature frame for the ``model`` policy (e.g. the champions through
            ``serving.scoring.score.score_customers``); the ``model`` policy is skipped without it.
        progress: Show a progress bar over seeds.

    Returns:
        Per-seed rows (seed, policy, capacity, metric, contacted and holdout means, the three
        relative changes) and the summary with confidence intervals over seeds.
    """
    config = config or SimulationConfig()
    months = months_through(config.world.start, config.as_of)
    labels = config.label_config()
    rows: list[dict] = []
    with Progress(disable=not progress, transient=True) as bar:
        task = bar.add_task("simulating seeds", total=len(config.seeds))
        for seed in config.seeds:
            world = config.world.model_copy(update={"seed": seed, "months": months})
            worlds = seed_worlds(world, config.as_of, config.effect, labels, scorer is not None)
            rows.extend(_seed_rows(worlds, seed, config, scorer))
            bar.advance(task)
    per_seed = pd.DataFrame(rows)
    return SimulationResult(
        per_seed=per_seed,
        summary=summarize(per_seed, config.confidence),
        effect=config.effect,
        customers=config.world.customers,
        seeds=config.seeds,
    )


def _interval(row: pd.Series, change: str) -> str:
    mean, low, high = row[change], row[f"{change}_low"], row[f"{change}_high"]
    if not np.isfinite(mean):
        return "n/a"
    if not np.isfinite(low):
        return f"{mean:+.1%}"
    return f"{mean:+.1%} [{low:+.1%}, {high:+.1%}]"


def effect_table(summary: pd.DataFrame) -> pd.DataFrame:
    """The reported-result shape: per policy and capacity, the change of the repeat-service
    rate and of re-opened tickets (contacted vs no outreach, vs holdout, whole base)."""
    rows = []
    for (policy, capacity), part in summary.groupby(["policy", "capacity"], sort=False):
        by_metric = part.set_index("metric")
        row = {
            "policy": policy,
            "capacity": f"{capacity:.0%}" if capacity >= 0.01 else f"{capacity:.1%}",
            "contacted": int(round(by_metric["contacted"].iloc[0])),
            "assumed_effect": f"{by_metric['assumed_effect'].iloc[0]:.0%}",
        }
        for metric, short in (("repeat_contact", "repeat"), ("reopened_tickets", "reopened")):
            metric_row = by_metric.loc[metric]
            row[f"{short}_vs_no_outreach"] = _interval(metric_row, "change_vs_no_outreach")
            row[f"{short}_vs_holdout"] = _interval(metric_row, "change_vs_holdout")
            row[f"{short}_base"] = _interval(metric_row, "base_change")
        rows.append(row)
    return pd.DataFrame(rows)
