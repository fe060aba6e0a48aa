"""`procare demo`: the whole job end to end on the synthetic world."""

from __future__ import annotations

from datetime import date
from pathlib import Path

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
from commands.outreach import BACKTEST_COLUMNS, outreach_simulate, plan_preview
from commands.score import score
from commands.serve import serving_demo
from commands.train import train

DEMO_SNAPSHOTS = ("2026-06-30", "2026-07-31", "2026-08-31", "2026-09-30")
DEMO_TODAY = "2026-10-31"


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
) -> None:
    """Run the whole job end to end on the synthetic world: data, features, models, outreach.

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
    steps = 9 if serve else 8
    engine_settings = {"engine": engine, "scheduler": scheduler, "workers": workers}
    console.rule(f"1/{steps} generate the synthetic world")
    data_generate(
        customers=customers,
        months=12,
        seed=seed,
        start="2025-11-01",
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
    console.rule(f"7/{steps} closed-loop simulation of the outreach effect")
    outreach_simulate(effect=0.3, customers=min(4000, customers), seeds=3, workdir=layout.workdir)
    console.rule(f"8/{steps} operations report")
    result = report_command(
        ReportCommandConfig(
            as_of=date.fromisoformat(DEMO_TODAY),
            layout=layout,
            plan=PlanCommandConfig(layout=layout),
        )
    )
    console.print(f"report: {result.path}")
    if serve:
        console.rule(f"9/{steps} the scoring API over real HTTP (bentoml serve, API key)")
        serving_demo(layout)
    console.print(f"review the runs: mlflow ui --backend-store-uri {layout.tracking_uri}")
