"""The closed loop in the synthetic world: plan on D, apply the plan in the world, measure it.

The recorded plan of ``D`` is applied inside the world through its treatment hook: from
``D + 1`` the contacted customers' inbound contacts are thinned by an effect that depends on
their cause (:class:`pipelines.synthetic.config.CauseEffects`: outreach removes a suspension's
or an open ticket's cause, not an outage's), so the true effect differs by customer. The world
is regenerated (identical before ``D + 1``), ingested, and the plan evaluated like real data
(:func:`outreach.run_evaluate.evaluate_command`). The world's truth per contacted customer is
the drop of its oracle probabilities at ``D`` (treated world minus untreated world; exact,
not estimated), written to the world's latent tables (``oracle/outreach_effect.parquet``);
its mean over the contacted is what the measured difference must recover.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from features.labels import LabelConfig
from outreach.config import OutreachConfig, TeamCapacity
from outreach.effect import EffectConfig, headline
from outreach.policy import OUTREACH, plan_outreach
from outreach.run_evaluate import EvaluateCommandConfig, evaluate_command
from outreach.sim_world import check_window, months_through
from pipelines import outreach_io
from pipelines.catalog import DataLayout
from pipelines.ingest import IngestConfig, ingest
from pipelines.snapshot import read_oracle
from pipelines.storage import write_parquet_atomic
from pipelines.synthetic import TreatmentConfig, WorldConfig, generate_world, save_world
from pipelines.synthetic.config import CauseEffects
from training.tracking import TrackingSettings

logger = logging.getLogger(__name__)

TRUTH_TABLE = "outreach_effect"
"""Latent table of the world with the true effect per contacted customer."""
TRUE_OUTCOMES = {"repeat_contact": "p_repeat_contact", "escalation": "p_escalation"}


class ClosedLoopConfig(BaseModel):
    """One closed loop.

    Attributes:
        world: The world that produced the layout's data (its treatment is replaced); it must
            run at least through the month after ``plan_as_of``.
        plan_as_of: Date of the recorded plan (a month end followed by a month of at least the
            horizon's length, so the window lies in one treated month).
        effect: Relative reduction of a treated customer's contacts of a fully removable cause.
        by_cause: Share of ``effect`` per cause of contact.
        evaluation: Intervals and smallest cells of the measured effect.
        labels: Label definitions of the outcomes (horizon).
        layout: Where the world, the ingested tables, the plan and the result live.
    """

    model_config = ConfigDict(extra="forbid")

    world: WorldConfig
    plan_as_of: date
    effect: float = Field(0.8, ge=0, le=1)
    by_cause: CauseEffects = Field(default_factory=CauseEffects)
    evaluation: EffectConfig = Field(default_factory=EffectConfig)
    labels: LabelConfig = Field(default_factory=LabelConfig)
    layout: DataLayout = Field(default_factory=DataLayout)


@dataclass(frozen=True)
class ClosedLoopResult:
    """Measured against true effect of one closed loop.

    Attributes:
        plan_as_of: Date of the plan.
        effect: The full measured table (:func:`outreach.effect.measure_effect`).
        measured: Overall intention-to-treat rows, indexed by outcome.
        true_effect: Per outcome with an oracle, the true mean change of its probability among
            the contacted (negative = fewer events).
        covered: Per outcome with an oracle, whether the measured interval holds the truth.
        truth: Per contacted customer, the oracle probabilities untreated and treated.
        run_id: The MLflow run of the evaluation.
    """

    plan_as_of: date
    effect: pd.DataFrame
    measured: pd.DataFrame
    true_effect: dict[str, float]
    covered: dict[str, bool]
    truth: pd.DataFrame
    run_id: str

    def summary(self) -> pd.DataFrame:
        """Measured difference, its interval and the world's true effect per outcome."""
        rows = self.measured.loc[list(self.true_effect)]
        return pd.DataFrame(
            {
                "measured": rows["difference"],
                "ci_low": rows["ci_low"],
                "ci_high": rows["ci_high"],
                "true": pd.Series(self.true_effect),
                "covered": pd.Series(self.covered),
            }
        )


def _oracle_at(oracle: pd.DataFrame, as_of: date) -> pd.DataFrame:
    rows = oracle.loc[pd.to_datetime(oracle["as_of"]) == pd.Timestamp(as_of)]
    index = pd.Index(rows["customer_id"].astype(str), name="customer_id")
    return rows.set_index(index)[list(TRUE_OUTCOMES.values())]


def true_effects(
    untreated: pd.DataFrame, treated: pd.DataFrame, contacted: pd.Index
) -> pd.DataFrame:
    """Per contacted customer: oracle probabilities at D without and with the treatment."""
    before = untreated.reindex(contacted).add_suffix("_untreated")
    after = treated.reindex(contacted).add_suffix("_treated")
    truth = before.join(after)
    for outcome, column in TRUE_OUTCOMES.items():
        truth[f"effect_{outcome}"] = truth[f"{column}_treated"] - truth[f"{column}_untreated"]
    return truth


def run_closed_loop(
    config: ClosedLoopConfig, tracking: TrackingSettings | None = None
) -> ClosedLoopResult:
    """Apply the recorded plan of ``plan_as_of`` in the world, regenerate, ingest, evaluate.

    The layout's world is replaced by the treated world (identical before ``plan_as_of + 1``)
    and re-ingested; give the loop a layout of its own to keep an untreated world.

    Raises:
        FileNotFoundError: No recorded plan on that date.
        ValueError: ``plan_as_of`` is not a month end whose next month holds the horizon.
    """
    day = config.plan_as_of
    layout = config.layout
    check_window(day, config.labels.horizon_days)
    plan, _ = outreach_io.read_plan(layout.outreach_dir, day)
    contacted = plan.index[plan["group"] == OUTREACH].astype(str)
    oracle = read_oracle(layout.world_dir)
    if oracle is None:
        oracle = generate_world(config.world.model_copy(update={"treatment": None})).oracle
    untreated = _oracle_at(oracle, day)

    treatment = TreatmentConfig(
        customer_ids=list(contacted),
        start=day + timedelta(days=1),
        effect=config.effect,
        by_cause=config.by_cause,
    )
    world = generate_world(config.world.model_copy(update={"treatment": treatment}))
    save_world(world, layout.world_dir)
    truth = true_effects(untreated, _oracle_at(world.oracle, day), pd.Index(contacted))
    write_parquet_atomic(
        truth.reset_index().assign(as_of=pd.Timestamp(day)), layout.world.latent(TRUTH_TABLE)
    )
    del world
    ingest(IngestConfig(source_dir=layout.world_dir, raw_dir=layout.raw_dir))

    result = evaluate_command(
        EvaluateCommandConfig(
            plan_as_of=day, effect=config.evaluation, labels=config.labels, layout=layout
        ),
        tracking,
    )
    measured = headline(result.effect)
    true = {o: float(truth[f"effect_{o}"].mean()) for o in TRUE_OUTCOMES}
    covered = {
        o: bool(measured.loc[o, "ci_low"] <= true[o] <= measured.loc[o, "ci_high"])
        for o in TRUE_OUTCOMES
    }
    logger.info(
        "closed loop %s: measured repeat-contact difference %.3f [%.3f, %.3f], true %.3f",
        day,
        measured.loc["repeat_contact", "difference"],
        measured.loc["repeat_contact", "ci_low"],
        measured.loc["repeat_contact", "ci_high"],
        true["repeat_contact"],
    )
    return ClosedLoopResult(day, result.effect, measured, true, covered, truth, result.run_id)


def recorded_plan_loop(
    source: DataLayout, config: ClosedLoopConfig, tracking: TrackingSettings | None = None
) -> ClosedLoopResult:
    """The closed loop of a plan recorded in ``source`` (e.g. the champion's list of a demo),
    run in ``config.layout``, a layout of its own: the plan and the untreated oracle are copied
    there, so ``source``'s world, ingested tables and snapshots stay untouched.

    Raises:
        ValueError: ``config.layout`` is ``source`` itself, or ``plan_as_of`` is not a month end
            whose next month holds the horizon.
        FileNotFoundError: No plan recorded in ``source`` on ``plan_as_of``.
    """
    if Path(config.layout.workdir).resolve() == Path(source.workdir).resolve():
        raise ValueError("the closed loop replaces its layout's world: give it a layout of its own")
    check_window(config.plan_as_of, config.labels.horizon_days)
    plan, meta = outreach_io.read_plan(source.outreach_dir, config.plan_as_of)
    outreach_io.write_plan(plan, config.layout.outreach_dir, config.plan_as_of, meta)
    oracle = read_oracle(source.world_dir)
    if oracle is not None:
        write_parquet_atomic(oracle, config.layout.world.oracle)
    return run_closed_loop(config, tracking)


def planned_world(
    world: WorldConfig,
    plan_as_of: date,
    layout: DataLayout,
    capacity: int,
    holdout_share: float = 0.3,
) -> WorldConfig:
    """A small untreated world ready for :func:`run_closed_loop`: generated through the month
    after ``plan_as_of``, saved, ingested, and planned on the oracle's probabilities at
    ``plan_as_of`` (the best possible scorer; no training needed).

    Returns:
        The world configuration used (months set to end with the window month).
    """
    check_window(plan_as_of, 30)
    world = world.model_copy(
        update={"months": months_through(world.start, plan_as_of), "treatment": None}
    )
    generated = generate_world(world)
    save_world(generated, layout.world_dir)
    scores = _oracle_at(generated.oracle, plan_as_of)
    del generated
    ingest(IngestConfig(source_dir=layout.world_dir, raw_dir=layout.raw_dir))
    policy = OutreachConfig(
        capacity=TeamCapacity.split(capacity), min_net_value=None, holdout_share=holdout_share
    )
    plan = plan_outreach(scores, policy)
    meta = {
        "as_of": plan_as_of.isoformat(),
        "customers_scored": len(scores),
        "capacity": policy.capacity.model_dump(),
        "holdout_share": holdout_share,
        "holdout_seed": policy.holdout_seed,
        "scorer": "oracle",
    }
    outreach_io.write_plan(plan, layout.outreach_dir, plan_as_of, meta)
    return world


def coverage_count(
    results: list[ClosedLoopResult], outcome: str = "repeat_contact"
) -> tuple[int, int]:
    """How many closed loops' intervals hold the world's true effect, of how many."""
    return sum(r.covered[outcome] for r in results), len(results)


def seed_layout(root: Path, seed: int) -> DataLayout:
    """A work folder of its own for one seed of a closed-loop run."""
    return DataLayout(workdir=root / f"seed={seed}")
