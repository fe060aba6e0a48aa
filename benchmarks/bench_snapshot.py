"""Benchmark of one feature snapshot on the synthetic world: each family and the whole snapshot.

Usage::

    python benchmarks/bench_snapshot.py --customers 100000
    python benchmarks/bench_snapshot.py --customers 1000000 --world /tmp/world_1m

Generates (or reads, with ``--world`` pointing at a saved world) a 12-month world, resolves
identity, then times each feature family and the whole ``customer_features`` call for one
month-end snapshot, with the peak RSS seen during each step (sampled every 50 ms). The text row
compares the text step's texts/s with a plain ``jieba.lcut`` pass over a sample of the same texts.
"""

from __future__ import annotations

import argparse
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import jieba
import pandas as pd
import psutil
from rich.console import Console
from rich.table import Table

from features.assemble import (
    FeatureConfig,
    compute_graph_features,
    resolve_tables,
    snapshot_customers,
)
from features.core.timeline import in_last_days
from features.identity import identity_features
from features.structured import structured_features
from features.text import customer_documents, text_features
from pipelines.catalog import WorldFiles
from pipelines.snapshot import build_snapshot, read_raw_tables
from pipelines.synthetic.config import WorldConfig
from pipelines.synthetic.world import generate_world, save_world
from pipelines.validation import data_end_of


class PeakSampler:
    """Samples this process's RSS in a thread; ``peak`` is the maximum since ``reset``."""

    def __init__(self, interval: float = 0.05) -> None:
        self.interval = interval
        self.peak = 0
        self._process = psutil.Process()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._process.memory_info().rss)
            time.sleep(self.interval)

    def start(self) -> None:
        self._thread.start()

    def reset(self) -> None:
        self.peak = self._process.memory_info().rss

    def stop(self) -> None:
        self._stop.set()


def timed(sampler: PeakSampler, step: Callable[[], object]) -> tuple[object, float, float]:
    sampler.reset()
    start = time.perf_counter()
    result = step()
    seconds = time.perf_counter() - start
    return result, seconds, sampler.peak / 1024**3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--as-of", default="2026-09-30")
    parser.add_argument("--world", type=Path, default=None, help="A saved world to read.")
    parser.add_argument("--jieba-sample", type=int, default=20_000)
    args = parser.parse_args()
    console = Console()
    sampler = PeakSampler()
    sampler.start()

    if args.world and WorldFiles(args.world).table("customers").is_file():
        raw = read_raw_tables(args.world)
    else:
        world = generate_world(WorldConfig(customers=args.customers, months=12, seed=args.seed))
        raw = world.tables()
        if args.world:
            save_world(world, args.world)
        del world
    as_of = pd.Timestamp(args.as_of)
    tables, resolve_s, resolve_gb = timed(sampler, lambda: resolve_tables(raw))
    ids = snapshot_customers(tables.customers, as_of)
    window = in_last_days(tables.contacts, "ts", as_of, 90)
    n_texts = int(window["text"].notna().sum())
    config = FeatureConfig()

    rows: list[tuple[str, float, float, str]] = [("resolve identity", resolve_s, resolve_gb, "")]
    steps: dict[str, Callable[[], object]] = {
        "structured": lambda: structured_features(
            tables.customers,
            tables.bills,
            tables.usage,
            tables.service_events,
            tables.contacts,
            as_of,
            regions=list(tables.regions),
        ),
        "text (features)": lambda: text_features(tables.contacts, as_of, posts=tables.social_posts),
        "text (documents)": lambda: customer_documents(
            tables.contacts, as_of, posts=tables.social_posts
        ),
        "identity": lambda: identity_features(
            tables.contacts, tables.social_posts, tables.owners, ids, as_of
        ),
        "graph": lambda: compute_graph_features(tables, as_of, config),
    }
    text_seconds = 0.0
    for name, step in steps.items():
        _, seconds, peak = timed(sampler, step)
        note = ""
        if name.startswith("text"):
            text_seconds += seconds
            note = f"{n_texts / seconds:,.0f} texts/s"
        rows.append((name, seconds, peak, note))
    data_end = data_end_of(raw)
    _, whole_s, whole_gb = timed(
        sampler, lambda: build_snapshot(tables, as_of.date(), config, data_end)
    )
    rows.append(("whole snapshot (features, labels, documents)", whole_s, whole_gb, ""))

    sample = window["text"].dropna().head(args.jieba_sample).tolist()
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    start = time.perf_counter()
    for text in sample:
        tokenizer.lcut(text)
    lcut_rate = len(sample) / (time.perf_counter() - start)
    text_rate = n_texts / text_seconds

    table = Table(title=f"snapshot {args.as_of}, {len(ids):,} customers, {n_texts:,} texts (90d)")
    for column in ("step", "wall s", "peak RSS GB", "note"):
        table.add_column(column, justify="right" if column != "step" else "left")
    for name, seconds, peak, note in rows:
        table.add_row(name, f"{seconds:.1f}", f"{peak:.2f}", note)
    console.print(table)
    console.print(
        f"text step (features + documents): {text_rate:,.0f} texts/s; plain jieba.lcut on "
        f"{len(sample):,} of the same texts: {lcut_rate:,.0f} texts/s; "
        f"ratio {text_rate / lcut_rate:.1f}x"
    )
    console.print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    sampler.stop()


if __name__ == "__main__":
    main()
