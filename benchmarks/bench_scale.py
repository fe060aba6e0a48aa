"""Benchmark of the whole job at several base sizes: time and peak RSS of each CLI stage.

Usage::

    python benchmarks/bench_scale.py --customers 100000 300000
    python benchmarks/bench_scale.py --customers 1000000 --data-dir /tmp/scale --workers 2
    python benchmarks/bench_scale.py --customers 100000 --stages snapshot-local snapshot-dask

Each stage is the exact ``procare`` command a user runs, in a fresh child process, against
``<data-dir>/<size>`` (its own work folder and MLflow store): the streamed generator (skipped
when the world exists), ingest into ``suggested_buckets(size)`` buckets, the six month-end
snapshots of the job (five labelled, ``TODAY`` unlabelled) on the local engine, one snapshot
again on a Dask ``LocalCluster``, training on four snapshots with validation on the fifth
(baselines and ablation on), batch scoring of ``TODAY`` on both engines, and the outreach plan.
The process tree (the stage and any Dask workers it starts) is sampled with psutil every
100 ms. Printed per stage: wall time, the peak RSS of the largest single process and the peak
of the tree's summed RSS, one table for all sizes, local and Dask side by side.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import psutil
from rich.console import Console
from rich.table import Table

SNAPSHOTS = ("2026-05-31", "2026-06-30", "2026-07-31", "2026-08-31", "2026-09-30")
TODAY = "2026-10-31"
PROCARE = str(Path(sys.executable).with_name("procare"))

STAGES = (
    "generate",
    "ingest",
    "snapshots-local",
    "snapshot-dask",
    "train",
    "score-local",
    "score-dask",
    "outreach-plan",
)


def _dates(*dates: str) -> list[str]:
    return [part for day in dates for part in ("--as-of", day)]


def stage_command(
    name: str, root: Path, customers: int, buckets: int, workers: int, dates: list[str]
) -> list[str]:
    """The ``procare`` command of one stage (``dates``: the snapshots ``snapshots-local``
    builds)."""
    work = ["--workdir", str(root)]
    dask = ["--engine", "dask", "--workers", str(workers)]
    commands = {
        "generate": ["data", "generate", "--customers", str(customers), "--months", "12"]
        + ["--start", "2025-11-01", "--seed", "7", "--out", str(root / "world")],
        "ingest": ["data", "ingest", str(root / "world"), "--buckets", str(buckets), *work],
        "snapshots-local": ["features", "build", *_dates(*dates), *work],
        "snapshot-dask": ["features", "build", *_dates(TODAY), *work]
        + ["--features-dir", str(root / "features-dask"), *dask],
        "train": ["train", "--valid-as-of", SNAPSHOTS[-1], *work]
        + [part for day in SNAPSHOTS[:-1] for part in ("--train-as-of", day)],
        "score-local": ["score", "--as-of", TODAY, *work],
        "score-dask": ["score", "--as-of", TODAY, *work]
        + ["--scores-dir", str(root / "scores-dask"), *dask],
        "outreach-plan": ["outreach", "plan", "--as-of", TODAY, *work],
    }
    return [PROCARE, *commands[name]]


def _tree_rss(process: psutil.Process) -> tuple[int, int]:
    """Largest single RSS and summed RSS of ``process`` and its descendants."""
    sizes = []
    for member in [process, *process.children(recursive=True)]:
        try:
            sizes.append(member.memory_info().rss)
        except psutil.Error:
            continue
    return max(sizes, default=0), sum(sizes)


def measure(
    name: str, root: Path, customers: int, buckets: int, workers: int, dates: list[str]
) -> dict:
    """Run a stage's command in a child process; its time and peak RSS figures."""
    command = stage_command(name, root, customers, buckets, workers, dates)
    env = {**os.environ, "MLFLOW_TRACKING_URI": f"sqlite:///{root / 'mlflow.db'}"}
    log = (root / "logs" / f"{name}.log").open("w")
    start = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    process = psutil.Process(child.pid)
    largest = total = 0
    while child.poll() is None:
        single, summed = _tree_rss(process)
        largest, total = max(largest, single), max(total, summed)
        time.sleep(0.1)
    seconds = time.perf_counter() - start
    log.close()
    if child.returncode:
        raise SystemExit(f"stage {name} at {customers:,} failed: see {log.name}")
    return {
        "customers": customers,
        "stage": name if name != "snapshots-local" else f"{name} ({len(dates)})",
        "seconds": seconds,
        "peak_process_gb": largest / 1e9,
        "peak_tree_gb": total / 1e9,
        "load": os.getloadavg()[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, nargs="+", default=[100_000])
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/procare_scale"))
    parser.add_argument("--buckets", type=int, default=None)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--stages", nargs="+", choices=STAGES, default=list(STAGES))
    parser.add_argument(
        "--dates",
        nargs="+",
        default=[*SNAPSHOTS, TODAY],
        help="snapshots of the snapshots-local stage (default: the six of the job)",
    )
    args = parser.parse_args()

    from pipelines.buckets import suggested_buckets

    rows = []
    for customers in args.customers:
        root = args.data_dir / str(customers)
        (root / "logs").mkdir(parents=True, exist_ok=True)
        buckets = args.buckets or suggested_buckets(customers)
        stages = [name for name in STAGES if name in args.stages]
        if "generate" in stages and (root / "world" / "world.json").is_file():
            stages.remove("generate")
        for name in stages:
            rows.append(measure(name, root, customers, buckets, args.workers, args.dates))
            print(json.dumps(rows[-1]), flush=True)
    table = Table(title=f"procare end to end, dask: LocalCluster of {args.workers} workers")
    columns = ("customers", "stage", "seconds", "peak RSS, largest process", "peak RSS, tree")
    for column in (*columns, "load at end"):
        table.add_column(column, justify="right")
    for row in rows:
        table.add_row(
            f"{row['customers']:,}",
            row["stage"],
            f"{row['seconds']:.1f}",
            f"{row['peak_process_gb']:.2f} GB",
            f"{row['peak_tree_gb']:.2f} GB",
            f"{row['load']:.1f}",
        )
    Console(width=140).print(table)


if __name__ == "__main__":
    main()
