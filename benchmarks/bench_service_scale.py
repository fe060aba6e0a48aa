"""Benchmark of the scoring service on a scored work folder: start-up, memory, /score latency.

Usage::

    python benchmarks/bench_service_scale.py --workdir /tmp/procare_scale/1000000 \
        --tracking-uri sqlite:////tmp/procare_scale/1000000/mlflow.db --workers 1

Starts ``procare serve`` on the work folder (the real command: it builds the serving index
when it is missing or stale, then ``bentoml serve`` with every worker loading the champions and
the latest scores and opening the index), times how long until ``/readyz`` answers 200 (build
the index beforehand, e.g. by a first run, to time a restart), samples the RSS of every server
process until then and during the requests, and sends single-id ``POST /score`` requests one
after another for customers whose reasons were precomputed (shown tiers) and for customers
whose reasons the service computes on demand, then ``POST /events/contact`` complaints on the
day after the snapshot (features recomputed from the customer's rows). Printed: seconds to
ready, peak RSS of the largest server process, and p50/p99/max latency per kind of request.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import httpx
import numpy as np
import psutil
from rich.console import Console
from rich.table import Table

API_KEY = "bench-key"


class RssSampler(threading.Thread):
    """Samples the largest single RSS of a process tree every 200 ms."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.process = psutil.Process(pid)
        self.peak = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            for member in [self.process, *self.process.children(recursive=True)]:
                try:
                    self.peak = max(self.peak, member.memory_info().rss)
                except psutil.Error:
                    continue
            time.sleep(0.2)


def _ids(workdir: Path, count: int, seed: int) -> dict[str, list[str]]:
    from pipelines.catalog import DataLayout
    from pipelines.scores import latest_scored, read_scores

    scores_dir = DataLayout(workdir=workdir).scores_dir
    table, _ = read_scores(
        scores_dir, latest_scored(scores_dir), parse_reasons=False, columns=["reasons"]
    )
    explained = table["reasons"].to_numpy() != "null"
    rng = np.random.default_rng(seed)
    ids = table.index.to_numpy()
    picks = {}
    for kind, mask in (("precomputed reasons", explained), ("reasons on demand", ~explained)):
        chosen = ids[mask]
        picks[kind] = list(rng.choice(chosen, size=min(count, len(chosen)), replace=False))
    return picks


def _score(customer_id: str, _day: str) -> tuple[str, dict]:
    return "/score", {"customer_ids": [customer_id]}


def _event(customer_id: str, day: str) -> tuple[str, dict]:
    """A hotline complaint on the day after the served snapshot (features recomputed live)."""
    return "/events/contact", {
        "customer_id": customer_id,
        "channel": "hotline",
        "text": "宽带又断了，上个月就给12300打过电话了，还是没人管",
        "ts": f"{day}T10:15:00+08:00",
        "category": "network",
    }


def _latencies(client: httpx.Client, ids: list[str], request=_score, day: str = "") -> np.ndarray:
    seconds = []
    for customer_id in ids:
        path, body = request(customer_id, day)
        start = time.perf_counter()
        response = client.post(path, json=body)
        seconds.append(time.perf_counter() - start)
        response.raise_for_status()
    return np.array(seconds) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--tracking-uri", required=True)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--port", type=int, default=3917)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()

    picks = _ids(args.workdir, args.requests, args.seed)
    env = {
        **os.environ,
        "MLFLOW_TRACKING_URI": args.tracking_uri,
        "PROCARE_API_KEY": API_KEY,
        "PROCARE_LIVE_DIR": str(args.workdir / "live-bench"),
    }
    command = [
        str(Path(sys.executable).with_name("procare")),
        "serve",
        "--workdir",
        str(args.workdir),
        "--port",
        str(args.port),
        "--workers",
        str(args.workers),
    ]
    log = (args.workdir / "serve-bench.log").open("w")
    start = time.perf_counter()
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    sampler = RssSampler(server.pid)
    sampler.start()
    base = f"http://127.0.0.1:{args.port}"
    rows = []
    try:
        with httpx.Client(base_url=base, headers={"X-API-Key": API_KEY}, timeout=60) as client:
            while True:
                if server.poll() is not None:
                    raise SystemExit(f"server exited {server.returncode}: see {log.name}")
                try:
                    if client.get("/readyz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                time.sleep(0.5)
            ready = time.perf_counter() - start
            ready_peak = sampler.peak
            as_of = client.get("/model_info").json()["snapshot_as_of"]
            day = (date.fromisoformat(as_of) + timedelta(days=1)).isoformat()
            for kind, ids in picks.items():
                _latencies(client, ids[:20])
                ms = _latencies(client, ids)
                rows.append((f"/score, {kind}", len(ms), *np.percentile(ms, [50, 99]), ms.max()))
            events = picks["reasons on demand"][: max(50, len(picks["reasons on demand"]) // 3)]
            ms = _latencies(client, events, _event, day)
            rows.append(("/events/contact", len(ms), *np.percentile(ms, [50, 99]), ms.max()))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        sampler.stopped.set()
        log.close()
    table = Table(title=f"procare serve on {args.workdir} ({args.workers} worker(s))")
    for column in ("request", "requests", "p50 ms", "p99 ms", "max ms"):
        table.add_column(column, justify="right")
    for kind, count, p50, p99, most in rows:
        table.add_row(kind, str(count), f"{p50:.1f}", f"{p99:.1f}", f"{most:.1f}")
    console = Console(width=120)
    console.print(
        f"ready after {ready:.1f} s; peak RSS of the largest server process: "
        f"{ready_peak / 1e9:.2f} GB at ready, {sampler.peak / 1e9:.2f} GB overall"
    )
    console.print(table)


if __name__ == "__main__":
    main()
