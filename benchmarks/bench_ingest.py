"""Benchmark `procare data ingest`: whole-table path vs chunked path, time and peak RSS.

Each run is a fresh child process (so peaks do not mix) that ingests one synthetic world and
reports its wall time and ``ru_maxrss``. Worlds are generated with the CLI when missing.

Usage::

    .venv/bin/python benchmarks/bench_ingest.py --root /tmp/bench_ingest \
        --sizes 100000 300000 1000000 --whole-up-to 300000
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

logger = logging.getLogger("bench_ingest")

REPO = Path(__file__).resolve().parents[1]


def _child(mode: str, source: Path, raw_dir: Path, chunk_rows: int, buckets: int) -> None:
    from pipelines.ingest import IngestConfig, ingest, ingest_whole

    config = IngestConfig(
        source_dir=source, raw_dir=raw_dir, chunk_rows=chunk_rows, buckets=buckets
    )
    started = time.perf_counter()
    report = (ingest if mode == "chunked" else ingest_whole)(config)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = sum(report.rows.values())
    result = {"seconds": seconds, "peak_mb": peak_mb, "rows": rows, "fp": report.fingerprint}
    sys.stdout.write(json.dumps(result) + "\n")


def _world(root: Path, customers: int) -> Path:
    world = root / f"world_{customers}"
    if not (world / "edges.parquet").is_file():
        logger.info("generating a %d-customer world in %s", customers, world)
        subprocess.run(
            [
                str(REPO / ".venv/bin/procare"),
                "data",
                "generate",
                "--customers",
                str(customers),
                "--out",
                str(world),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return world


def _run(mode: str, world: Path, raw_dir: Path, chunk_rows: int, buckets: int) -> dict:
    shutil.rmtree(raw_dir, ignore_errors=True)
    command = [
        sys.executable,
        __file__,
        "--child",
        mode,
        str(world),
        str(raw_dir),
        "--chunk-rows",
        str(chunk_rows),
        "--buckets",
        str(buckets),
    ]
    done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=REPO)
    shutil.rmtree(raw_dir, ignore_errors=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"


def main() -> None:
    """Run the benchmark and print one line per (size, path)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", type=Path, default=Path("/tmp/bench_ingest"))
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 300_000, 1_000_000])
    parser.add_argument(
        "--whole-up-to",
        type=int,
        default=300_000,
        help="Also run the whole-table path up to this size.",
    )
    parser.add_argument("--chunk-rows", type=int, default=250_000)
    parser.add_argument("--buckets", type=int, default=8)
    parser.add_argument("--child", nargs=3, metavar=("MODE", "SOURCE", "RAW_DIR"))
    args = parser.parse_args()
    if args.child:
        mode, source, raw_dir = args.child
        _child(mode, Path(source), Path(raw_dir), args.chunk_rows, args.buckets)
        return
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    args.root.mkdir(parents=True, exist_ok=True)
    print(f"start: {_load()}; chunk_rows={args.chunk_rows}, buckets={args.buckets}")
    print(f"{'customers':>10} {'path':>8} {'rows':>11} {'seconds':>8} {'peak MB':>8}  fingerprint")
    for customers in args.sizes:
        world = _world(args.root, customers)
        modes = ["whole", "chunked"] if customers <= args.whole_up_to else ["chunked"]
        for mode in modes:
            result = _run(mode, world, args.root / f"raw_{mode}", args.chunk_rows, args.buckets)
            print(
                f"{customers:>10,} {mode:>8} {result['rows']:>11,} {result['seconds']:>8.1f} "
                f"{result['peak_mb']:>8.0f}  {result['fp']}   ({_load()})",
                flush=True,
            )
    print(f"end: {_load()}")


if __name__ == "__main__":
    main()
