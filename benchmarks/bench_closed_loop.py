"""Closed-loop recovery and estimator coverage: how often the measured interval holds the truth.

Usage::

    python benchmarks/bench_closed_loop.py loop --seeds 40 --customers 4000 --workdir /tmp/loop
    python benchmarks/bench_closed_loop.py estimator --trials 2000

``loop`` runs :func:`outreach.closed_loop.run_closed_loop` once per seed on a small world (plan
on the oracle's probabilities at 2025-12-31, 10% of the base contacted, a 30% holdout; the
world applies the plan with an effect that depends on the cause of each contact) and prints,
per seed and in total, the measured repeat-contact difference, its 95% interval and the world's
true mean effect among the contacted. ``estimator`` draws simulated plans with heterogeneous
risks and a known effect and prints the coverage of the Newcombe interval. MLflow goes to
``<workdir>/mlruns``.
"""

from __future__ import annotations

import argparse
import logging
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

PLAN_AS_OF = date(2025, 12, 31)


def bench_loop(seeds: int, customers: int, workdir: Path, effect: float) -> None:
    from outreach.closed_loop import (
        ClosedLoopConfig,
        coverage_count,
        planned_world,
        run_closed_loop,
        seed_layout,
    )
    from pipelines.synthetic import WorldConfig
    from training.tracking import TrackingSettings

    tracking = TrackingSettings(tracking_uri=f"sqlite:///{workdir}/mlruns/mlflow.db")
    (workdir / "mlruns").mkdir(parents=True, exist_ok=True)
    results, rows = [], []
    start = time.perf_counter()
    for seed in range(1, seeds + 1):
        layout = seed_layout(workdir, seed)
        world = planned_world(
            WorldConfig(customers=customers, seed=seed), PLAN_AS_OF, layout, customers // 10
        )
        config = ClosedLoopConfig(world=world, plan_as_of=PLAN_AS_OF, effect=effect, layout=layout)
        result = run_closed_loop(config, tracking)
        results.append(result)
        summary = result.summary()
        rows.append(
            {
                "seed": seed,
                **summary.loc["repeat_contact"].to_dict(),
                "escalation_covered": bool(summary.loc["escalation", "covered"]),
                "truth_sd": float(result.truth["effect_repeat_contact"].std()),
            }
        )
    table = pd.DataFrame(rows)
    print(table.round(4).to_string(index=False))
    covered, total = coverage_count(results)
    escalation, _ = coverage_count(results, "escalation")
    print(
        f"repeat contact: interval holds the true effect in {covered} of {total} seeds; "
        f"escalation: {escalation} of {total}; mean measured {table['measured'].mean():+.4f}, "
        f"mean true {table['true'].mean():+.4f}; {time.perf_counter() - start:.0f} s"
    )


def bench_estimator(trials: int) -> None:
    from outreach.effect import headline, measure_effect

    rng = np.random.default_rng(2026)
    covered = 0
    for _ in range(trials):
        n1, n0 = 900, 300
        risk = rng.beta(2, 5, n1 + n0)
        contacted = np.arange(n1 + n0) < n1
        p = np.where(contacted, risk * 0.7, risk)
        ids = pd.Index([f"C{i}" for i in range(n1 + n0)], name="customer_id")
        plan = pd.DataFrame(
            {
                "group": np.where(contacted, "outreach", "holdout"),
                "team": "agents",
                "p_repeat_contact": risk,
            },
            index=ids,
        )
        outcomes = pd.DataFrame(
            {"repeat_contact": rng.random(n1 + n0) < p, "escalation": False, "reopened_tickets": 0},
            index=ids,
        )
        row = headline(measure_effect(plan, outcomes)).loc["repeat_contact"]
        truth = float(np.mean(p[contacted] - risk[contacted]))
        covered += int(row["ci_low"] <= truth <= row["ci_high"])
    print(
        f"Newcombe 95% interval: {covered} of {trials} trials hold the true effect "
        f"({covered / trials:.1%})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="bench", required=True)
    loop = sub.add_parser("loop")
    loop.add_argument("--seeds", type=int, default=40)
    loop.add_argument("--customers", type=int, default=4000)
    loop.add_argument("--effect", type=float, default=0.8)
    loop.add_argument("--workdir", type=Path, default=Path("/tmp/procare_closed_loop"))
    estimator = sub.add_parser("estimator")
    estimator.add_argument("--trials", type=int, default=2000)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if args.bench == "loop":
        bench_loop(args.seeds, args.customers, args.workdir, args.effect)
    else:
        bench_estimator(args.trials)


if __name__ == "__main__":
    main()
