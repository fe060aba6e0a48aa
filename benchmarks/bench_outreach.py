"""Benchmark of the outreach policy, and the backtest and closed-loop simulation at scale.

Usage::

    python benchmarks/bench_outreach.py policy --rows 1000000
    python benchmarks/bench_outreach.py world --customers 100000 --workdir /tmp/outreach100k

``policy`` times :func:`outreach.plan_outreach` on random scores (what ``/outreach``
does per call). ``world`` runs the product's path on a synthetic world: generate, ingest,
snapshots, train (no baselines, no ablation), then the backtest on the last labelled snapshot
and the closed-loop simulation with the champion models, and prints both tables. MLflow goes to
``<workdir>/mlruns``. The treatment effect of the simulation is an assumption (``--effect``).
"""

from __future__ import annotations

import argparse
import logging
import os
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

logger = logging.getLogger("bench_outreach")


def bench_policy(rows: int, repeats: int) -> None:
    from outreach import OutreachConfig, plan_outreach

    rng = np.random.default_rng(0)
    p_esc = rng.beta(1, 30, rows)
    scores = pd.DataFrame(
        {
            "p_repeat_contact": rng.beta(1, 8, rows),
            "p_escalation": p_esc,
            "action": np.where(p_esc > 0.3, "supervisor_escalation", "bill_explanation_call"),
        },
        index=pd.Index([f"C{i:010d}" for i in range(rows)], name="customer_id"),
    )
    config = OutreachConfig()
    for size in (100, 10_000, rows):
        part = scores.head(size)
        seconds = []
        for _ in range(repeats):
            start = time.perf_counter()
            plan = plan_outreach(part, config)
            seconds.append(time.perf_counter() - start)
        print(f"plan_outreach {size:>9,} rows: {min(seconds) * 1000:8.1f} ms, {len(plan)} listed")


def bench_world(customers: int, workdir: Path, seeds: int, effect: float, sim_customers: int):
    os.environ["MLFLOW_TRACKING_URI"] = f"sqlite:///{workdir}/mlruns/mlflow.db"
    from outreach.commands import (
        BacktestCommandConfig,
        SimulateCommandConfig,
        backtest_command,
        simulate_command,
    )
    from outreach.simulate import SimulationConfig
    from pipelines.catalog import DataLayout
    from pipelines.ingest import IngestConfig, ingest
    from pipelines.snapshot import SnapshotConfig, build_snapshots
    from pipelines.synthetic import WorldConfig, generate_world, save_world
    from training.config import TrainConfig
    from training.tracking import TrackingSettings
    from training.train import train

    tracking = TrackingSettings.from_env()
    layout = DataLayout(workdir=workdir)
    world_dir, raw_dir, features_dir = layout.world_dir, layout.raw_dir, layout.features_dir
    snapshots = [date(2026, 6, 30), date(2026, 7, 31), date(2026, 8, 31), date(2026, 9, 30)]
    timings = {}
    start = time.perf_counter()
    if not features_dir.exists():
        save_world(generate_world(WorldConfig(customers=customers, months=12, seed=7)), world_dir)
        ingest(IngestConfig(source_dir=world_dir, raw_dir=raw_dir))
        build_snapshots(SnapshotConfig(as_of=snapshots, raw_dir=raw_dir, features_dir=features_dir))
        timings["world + snapshots"] = time.perf_counter() - start
        start = time.perf_counter()
        train(
            TrainConfig(
                features_dir=features_dir,
                world_dir=world_dir,
                raw_dir=raw_dir,
                train_as_of=snapshots[:2],
                valid_as_of=snapshots[2],
                baselines=False,
                ablation=False,
            ),
            tracking=tracking,
        )
        timings["train"] = time.perf_counter() - start
    start = time.perf_counter()
    result = backtest_command(
        BacktestCommandConfig(as_of=snapshots[3], layout=layout),
        tracking,
    )
    timings["backtest"] = time.perf_counter() - start
    with pd.option_context("display.width", 250, "display.max_columns", 30):
        print(
            f"\nBacktest on {snapshots[3]} ({customers:,} customers; model trained on "
            f"{snapshots[0]}, {snapshots[1]}, validated on {snapshots[2]}):"
        )
        print(result.wide.round(3).to_string(index=False))
    start = time.perf_counter()
    simulation = SimulationConfig(
        effect=effect,
        seeds=tuple(range(101, 101 + seeds)),
        world=WorldConfig(customers=sim_customers),
    )
    simulated = simulate_command(
        SimulateCommandConfig(simulation=simulation, layout=layout), tracking
    )
    timings["simulate"] = time.perf_counter() - start
    with pd.option_context("display.width", 250, "display.max_columns", 30):
        print(
            f"\nSimulated effect ({sim_customers:,} customers x {seeds} seeds, lists made on "
            f"{simulation.as_of}; ASSUMED treatment effect: {effect:.0%} fewer inbound "
            "contacts for a contacted customer; 95% t-intervals over seeds):"
        )
        print(simulated.effects.to_string(index=False))
    print("\n" + "\n".join(f"{name}: {seconds:.0f} s" for name, seconds in timings.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    policy = sub.add_parser("policy")
    policy.add_argument("--rows", type=int, default=1_000_000)
    policy.add_argument("--repeats", type=int, default=3)
    world = sub.add_parser("world")
    world.add_argument("--customers", type=int, default=100_000)
    world.add_argument("--sim-customers", type=int, default=None)
    world.add_argument("--seeds", type=int, default=5)
    world.add_argument("--effect", type=float, default=0.3)
    world.add_argument("--workdir", type=Path, default=Path("/tmp/bench_outreach"))
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    if args.command == "policy":
        bench_policy(args.rows, args.repeats)
    else:
        bench_world(
            args.customers,
            args.workdir,
            args.seeds,
            args.effect,
            args.sim_customers or args.customers,
        )


if __name__ == "__main__":
    main()
