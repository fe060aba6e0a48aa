"""Benchmark batch scoring (``procare score``): reasons for every customer vs for the shown ones,
the local engine vs a Dask ``LocalCluster``, and broadcasting the champions vs loading them.

Each variant runs in a fresh process (so its peak memory is its own); the peak RSS printed is
the largest single process of its tree (the driver or one Dask worker), sampled every 0.2 s.
``all reasons`` emulates the path before reasons were limited to the shown tiers: every
customer is explained. ``--high-only`` adds variants that explain only the high tier (the
setting ``scoring.reasons_for_tiers: [high]`` a model can be trained with), to show what the
share of explained customers costs: TreeSHAP dominates scoring. The figures are extrapolated
linearly to 1M customers (scoring is per bucket, so time grows with the base and memory with
the bucket).

Usage:
    python benchmarks/bench_batch_scoring.py --workdir /tmp/s100k \
        --tracking-uri sqlite:////tmp/s100k/mlruns/mlflow.db --workers 2

``--workdir`` holds ``features/`` with the snapshot to score and registered champions in the
MLflow store; the scores go to a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import pickle
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import pandas as pd
import psutil

from pipelines.catalog import DataLayout
from pipelines.snapshot import available_snapshots
from training.champions import load_champions
from training.tracking import TrackingSettings

logger = logging.getLogger("bench_batch_scoring")
ALL_TIERS = ("high", "medium", "low")

RUN = """
import json, sys
from datetime import date
from pathlib import Path
from pipelines.engine import EngineConfig
from serving.scoring import batch
from serving.scoring.score import ShownCustomers
args = json.loads(sys.argv[1])
if args["tiers"]:
    tiers = tuple(args["tiers"])
    batch.ShownCustomers.of = classmethod(
        lambda cls, config, cutoffs=None: ShownCustomers(tiers, dict(cutoffs or {}))
    )
config = batch.BatchScoreConfig(
    as_of=date.fromisoformat(args["as_of"]), features_dir=Path(args["features_dir"]),
    scores_dir=Path(args["scores_dir"]), engine=EngineConfig(**args["engine"]),
)
path, rows = batch.score_snapshot(config)
print(json.dumps({"rows": rows, "path": str(path)}))
"""


def peak_tree_rss(process: subprocess.Popen) -> tuple[float, float, str]:
    """Wall seconds and the largest RSS (GB) of any process of the tree, until it ends."""
    start, peak = time.perf_counter(), 0
    root = psutil.Process(process.pid)
    while process.poll() is None:
        try:
            tree = [root, *root.children(recursive=True)]
            peak = max([peak, *(p.memory_info().rss for p in tree if p.is_running())])
        except psutil.Error:
            pass
        time.sleep(0.2)
    output = process.stdout.read() if process.stdout else ""
    return time.perf_counter() - start, peak / 1e9, output


def run_variant(name: str, args: dict, env: dict) -> dict[str, object]:
    """One scoring run in a fresh process."""
    process = subprocess.Popen(
        [sys.executable, "-c", RUN, json.dumps(args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    seconds, peak_gb, output = peak_tree_rss(process)
    if process.returncode != 0:
        raise RuntimeError(f"{name} failed (exit {process.returncode})")
    rows = json.loads(output.strip().splitlines()[-1])["rows"]
    shown = pd.read_parquet(
        json.loads(output.strip().splitlines()[-1])["path"], columns=["reasons"]
    )
    share = float((shown["reasons"] != "null").mean())
    return {
        "variant": name,
        "customers": rows,
        "explained_share": round(share, 3),
        "seconds": round(seconds, 1),
        "peak_rss_gb": round(peak_gb, 2),
        "1M_seconds_est": round(seconds * 1_000_000 / rows),
    }


def champions_transfer(tracking: TrackingSettings) -> list[dict[str, object]]:
    """Loading the champions from the registry (what each worker would do) vs pickling them
    (what broadcasting sends to each worker)."""
    start = time.perf_counter()
    champions = load_champions(tracking)
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    payload = pickle.dumps(champions, protocol=pickle.HIGHEST_PROTOCOL)
    pickle.loads(payload)
    pickled = time.perf_counter() - start
    return [
        {"step": "load_champions from the registry", "seconds": round(loaded, 2), "mb": None},
        {
            "step": "broadcast: pickle + unpickle",
            "seconds": round(pickled, 2),
            "mb": round(len(payload) / 1e6, 1),
        },
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--tracking-uri", required=True)
    parser.add_argument("--as-of", default=None, help="Snapshot; default: the latest.")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-all-reasons", action="store_true", help="Skip the slow variant.")
    parser.add_argument("--high-only", action="store_true", help="Also explain only the high tier.")
    parser.add_argument("--engines", default="local,dask", help="local, dask or both.")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    layout = DataLayout(workdir=args.workdir)
    as_of = (
        date.fromisoformat(args.as_of)
        if args.as_of
        else available_snapshots(layout.features_dir)[-1]
    )
    env = {**os.environ, "MLFLOW_TRACKING_URI": args.tracking_uri}
    engines = {
        "local": ("local", {"kind": "local"}),
        "dask": (f"dask {args.workers} workers", {"kind": "dask", "workers": args.workers}),
    }
    chosen = [engines[name] for name in args.engines.split(",")]
    variants = [(f"shown reasons, {label}", engine, None) for label, engine in chosen]
    if not args.skip_all_reasons:
        variants.insert(0, ("all reasons (before), local", {"kind": "local"}, ALL_TIERS))
    if args.high_only:
        variants += [(f"high tier only, {label}", engine, ("high",)) for label, engine in chosen]
    results = []
    with tempfile.TemporaryDirectory(prefix="bench_scores_") as scratch:
        for position, (name, engine, tiers) in enumerate(variants):
            run = {
                "as_of": as_of.isoformat(),
                "features_dir": str(layout.features_dir),
                "scores_dir": str(Path(scratch) / str(position)),
                "engine": engine,
                "tiers": tiers,
            }
            results.append(run_variant(name, run, env))
            print(pd.DataFrame(results[-1:]).to_string(index=False), flush=True)
    print(f"\nload average {os.getloadavg()}")
    print(pd.DataFrame(results).to_string(index=False))
    transfer = champions_transfer(TrackingSettings(tracking_uri=args.tracking_uri))
    print(pd.DataFrame(transfer).to_string(index=False))


if __name__ == "__main__":
    main()
