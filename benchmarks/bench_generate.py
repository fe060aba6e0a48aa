"""Benchmark of the synthetic world generator.

Usage::

    python benchmarks/bench_generate.py --customers 100000 --months 12
    python benchmarks/bench_generate.py --customers 1000000 --months 12 --out /tmp/world

Prints rows per table, rows per second, wall time per stage (the oracle runs in a worker thread,
so stage times overlap and add up to more than the total), the process CPU time, the peak RSS
and the load average (other processes on the machine slow the run down).
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from pipelines.synthetic.config import WorldConfig
from pipelines.synthetic.world import generate_world, save_world


def _peak_rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=None, help="Save here (default: temp dir).")
    parser.add_argument("--no-save", action="store_true", help="Skip writing Parquet files.")
    args = parser.parse_args()

    console = Console()
    load_before = os.getloadavg()[0]
    config = WorldConfig(customers=args.customers, months=args.months, seed=args.seed)
    start = time.perf_counter()
    world = generate_world(config, progress=True)
    generated = time.perf_counter() - start
    stages = dict(world.stage_seconds)

    if not args.no_save:
        save_start = time.perf_counter()
        if args.out is None:
            with tempfile.TemporaryDirectory() as tmp:
                save_world(world, Path(tmp))
        else:
            save_world(world, args.out)
        stages["save (parquet)"] = time.perf_counter() - save_start
    total = time.perf_counter() - start

    rows = Table(title=f"{args.customers:,} customers x {args.months} months (seed {args.seed})")
    rows.add_column("table")
    rows.add_column("rows", justify="right")
    frames = {**world.tables(), "oracle": world.oracle, **world.latent}
    for name, frame in frames.items():
        rows.add_row(name, f"{len(frame):,}")
    contract_rows = sum(len(frame) for frame in world.tables().values())
    rows.add_row("contract tables total", f"{contract_rows:,}")
    console.print(rows)

    timing = Table(title="wall time per stage")
    timing.add_column("stage")
    timing.add_column("seconds", justify="right")
    for stage, seconds in sorted(stages.items(), key=lambda item: -item[1]):
        timing.add_row(stage, f"{seconds:.1f}")
    timing.add_row("generate_world (wall)", f"{generated:.1f}")
    timing.add_row("total incl. save (wall)", f"{total:.1f}")
    console.print(timing)
    console.print(
        f"contract rows/s (generation): {contract_rows / generated:,.0f}   "
        f"CPU time: {_cpu_seconds():.1f} s   peak RSS: {_peak_rss_gb():.2f} GB   "
        f"load average before/after: {load_before:.1f}/{os.getloadavg()[0]:.1f}"
    )
    console.print(
        "label base rates (oracle means): "
        f"repeat_contact {world.oracle['p_repeat_contact'].mean():.3f}, "
        f"escalation {world.oracle['p_escalation'].mean():.3f}"
    )


if __name__ == "__main__":
    main()
