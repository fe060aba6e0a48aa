"""Benchmark the scoring service over real HTTP on loopback (``bentoml serve`` subprocess).

Builds a small synthetic world (generate -> ingest -> snapshots -> train -> batch scores) in a
temporary folder, or uses existing folders, starts the service with an API key on a free
loopback port, and measures with a bounded number of requests:

* single-customer ``POST /score`` (by id) at 1, 16 and 64 concurrent clients;
* batches of 100 and 1,000 customer ids, and 1,000 feature records scored live (no reasons);
* ``POST /events/contact`` (features recomputed, both models, live reasons);
* the same 1,000 records scored in this process by the raw models (``predict_proba`` of both
  champions, one OpenMP thread like the service): the serving overhead ratio.

Usage:
    python benchmarks/bench_serving.py --customers 2000
    python benchmarks/bench_serving.py --data-dir data --tracking-uri sqlite:///mlruns/mlflow.db

The clients run in this process (aiohttp) on the same machine as the server: on a 2-core host
they compete for the cores, which the printed load average helps to judge. When ``wrk`` is
installed (``apt-get install wrk``), single-id requests are also sent by wrk at 1, 16 and 64
connections (``wrk_load.py``): a C client that leaves the cores to the server. The data this
process loaded is frozen out of its garbage collector first, so a collection here does not show
up as server latency.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import logging
import os
import secrets
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import aiohttp
import numpy as np
import pandas as pd
import threadpoolctl
from wrk_load import wrk_available, wrk_load

from pipelines.catalog import DataLayout
from pipelines.ingest import IngestConfig, ingest
from pipelines.scores import latest_scored, write_scores
from pipelines.snapshot import SnapshotConfig, build_snapshots, read_snapshot
from pipelines.synthetic.config import WorldConfig
from pipelines.synthetic.world import generate_world, save_world
from serving.api.server import running_server
from serving.api.settings import API_KEY_HEADER, ServingSettings
from serving.scoring.score import score_customers
from training.champions import load_champions
from training.config import LightGBMParams, TrainConfig
from training.tracking import TrackingSettings
from training.train import train

logger = logging.getLogger("bench_serving")

SNAPSHOTS = (date(2026, 7, 31), date(2026, 8, 31), date(2026, 9, 30))
TEXTS = (
    "你们乱扣费，今天不退钱我就去工信部投诉！",
    "宽带又断了三次了，什么时候能修好",
    "我不会去投诉的，就是想问一下账单",
    "欠费0.1元就停机，太过分了，我要发微博曝光",
    "请问流量包怎么退订",
)
CHANNELS = ("hotline", "wechat", "app", "web_chat", "weibo")


def build_world(root: Path, customers: int, seed: int) -> dict[str, Path | str]:
    """Generate, ingest, snapshot, train champions (default LightGBM: 300 trees) and score."""
    layout = DataLayout(workdir=root)
    world_dir, raw_dir, features_dir = layout.world_dir, layout.raw_dir, layout.features_dir
    scores_dir, tracking_uri = layout.scores_dir, f"sqlite:///{root}/mlruns/mlflow.db"
    save_world(generate_world(WorldConfig(customers=customers, months=12, seed=seed)), world_dir)
    ingest(IngestConfig(source_dir=world_dir, raw_dir=raw_dir))
    build_snapshots(
        SnapshotConfig(as_of=list(SNAPSHOTS), raw_dir=raw_dir, features_dir=features_dir)
    )
    tracking = TrackingSettings(tracking_uri=tracking_uri)
    train(
        TrainConfig(
            features_dir=features_dir,
            world_dir=world_dir,
            raw_dir=raw_dir,
            lightgbm=LightGBMParams(),
            baselines=False,
            ablation=False,
        ),
        tracking=tracking,
    )
    champions = load_champions(tracking)
    snapshot = read_snapshot(features_dir, SNAPSHOTS[-1])
    scores = score_customers(champions, snapshot.frame, snapshot.documents)
    write_scores(scores, scores_dir, SNAPSHOTS[-1], champions.versions)
    return {
        "features_dir": features_dir,
        "raw_dir": raw_dir,
        "scores_dir": scores_dir,
        "tracking_uri": tracking_uri,
    }


def summary(name: str, latencies: list[float], wall: float) -> dict[str, object]:
    """p50/p99/max latency (ms) and throughput (requests/s) of one scenario."""
    values = np.asarray(latencies) * 1000
    return {
        "scenario": name,
        "requests": len(values),
        "p50_ms": round(float(np.percentile(values, 50)), 1),
        "p99_ms": round(float(np.percentile(values, 99)), 1),
        "max_ms": round(float(values.max()), 1),
        "req_per_s": round(len(values) / wall, 1),
    }


async def load_test(
    base_url: str,
    key: str,
    path: str,
    bodies: Callable[[int], dict],
    requests: int,
    concurrency: int,
    warmup: int = 5,
) -> tuple[list[float], float]:
    """Send ``requests`` POSTs from ``concurrency`` clients; latencies and wall time."""
    headers = {API_KEY_HEADER: key, "Content-Type": "application/json"}
    payloads = [json.dumps(bodies(i), ensure_ascii=False).encode() for i in range(requests)]
    connector = aiohttp.TCPConnector(limit=concurrency)
    latencies: list[float] = []
    async with aiohttp.ClientSession(base_url, connector=connector, headers=headers) as session:
        for i in range(warmup):
            async with session.post(path, data=payloads[i % len(payloads)]) as response:
                await response.read()
        queue: asyncio.Queue[bytes] = asyncio.Queue()
        for payload in payloads:
            queue.put_nowait(payload)

        async def client() -> None:
            while not queue.empty():
                payload = queue.get_nowait()
                start = time.perf_counter()
                async with session.post(path, data=payload) as response:
                    await response.read()
                    if response.status != 200:
                        raise RuntimeError(f"{path} answered {response.status}")
                latencies.append(time.perf_counter() - start)

        start = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(concurrency)))
        wall = time.perf_counter() - start
    return latencies, wall


def records(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    """Feature rows as JSON-ready records with their customer ids."""
    rows = json.loads(frame[columns].to_json(orient="records", double_precision=15))
    for row, customer_id in zip(rows, frame.index, strict=True):
        row["customer_id"] = str(customer_id)
    return rows


def in_process_seconds(champions, frame: pd.DataFrame, documents: pd.Series, runs: int) -> list:
    """Time both champions' ``predict_proba`` on ``frame`` in this process (one OpenMP thread)."""
    timings = []
    with threadpoolctl.threadpool_limits(limits=1, user_api="openmp"):
        for _ in range(runs + 2):
            start = time.perf_counter()
            for model in champions.models.values():
                model.predict_proba(frame[model.input_columns], documents)
            timings.append(time.perf_counter() - start)
    return timings[2:]


def run(args: argparse.Namespace) -> list[dict[str, object]]:
    """Run every scenario against one server; the result rows."""
    if args.data_dir is None:
        root = Path(tempfile.mkdtemp(prefix="bench-serving-"))
        logger.warning("building a %d-customer world in %s", args.customers, root)
        paths = build_world(root, args.customers, args.seed)
    else:
        layout = DataLayout(workdir=args.data_dir)
        paths = {
            "features_dir": layout.features_dir,
            "raw_dir": layout.raw_dir,
            "scores_dir": layout.scores_dir,
            "tracking_uri": args.tracking_uri,
        }
    key = secrets.token_urlsafe(18)
    settings = ServingSettings(api_key=key, **paths)
    tracking = TrackingSettings(tracking_uri=str(paths["tracking_uri"]))
    champions = load_champions(tracking)
    as_of = latest_scored(Path(paths["scores_dir"]))
    snapshot = read_snapshot(Path(paths["features_dir"]), as_of)
    ids = [str(c) for c in snapshot.frame.index]
    batch = (ids * (1000 // len(ids) + 1))[:1000]
    live = snapshot.frame.loc[batch[: min(1000, len(ids))]]
    rows = records(live, champions.input_columns)
    rng = np.random.default_rng(args.seed)
    event_day = pd.Timestamp(as_of) + pd.Timedelta(days=1)

    def event(i: int) -> dict:
        stamp = event_day + pd.Timedelta(minutes=int(i))
        return {
            "customer_id": ids[int(rng.integers(len(ids)))],
            "channel": CHANNELS[i % len(CHANNELS)],
            "text": TEXTS[i % len(TEXTS)],
            "ts": stamp.isoformat(),
        }

    results = []
    gc.collect()
    gc.freeze()
    load_before = os.getloadavg()
    with running_server(settings, workers=args.workers) as server:
        logger.warning("server ready after %.1f s at %s", server.ready_seconds, server.base_url)

        def one_id(i: int) -> dict:
            return {"customer_ids": [ids[i % len(ids)]]}

        def one_record(i: int) -> dict:
            return {"records": rows[i % len(rows) : i % len(rows) + 1]}

        scenarios = [
            ("score 1 id, 1 client", "/score", one_id, args.requests, 1),
            ("score 1 id, 16 clients", "/score", one_id, 2 * args.requests, 16),
            ("score 1 id, 64 clients", "/score", one_id, 3 * args.requests, 64),
            ("score 100 ids", "/score", lambda i: {"customer_ids": batch[:100]}, 50, 1),
            ("score 1,000 ids", "/score", lambda i: {"customer_ids": batch}, 30, 1),
            (
                "score 1,000 records (live, no reasons)",
                "/score",
                lambda i: {"records": rows, "explain": False},
                15,
                1,
            ),
            ("score 1 record (live, reasons)", "/score", one_record, 100, 1),
            ("events/contact, 1 client", "/events/contact", event, args.events, 1),
            ("events/contact, 4 clients", "/events/contact", event, args.events, 4),
        ]
        chosen = [s for s in scenarios if any(word in s[0] for word in args.only)]
        for name, path, body, requests, concurrency in chosen if args.only else scenarios:
            latencies, wall = asyncio.run(
                load_test(server.base_url, key, path, body, requests, concurrency)
            )
            results.append(summary(name, latencies, wall))
            logger.warning("%s", results[-1])
        if args.wrk_seconds and wrk_available() and (not args.only or "wrk" in args.only):
            headers = {API_KEY_HEADER: key, "Content-Type": "application/json"}
            bodies = [json.dumps(one_id(i)) for i in range(min(len(ids), 500))]
            for connections in (1, 16, 64):
                figures = wrk_load(
                    server.base_url, "/score", headers, bodies, connections, args.wrk_seconds
                )
                results.append(
                    {
                        "scenario": f"score 1 id, wrk {connections} conn",
                        "requests": int(figures["req_per_s"] * args.wrk_seconds),
                        **{k: round(v, 1) for k, v in figures.items() if k != "non_2xx"},
                    }
                )
                logger.warning("%s", results[-1])
        elif args.wrk_seconds and not wrk_available():
            logger.warning("wrk is not installed (apt-get install wrk): wrk scenarios skipped")
    documents = snapshot.documents
    raw = in_process_seconds(champions, live, documents, runs=15)
    results.append(summary("in-process raw models, 1,000 rows", raw, sum(raw)))
    served = next((r for r in results if r["scenario"].startswith("score 1,000 records")), None)
    ratio = served["p50_ms"] / results[-1]["p50_ms"] if served else float("nan")
    load_after = os.getloadavg()
    print(pd.DataFrame(results).to_string(index=False))
    print(f"\nserving overhead ratio (1,000 records served p50 / in-process p50): {ratio:.2f}")
    print(f"cpus: {os.cpu_count()}, load average before {load_before}, after {load_after}")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument(
        "--requests", type=int, default=400, help="single-id requests at 1 client (x2, x3 above)"
    )
    parser.add_argument("--events", type=int, default=100)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--wrk-seconds",
        type=int,
        default=10,
        help="seconds per single-id scenario driven by wrk (light C client), 0 to skip",
    )
    parser.add_argument(
        "--only", nargs="*", default=[], help="run only scenarios whose name contains a word"
    )
    parser.add_argument(
        "--data-dir", type=Path, default=None, help="folder with features/ raw/ scores/"
    )
    parser.add_argument("--tracking-uri", default="sqlite:///mlruns/mlflow.db")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    run(args)


if __name__ == "__main__":
    main()
