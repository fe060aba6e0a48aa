"""Benchmark: is a bucket task's memory set by the bucket, not by the base?

Usage::

    python benchmarks/bench_bucket_memory.py --as-of 2026-10-31 \
        /tmp/scale/125000 /tmp/scale/1000000

Each argument is a work folder already ingested (``procare data ingest``), ideally with the
same number of customers per bucket (125k customers in 1 bucket against 1M in 8). For each,
``procare features build --engine dask --workers 1`` builds one snapshot into a temporary
folder in a child process while psutil samples every process of its tree every 100 ms. The
driver (the ``procare`` process: base inputs and the global graph step) and the Dask worker
(the bucket tasks, one after another) are reported apart, so the worker's peak is the memory
of one bucket task plus the broadcast graph features. Printed side by side: customers,
buckets, customers per bucket, wall time, the driver's and the worker's peak RSS, and the
worker's peak relative to the first folder's.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

PROCARE = str(Path(sys.executable).with_name("procare"))


def _manifest(workdir: Path) -> dict:
    from pipelines.raw_tables import raw_manifest

    return raw_manifest(workdir / "raw")


def build_and_sample(workdir: Path, as_of: str) -> dict[str, float]:
    """One snapshot build on a one-worker LocalCluster; per-role peak RSS in GB."""
    with tempfile.TemporaryDirectory(prefix="bench_bucket_") as scratch:
        command = [
            PROCARE,
            "features",
            "build",
            "--as-of",
            as_of,
            "--raw-dir",
            str(workdir / "raw"),
            "--features-dir",
            scratch,
            "--engine",
            "dask",
            "--workers",
            "1",
        ]
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        root = psutil.Process(process.pid)
        driver = worker = 0
        while process.poll() is None:
            try:
                driver = max(driver, root.memory_info().rss)
                children = root.children(recursive=True)
                worker = max([worker, *(c.memory_info().rss for c in children)])
            except psutil.Error:
                pass
            time.sleep(0.1)
        seconds = time.perf_counter() - start
        if process.returncode != 0:
            error = process.stderr.read().decode(errors="replace")[-2000:]
            raise RuntimeError(f"build failed in {workdir}: {error}")
    return {"seconds": seconds, "driver_gb": driver / 1e9, "worker_gb": worker / 1e9}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workdirs", nargs="+", type=Path)
    parser.add_argument("--as-of", required=True)
    args = parser.parse_args()
    rows = []
    for workdir in args.workdirs:
        manifest = _manifest(workdir)
        customers = int(manifest["rows"]["customers"])
        buckets = int(manifest["buckets"])
        measured = build_and_sample(workdir, args.as_of)
        rows.append({"customers": customers, "buckets": buckets, **measured})
        print(json.dumps(rows[-1]), flush=True)
    first = rows[0]["worker_gb"]
    print()
    print(
        f"{'customers':>10} {'buckets':>7} {'per bucket':>10} {'seconds':>8} "
        f"{'driver GB':>9} {'worker GB':>9} {'worker vs first':>15}"
    )
    for row in rows:
        print(
            f"{row['customers']:>10,} {row['buckets']:>7} "
            f"{row['customers'] // row['buckets']:>10,} {row['seconds']:>8.1f} "
            f"{row['driver_gb']:>9.2f} {row['worker_gb']:>9.2f} "
            f"{row['worker_gb'] / first:>15.2f}"
        )


if __name__ == "__main__":
    main()
