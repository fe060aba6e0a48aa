"""`procare demo`: the whole job end to end on the synthetic world."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from commands.common import (
    EngineChoice,
    console,
    data_layout,
    engine_option,
    frame_table,
    scheduler_option,
    workdir_option,
    workers_option,
)
from commands.data import data_generate, run_ingest
from commands.features import features_build
from commands.monitor import DRIFT_SHOWN, PERFORMANCE_SHOWN
from commands.outreach import BACKTEST_COLUMNS, outreach_simulate, plan_preview
from commands.score import score
from commands.serve import serving_demo
from commands.train import train

if TYPE_CHECKING:
    from monitoring.run import MonitorResult
    from outreach.closed_loop import ClosedLoopResult
    from pipelines.catalog import DataLayout
    from pipelines.synthetic import WorldConfig

DEMO_SNAPSHOTS = ("2026-06-30", "2026-07-31", "2026-08-31", "2026-09-30")
DEMO_TODAY = "2026-10-31"
DEMO_START = "2025-11-01"
DEMO_MONTHS = 12
PILOT_AS_OF = "2026-09-30"
"""The champion's recorded plan the closed loop applies (its 30 days lie inside the world)."""
PILOT_SHARE = 0.1
PILOT_HOLDOUT = 0.3
CLOSED_LOOP_EFFECT = 0.8
CLOSED_LOOP_FOLDER = "closed_loop"
"""Sub-folder of the work folder with the closed loop's own (treated) world."""
OUTCOME_NAMES = {
    "repeat_contact": "repeat contact",
    "escalation": "escalation",
    "reopened_ticket": "re-opened ticket",
}
DRIFT_SHOWN_ROWS = 5
SHOWN_CAPACITY = 0.05


def demo(
    customers: int = typer.Option(5000, min=100, help="Customers in the demo world."),
    seed: int = typer.Option(7, help="Random seed of the demo world."),
    workdir: Path | None = workdir_option(),
    buckets: int | None = typer.Option(
        None, "--buckets", min=1, help="Customer buckets of the ingested tables (default 8)."
    ),
    engine: EngineChoice = engine_option(),  # noqa: B008
    scheduler: str | None = scheduler_option(),
    workers: int = workers_option(),
    serve: bool = typer.Option(
        True, "--serve/--no-serve", help="Finish with the scoring API over real HTTP."
    ),
    closed_loop: bool = typer.Option(
        True,
        "--closed-loop/--no-closed-loop",
        help="Apply the champion's plan of 2026-09-30 in a treated copy of the world and "
        "measure its effect (in <workdir>/closed_loop).",
    ),
) -> None:
    """Run the whole job end to end on the synthetic world: data, features, models, outreach,
    the measured effect of a recorded plan in a closed loop, and monitoring.

    The feature, training and scoring steps run on ``--engine`` (``local`` by default).
    """
    from outreach.commands import (
        BacktestCommandConfig,
        PlanCommandConfig,
        ReportCommandConfig,
        backtest_command,
        plan_command,
        report_command,
    )

    layout = data_layout(workdir)
    train_dates, valid_date, backtest_date = (
        DEMO_SNAPSHOTS[:2],
        DEMO_SNAPSHOTS[2],
        DEMO_SNAPSHOTS[3],
    )
    steps = 9 + int(serve) + int(closed_loop)
    engine_settings = {"engine": engine, "scheduler": scheduler, "workers": workers}
    console.rule(f"1/{steps} generate the synthetic world")
    data_generate(
        customers=customers,
        months=DEMO_MONTHS,
        seed=seed,
        start=DEMO_START,
        out=layout.world_dir,
        workdir=layout.workdir,
    )
    console.rule(f"2/{steps} validate and ingest")
    run_ingest(layout.world_dir, layout.raw_dir, write=True, buckets=buckets)
    console.rule(f"3/{steps} build month-end feature snapshots")
    features_build(
        as_of=[*DEMO_SNAPSHOTS, DEMO_TODAY],
        horizon=30,
        raw_dir=layout.raw_dir,
        features_dir=layout.features_dir,
        workdir=layout.workdir,
        **engine_settings,
    )
    console.rule(
        f"4/{steps} train on {', '.join(train_dates)}, validate out of time on {valid_date}"
    )
    train(
        target="all",
        train_as_of=list(train_dates),
        valid_as_of=valid_date,
        config_file=None,
        features_dir=layout.features_dir,
        world_dir=layout.world_dir,
        raw_dir=layout.raw_dir,
        baselines=True,
        ablation=True,
        negative_sample_rate=None,
        distributed=False,
        workdir=layout.workdir,
        **engine_settings,
    )
    console.rule(f"5/{steps} score today's snapshot ({DEMO_TODAY}) with the champions")
    score(
        as_of=DEMO_TODAY,
        features_dir=layout.features_dir,
        scores_dir=layout.scores_dir,
        workdir=layout.workdir,
        **engine_settings,
    )
    console.rule(f"6/{steps} today's outreach list and a backtest on {backtest_date}")
    plan = plan_command(
        PlanCommandConfig(
            as_of=date.fromisoformat(DEMO_TODAY),
            capacity=max(10, customers // 50),
            layout=layout,
        )
    )
    console.print(frame_table("customers per team", plan.counts.reset_index()))
    console.print(plan_preview(plan.plan, 10))
    backtest = backtest_command(
        BacktestCommandConfig(as_of=date.fromisoformat(backtest_date), layout=layout)
    )
    wide = backtest.wide[[c for c in BACKTEST_COLUMNS if c in backtest.wide]]
    console.print(frame_table(f"backtest on {backtest_date} (capacity = share of the base)", wide))
    console.rule(f"7/{steps} simulated policies under an assumed outreach effect")
    outreach_simulate(effect=0.3, customers=min(4000, customers), seeds=3, workdir=layout.workdir)
    loop = None
    if closed_loop:
        console.rule(
            f"8/{steps} measured effect: the champion's plan of {PILOT_AS_OF} "
            "applied in a treated copy of the world"
        )
        from pipelines.synthetic import WorldConfig

        world = WorldConfig(
            customers=customers,
            months=DEMO_MONTHS,
            seed=seed,
            start=date.fromisoformat(DEMO_START),
        )
        loop = measured_loop(layout, world, max(10, int(customers * PILOT_SHARE)))
    first = 8 + int(closed_loop)
    console.rule(f"{first}/{steps} monitoring {PILOT_AS_OF} (outcomes known) and {DEMO_TODAY}")
    watched = demo_monitoring(layout)
    console.rule(f"{first + 1}/{steps} operations report")
    result = report_command(
        ReportCommandConfig(
            as_of=date.fromisoformat(DEMO_TODAY),
            layout=layout,
            plan=PlanCommandConfig(layout=layout),
            effect_layout=None if loop is None else loop.layout,
        )
    )
    console.print(f"report: {result.path}")
    if serve:
        console.rule(f"{first + 2}/{steps} the scoring API over real HTTP (bentoml serve, API key)")
        serving_demo(layout)
    console.rule("summary")
    for line in summary_lines(loop, watched):
        console.print(line)
    console.print(f"report: {result.path}")
    console.print(f"review the runs: mlflow ui --backend-store-uri {layout.tracking_uri}")


@dataclass(frozen=True)
class MeasuredLoop:
    """The closed loop of the demo: the recorded plan it applied and what it measured."""

    layout: DataLayout
    result: ClosedLoopResult
    contacted: int
    held_out: int


def measured_loop(layout: DataLayout, world: WorldConfig, capacity: int) -> MeasuredLoop:
    """Record the champion's plan of :data:`PILOT_AS_OF` (``capacity`` cases, a 30% holdout),
    apply it in a treated copy of the world under ``<workdir>/closed_loop`` and measure it.

    The demo's own world, ingested tables and snapshots are left untouched.
    """
    from outreach.closed_loop import ClosedLoopConfig, recorded_plan_loop
    from outreach.commands import PlanCommandConfig, plan_command, plan_counts
    from outreach.config import OutreachConfig
    from outreach.effect import effect_summary
    from pipelines.catalog import DataLayout

    day = date.fromisoformat(PILOT_AS_OF)
    pilot = plan_command(
        PlanCommandConfig(
            as_of=day,
            capacity=capacity,
            outreach=OutreachConfig(holdout_share=PILOT_HOLDOUT),
            layout=layout,
        )
    )
    counts = plan_counts(pilot.plan).sum()
    console.print(
        f"recorded plan of {PILOT_AS_OF} (champions' scores): {counts['outreach']} customers "
        f"contacted, {counts['holdout']} held out; outreach then removes {CLOSED_LOOP_EFFECT:.0%} "
        "of a contacted customer's contacts of a removable cause (a suspension or an open "
        "ticket fully, charges half, an outage not at all)"
    )
    loop_layout = DataLayout(workdir=layout.workdir / CLOSED_LOOP_FOLDER)
    result = recorded_plan_loop(
        layout,
        ClosedLoopConfig(
            world=world, plan_as_of=day, effect=CLOSED_LOOP_EFFECT, layout=loop_layout
        ),
    )
    overall = result.effect.loc[
        (result.effect["analysis"] == "intention_to_treat")
        & (result.effect["segment"].isin(["overall", "team"]))
    ]
    console.print(
        frame_table(
            f"measured effect of the plan of {PILOT_AS_OF} (contacted minus held out, "
            f"{loop_layout.outreach.at(day).effect})",
            effect_summary(overall).drop(columns=["analysis"]),
        )
    )
    return MeasuredLoop(loop_layout, result, int(counts["outreach"]), int(counts["holdout"]))


def _at_capacity(performance):
    return performance.loc[(performance["capacity"] - SHOWN_CAPACITY).abs() < 1e-9]


def demo_monitoring(layout: DataLayout) -> list[MonitorResult]:
    """Monitor :data:`PILOT_AS_OF` (its outcomes are in the world) and :data:`DEMO_TODAY`."""
    from monitoring.config import MonitorConfig
    from monitoring.run import monitor

    results = []
    for as_of in (PILOT_AS_OF, DEMO_TODAY):
        result = monitor(MonitorConfig(as_of=date.fromisoformat(as_of), layout=layout))
        shown = _at_capacity(result.performance)
        columns = [c for c in PERFORMANCE_SHOWN if result.labels_observed or "realized" not in c]
        seen = "expected vs realized" if result.labels_observed else "expected (horizon ahead)"
        console.print(frame_table(f"{as_of}: {seen} at 5% of the base", shown[columns]))
        results.append(result)
    today = results[-1]
    console.print(
        frame_table(
            f"feature drift {DEMO_TODAY} vs the training snapshots (top {DRIFT_SHOWN_ROWS})",
            today.drift.head(DRIFT_SHOWN_ROWS)[list(DRIFT_SHOWN)],
        )
    )
    console.print(today.recommendation.summary)
    return results


def _signed(value: float) -> str:
    return f"{value:.2f}".replace("-", "\N{MINUS SIGN}")


def measured_lines(loop: MeasuredLoop) -> list[str]:
    """The measured effect per outcome with its interval, and the world's truth beside it."""
    result = loop.result
    lines = [
        f"measured effect of outreach: the champion's plan of {PILOT_AS_OF} applied in the "
        f"closed-loop world ({loop.contacted} contacted, {loop.held_out} held out; "
        "contacted minus held-out rate, 95% interval):"
    ]
    for outcome, name in OUTCOME_NAMES.items():
        row = result.measured.loc[outcome]
        if row["status"] != "ok":
            figure = str(row["status"])
        else:
            figure = (
                f"measured {_signed(row['difference'])} "
                f"[{_signed(row['ci_low'])}, {_signed(row['ci_high'])}]"
            )
        true = result.true_effect.get(outcome)
        truth = "the world keeps no truth for it" if true is None else f"true {_signed(true)}"
        lines.append(f"  {name:<17} {figure}, {truth}")
    return lines


def monitoring_lines(results: list[MonitorResult]) -> list[str]:
    """Retrain advice, the most drifted features, and expected vs realized precision at 5%."""
    today = results[-1]
    drifted = ", ".join(
        f"{r['feature']} (PSI {r['psi']:.2f}, {r['status']})"
        for r in today.drift.head(3).to_dict("records")
    )
    lines = [
        f"monitoring of {today.as_of}: {today.recommendation.summary}",
        f"  most drifted inputs: {drifted}",
    ]
    for result in results:
        table = _at_capacity(result.performance)
        parts = []
        for row in table.to_dict("records"):
            text = f"{row['target']} expected {row['expected_precision']:.2f}"
            if result.labels_observed:
                text += f" vs realized {row['realized_precision']:.2f}"
            parts.append(text)
        lines.append(f"  precision of the top 5% on {result.as_of}: {'; '.join(parts)}")
    return lines


def summary_lines(loop: MeasuredLoop | None, watched: list[MonitorResult]) -> list[str]:
    """The demo's closing lines: the measured effect first, then the monitoring summary."""
    if loop is None:
        lines = ["measured effect of outreach: closed loop skipped (--no-closed-loop)"]
    else:
        lines = measured_lines(loop)
    lines += monitoring_lines(watched)
    lines.append(
        "the simulated policies of step 7 assume a 30% effect; the figures above are measured"
    )
    return lines
