"""Benchmark the one-customer feature path of the real-time event endpoint, family by family.

The event endpoint recomputes one customer's features with the batch feature code on that
customer's rows. This script takes customers of an ingested world, reads their rows the way
the service does (:class:`serving.api.customer_rows.CustomerRows`, from the serving index it
builds when missing) and times, per customer, each
feature family, the whole :func:`features.assemble.customer_features`, the text-model
documents, and both champion models scoring the row (with and without reason codes).

Usage:
    python benchmarks/bench_online.py --data-dir /tmp/bw \
        --tracking-uri sqlite:////tmp/bw/mlruns/mlflow.db

``--data-dir`` holds ``raw/`` and ``features/`` (e.g. the folder ``bench_serving.py`` builds,
or ``data`` after ``make demo``). Without a tracking URI only the feature path is timed.
"""

from __future__ import annotations

import argparse
import logging
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import threadpoolctl

from features.assemble import (
    SourceTables,
    customer_features,
    snapshot_customers,
)
from features.core.inputs import customer_index
from features.identity import identity_features
from features.structured import account, billing, contact_history
from features.structured import usage as usage_family
from features.text import TelecomTokenizer, customer_documents, text_features
from pipelines.catalog import DataLayout
from pipelines.serving_index import build_serving_index, open_serving_index
from pipelines.snapshot import available_snapshots, read_snapshot
from serving.api.customer_rows import CustomerRows
from serving.api.state import GRAPH_COLUMNS

logger = logging.getLogger("bench_online")


def median_ms(
    name: str, per_customer: Callable[[SourceTables], object], tables: list[SourceTables]
) -> dict[str, object]:
    """Median and p99 milliseconds of ``per_customer`` over the customers' tables."""
    for sliced in tables[:3]:
        per_customer(sliced)
    timings = []
    for sliced in tables:
        start = time.perf_counter()
        per_customer(sliced)
        timings.append(time.perf_counter() - start)
    values = np.asarray(timings) * 1000
    return {
        "step": name,
        "median_ms": round(float(np.median(values)), 2),
        "p99_ms": round(float(np.percentile(values, 99)), 2),
    }


def run(args: argparse.Namespace) -> pd.DataFrame:
    """Time every step on ``args.customers`` customers; one row per step."""
    layout = DataLayout(workdir=args.data_dir)
    as_of = max(available_snapshots(layout.features_dir))
    build_serving_index(layout.raw_dir, layout.features_dir, layout.index_dir, as_of)
    rows = CustomerRows.open(open_serving_index(layout.index_dir, as_of))
    snapshot = read_snapshot(layout.features_dir, as_of)
    graph = snapshot.frame[[c for c in GRAPH_COLUMNS if c in snapshot.frame.columns]]
    day = pd.Timestamp(as_of) + pd.Timedelta(days=1)
    rng = np.random.default_rng(args.seed)
    ids = rng.choice(snapshot.frame.index.to_numpy(dtype=object), args.customers, replace=False)
    tables = [rows.tables_for(str(customer_id)) for customer_id in ids]
    tokenizer = TelecomTokenizer()

    def ids_of(sliced: SourceTables) -> pd.Index:
        return customer_index(sliced.customers["customer_id"])

    steps: list[tuple[str, Callable[[SourceTables], object]]] = [
        (
            "read rows (CustomerRows, serving index)",
            lambda s: rows.tables_for(str(s.customers.iloc[0, 0])),
        ),
        (
            "structured: account",
            lambda s: account.account_features(s.customers, day, regions=list(s.regions)),
        ),
        (
            "structured: billing",
            lambda s: billing.billing_features(s.bills, s.service_events, ids_of(s), day),
        ),
        ("structured: usage", lambda s: usage_family.usage_features(s.usage, ids_of(s), day)),
        (
            "structured: contact history",
            lambda s: contact_history.contact_history_features(s.contacts, ids_of(s), day),
        ),
        ("text features", lambda s: text_features(s.contacts, day, posts=s.social_posts)),
        (
            "identity",
            lambda s: identity_features(
                s.contacts, s.social_posts, s.owners, snapshot_customers(s.customers, day), day
            ),
        ),
        ("customer_features (all)", lambda s: customer_features(s, day, graph=graph)),
        (
            "documents (text model input)",
            lambda s: customer_documents(
                s.contacts, day, posts=s.social_posts, tokenizer=tokenizer
            ),
        ),
    ]
    results = [median_ms(name, step, tables) for name, step in steps]
    if args.tracking_uri:
        from serving.scoring.score import score_customers
        from training.champions import load_champions
        from training.tracking import TrackingSettings

        champions = load_champions(TrackingSettings(tracking_uri=args.tracking_uri))
        prepared = {
            id(s): (
                customer_features(s, day, graph=graph),
                customer_documents(s.contacts, day, posts=s.social_posts, tokenizer=tokenizer),
            )
            for s in tables
        }
        for explain in (False, True):
            results.append(
                median_ms(
                    f"score both models ({'with' if explain else 'no'} reasons)",
                    lambda s, e=explain: score_customers(champions, *prepared[id(s)], explain=e),
                    tables,
                )
            )
        results.extend(on_demand_lookups(layout, champions, snapshot, args.customers))
    return pd.DataFrame(results)


def on_demand_lookups(layout: DataLayout, champions, snapshot, customers: int) -> list[dict]:
    """``ScoreTable.lookup`` of one id, as ``/score`` by id answers it in the service: an id
    whose reasons batch scoring left out (computed on demand) and one with precomputed reasons."""
    from pipelines.scores import read_scores
    from serving.api.lookup import SCORE_COLUMNS, ScoreTable, snapshot_explainer

    if snapshot.as_of not in layout.scores.available():
        return []
    frame, versions = read_scores(
        layout.scores_dir, snapshot.as_of, parse_reasons=False, columns=SCORE_COLUMNS
    )
    explain = snapshot_explainer(champions, snapshot, champions.scoring)
    table = ScoreTable(snapshot.as_of, frame, versions, explain)
    results = []
    for name, precomputed in (("on demand", False), ("precomputed", True)):
        ids = frame.index[(frame["reasons"] != "null") == precomputed][:customers].tolist()
        if ids:
            results.append(
                median_ms(f"/score lookup by id, reasons {name}", lambda i: table.lookup([i]), ids)
            )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True, help="folder with raw/ features/")
    parser.add_argument("--tracking-uri", default=None, help="MLflow URI with champion models")
    parser.add_argument("--customers", type=int, default=100)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    with threadpoolctl.threadpool_limits(limits=1, user_api="openmp"):
        frame = run(args)
    print(frame.to_string(index=False))


if __name__ == "__main__":
    main()
