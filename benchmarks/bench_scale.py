"""Benchmark of the partitioned pipeline at several base sizes: time and peak RSS per stage.

Usage::

    python benchmarks/bench_scale.py --customers 100000 300000
    python benchmarks/bench_scale.py --customers 100000 --data-dir /tmp/scale --workers 2

For each size it generates a 12-month world (or reuses ``<data-dir>/<size>/world``), ingests
it into customer buckets (``--buckets``, default ``suggested_buckets(size)``), then builds one
month-end snapshot with the local engine and with a Dask ``LocalCluster`` of ``--workers``
processes. Each stage runs in a fresh child process (so one stage's heap does not inflate the
next one's figure); its process tree (the stage and any Dask workers it starts) is sampled with
psutil every 100 ms. Printed per stage: wall time, the peak RSS of the largest single process
and the peak of the tree's summed RSS, in one table, local and Dask side by side.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import psutil
from rich.console import Console
from rich.table import Table

AS_OF = date(2026, 8, 31)


def _stage(name: str, root: Path, customers: int, buckets: int, workers: int) -> None:
    """Run one stage in this (child) process."""
    if name == "generate":
        from pipelines.synthetic.config import WorldConfig
        from pipelines.synthetic.world import generate_world, save_world

        save_world(generate_world(WorldConfig(customers=customers, months=12)), root / "world")
    elif name == "ingest":
        from pipelines.ingest import IngestConfig, ingest

        ingest(IngestConfig(source_dir=root / "world", raw_dir=root / "raw", buckets=buckets))
    else:
        from pipelines.engine import EngineConfig
        from pipelines.snapshot import SnapshotConfig, build_snapshots

        kind = name.removeprefix("snapshot-")
        engine = EngineConfig(kind=kind, workers=workers, memory_limit="8GB")
        features_dir = root / f"features-{kind}"
        build_snapshots(
            SnapshotConfig(
                as_of=[AS_OF], raw_dir=root / "raw", features_dir=features_dir, engine=engine
            )
        )


def _tree_rss(process: psutil.Process) -> tuple[int, int]:
    """Largest single RSS and summed RSS of ``process`` and its descendants."""
    sizes = []
    for member in [process, *process.children(recursive=True)]:
        try:
            sizes.append(member.memory_info().rss)
        except psutil.Error:
            continue
    return max(sizes, default=0), sum(sizes)


def measure(name: str, root: Path, customers: int, buckets: int, workers: int) -> dict:
    """Run a stage in a child process; its time and peak RSS figures."""
    command = [
        sys.executable,
        __file__,
        "--stage",
        name,
        "--root",
        str(root),
        "--customers",
        str(customers),
        "--buckets",
        str(buckets),
        "--workers",
        str(workers),
    ]
    start = time.perf_counter()
    child = subprocess.Popen(command)
    process = psutil.Process(child.pid)
    largest = total = 0
    while child.poll() is None:
        single, summed = _tree_rss(process)
        largest, total = max(largest, single), max(total, summed)
        time.sleep(0.1)
    if child.returncode:
        raise SystemExit(f"stage {name} at {customers:,} failed ({child.returncode})")
    return {
        "customers": customers,
        "stage": name,
        "seconds": time.perf_counter() - start,
        "peak_process_gb": largest / 1e9,
        "peak_tree_gb": total / 1e9,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, nargs="+", default=[100_000])
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/procare_scale"))
    parser.add_argument("--buckets", type=int, default=None)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--stage", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--root", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        _stage(args.stage, args.root, args.customers[0], args.buckets, args.workers)
        return

    from pipelines.buckets import suggested_buckets

    rows = []
    for customers in args.customers:
        root = args.data_dir / str(customers)
        buckets = args.buckets or suggested_buckets(customers)
        stages = ["ingest", "snapshot-local", "snapshot-dask"]
        if not (root / "world" / "world.json").is_file():
            stages.insert(0, "generate")
        for name in stages:
            rows.append(measure(name, root, customers, buckets, args.workers))
            print(json.dumps(rows[-1]), flush=True)
    table = Table(title=f"partitioned pipeline, snapshot {AS_OF}, dask: {args.workers} workers")
    for column in ("customers", "stage", "seconds", "peak RSS, largest process", "peak RSS, tree"):
        table.add_column(column, justify="right")
    for row in rows:
        table.add_row(
            f"{row['customers']:,}",
            row["stage"],
            f"{row['seconds']:.1f}",
            f"{row['peak_process_gb']:.2f} GB",
            f"{row['peak_tree_gb']:.2f} GB",
        )
    Console(width=140).print(table)


if __name__ == "__main__":
    main()
