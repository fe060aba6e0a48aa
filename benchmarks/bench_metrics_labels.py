"""Benchmark: does a flood of random paths grow the service's memory and ``/metrics``?

Starts ``bentoml serve`` (API key required) on a scored world, then sends GETs to random paths
without the key (401s, as a scanner would) and measures, before and after: the resident memory
of every server process (the workers hold the metric label sets), the size of ``/metrics`` and
the time to serve it, and a single-id ``/score`` latency right after the flood.

Usage:
    python benchmarks/bench_metrics_labels.py --data-dir /tmp/benchworld \\
        --tracking-uri sqlite:////tmp/benchworld/mlruns/mlflow.db --paths 20000
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import secrets
import time
import uuid
from pathlib import Path

import aiohttp
import httpx
import pandas as pd
import psutil

from pipelines.catalog import DataLayout
from pipelines.scores import latest_scored, read_scores
from serving.api.server import running_server
from serving.api.settings import API_KEY_HEADER, ServingSettings

logger = logging.getLogger("bench_metrics_labels")


def server_rss_mb(pid: int) -> dict[str, float]:
    """Resident memory (MB) of the server's processes: its largest worker and all together."""
    root = psutil.Process(pid)
    processes = [root, *root.children(recursive=True)]
    sizes = []
    for process in processes:
        try:
            sizes.append(process.memory_info().rss / 2**20)
        except psutil.NoSuchProcess:
            continue
    return {"largest_process_mb": max(sizes), "all_processes_mb": sum(sizes)}


def scrape(base_url: str, headers: dict[str, str]) -> dict[str, float]:
    """Size and time of one ``/metrics`` scrape."""
    start = time.perf_counter()
    response = httpx.get(f"{base_url}/metrics", headers=headers, timeout=300)
    seconds = time.perf_counter() - start
    return {
        "metrics_status": response.status_code,
        "metrics_kb": len(response.content) / 1024,
        "metrics_s": seconds,
        "metrics_lines": response.text.count("\n"),
    }


async def flood(base_url: str, paths: int, concurrency: int) -> float:
    """GET ``paths`` random paths without a key; the seconds it took."""
    queue: asyncio.Queue[str] = asyncio.Queue()
    for _ in range(paths):
        queue.put_nowait(f"/customers/{uuid.uuid4().hex}")
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(base_url, connector=connector) as session:

        async def client() -> None:
            while not queue.empty():
                async with session.get(queue.get_nowait()) as response:
                    await response.read()

        start = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(concurrency)))
        return time.perf_counter() - start


def score_ms(base_url: str, headers: dict[str, str], customer_id: str, runs: int = 20) -> float:
    """Median single-id ``/score`` latency (ms)."""
    timings = []
    with httpx.Client(base_url=base_url, headers=headers, timeout=60) as client:
        for _ in range(runs):
            start = time.perf_counter()
            client.post("/score", json={"customer_ids": [customer_id]})
            timings.append(time.perf_counter() - start)
    return 1000 * sorted(timings)[runs // 2]


def run(args: argparse.Namespace) -> pd.DataFrame:
    """Measure before and after the flood; one column each."""
    layout = DataLayout(workdir=args.data_dir)
    key = secrets.token_urlsafe(18)
    settings = ServingSettings(
        api_key=key,
        features_dir=layout.features_dir,
        raw_dir=layout.raw_dir,
        scores_dir=layout.scores_dir,
        live_dir=None,
        tracking_uri=args.tracking_uri,
    )
    headers = {API_KEY_HEADER: key}
    scores, _ = read_scores(layout.scores_dir, latest_scored(layout.scores_dir))
    customer_id = str(scores.index[scores["reasons"].notna()][0])
    with running_server(settings, workers=args.workers) as server:
        score_ms(server.base_url, headers, customer_id)
        before = {
            **server_rss_mb(server.pid),
            **scrape(server.base_url, headers),
            "score_1_id_ms": score_ms(server.base_url, headers, customer_id),
        }
        seconds = asyncio.run(flood(server.base_url, args.paths, args.concurrency))
        logger.warning("%d random paths in %.1f s", args.paths, seconds)
        after = {
            **server_rss_mb(server.pid),
            **scrape(server.base_url, headers),
            "score_1_id_ms": score_ms(server.base_url, headers, customer_id),
        }
    table = pd.DataFrame({"before": before, f"after {args.paths:,} random paths": after}).round(1)
    print(table.to_string())
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True, help="folder with raw/ scores/")
    parser.add_argument("--tracking-uri", default="sqlite:///mlruns/mlflow.db")
    parser.add_argument("--paths", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    run(args)


if __name__ == "__main__":
    main()
