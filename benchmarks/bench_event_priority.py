"""Benchmark: ``/events/contact`` latency while bulk feature records are being scored.

Starts ``bentoml serve`` (one worker) on a scored world and sends live contact events one after
another, first alone, then while ``--bulk-clients`` clients post ``records`` batches of
``--bulk-records`` rows (no reasons) without pause. Prints the events' p50/p99/max side by side
(alone / during bulk) and the bulk batches scored meanwhile. Bodies over the service's limit
are answered 413 and counted.

Usage:
    python benchmarks/bench_event_priority.py --data-dir /tmp/benchworld \\
        --tracking-uri sqlite:////tmp/benchworld/mlruns/mlflow.db
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import secrets
import sys
import time
from pathlib import Path

import aiohttp
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_serving import CHANNELS, TEXTS, records  # noqa: E402

from pipelines.catalog import DataLayout  # noqa: E402
from pipelines.scores import latest_scored  # noqa: E402
from pipelines.snapshot import read_snapshot  # noqa: E402
from serving.api.server import running_server  # noqa: E402
from serving.api.settings import API_KEY_HEADER, ServingSettings  # noqa: E402
from training.champions import load_champions  # noqa: E402
from training.tracking import TrackingSettings  # noqa: E402

logger = logging.getLogger("bench_event_priority")


def figures(latencies: list[float]) -> dict[str, float]:
    """p50, p99 and max (ms) of event latencies."""
    values = np.asarray(latencies) * 1000
    return {
        "events": len(values),
        "p50_ms": float(np.percentile(values, 50)),
        "p99_ms": float(np.percentile(values, 99)),
        "max_ms": float(values.max()),
    }


async def events(session: aiohttp.ClientSession, bodies: list[bytes], pause: float) -> list[float]:
    """Post the events one after another; their latencies."""
    latencies = []
    for body in bodies:
        start = time.perf_counter()
        async with session.post("/events/contact", data=body) as response:
            await response.read()
            if response.status != 200:
                raise RuntimeError(f"/events/contact answered {response.status}")
        latencies.append(time.perf_counter() - start)
        await asyncio.sleep(pause)
    return latencies


async def bulk(session: aiohttp.ClientSession, body: bytes, stop: asyncio.Event) -> dict:
    """Post the records batch until ``stop``; batches scored and refused (413)."""
    counts = {"scored": 0, "refused_413": 0}
    while not stop.is_set():
        async with session.post("/score", data=body) as response:
            await response.read()
            if response.status == 200:
                counts["scored"] += 1
            elif response.status == 413:
                counts["refused_413"] += 1
            else:
                raise RuntimeError(f"/score answered {response.status}")
    return counts


async def measure(base_url: str, key: str, event_bodies: list[bytes], bulk_body: bytes, args):
    headers = {API_KEY_HEADER: key, "Content-Type": "application/json"}
    timeout = aiohttp.ClientTimeout(total=600)
    async with aiohttp.ClientSession(base_url, headers=headers, timeout=timeout) as session:
        await events(session, event_bodies[:5], 0)
        alone = await events(session, event_bodies, args.pause)
        stop = asyncio.Event()
        loaders = [
            asyncio.create_task(bulk(session, bulk_body, stop)) for _ in range(args.bulk_clients)
        ]
        await asyncio.sleep(1.0)
        during = await events(session, event_bodies, args.pause)
        stop.set()
        counts = await asyncio.gather(*loaders)
    return alone, during, counts


def run(args: argparse.Namespace) -> pd.DataFrame:
    layout = DataLayout(workdir=args.data_dir)
    key = secrets.token_urlsafe(18)
    settings = ServingSettings(
        api_key=key,
        features_dir=layout.features_dir,
        raw_dir=layout.raw_dir,
        scores_dir=layout.scores_dir,
        live_dir=None,
        tracking_uri=args.tracking_uri,
        max_batch_size=10_000,
    )
    champions = load_champions(TrackingSettings(tracking_uri=args.tracking_uri))
    as_of = latest_scored(layout.scores_dir)
    frame = read_snapshot(layout.features_dir, as_of).frame
    ids = [str(c) for c in frame.index]
    rows = records(frame, champions.input_columns)
    batch = (rows * (args.bulk_records // len(rows) + 1))[: args.bulk_records]
    bulk_body = json.dumps({"records": batch, "explain": False}).encode()
    day = pd.Timestamp(as_of) + pd.Timedelta(days=1)
    event_bodies = [
        json.dumps(
            {
                "customer_id": ids[(7 * i) % len(ids)],
                "channel": CHANNELS[i % len(CHANNELS)],
                "text": TEXTS[i % len(TEXTS)],
                "ts": (day + pd.Timedelta(minutes=i)).isoformat(),
            },
            ensure_ascii=False,
        ).encode()
        for i in range(args.events)
    ]
    with running_server(settings, workers=1) as server:
        alone, during, counts = asyncio.run(
            measure(server.base_url, key, event_bodies, bulk_body, args)
        )
    table = pd.DataFrame(
        {
            "events alone": figures(alone),
            f"events during {args.bulk_clients} x {args.bulk_records:,}-record batches": figures(
                during
            ),
        }
    ).round(1)
    print(table.to_string())
    scored = sum(c["scored"] for c in counts)
    refused = sum(c["refused_413"] for c in counts)
    print(
        f"\nbulk body {len(bulk_body) / 2**20:.1f} MiB: {scored} batches scored, "
        f"{refused} refused (413) while the events ran"
    )
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True, help="folder with raw/ scores/")
    parser.add_argument("--tracking-uri", default="sqlite:///mlruns/mlflow.db")
    parser.add_argument("--events", type=int, default=100)
    parser.add_argument("--pause", type=float, default=0.1, help="seconds between events")
    parser.add_argument("--bulk-clients", type=int, default=4)
    parser.add_argument("--bulk-records", type=int, default=1000)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    run(args)


if __name__ == "__main__":
    main()
