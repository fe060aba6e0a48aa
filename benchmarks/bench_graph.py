"""Benchmark of the graph feature family on a synthetic heavy-tailed community graph.

Usage::

    python benchmarks/bench_graph.py --customers 100000
    python benchmarks/bench_graph.py --customers 1000000 --no-networkx

Prints wall time and RSS before, at the peak of (Linux ``VmHWM``, reset before each step) and
after each step of :func:`features.graph.graph_features` and, unless ``--no-networkx``, of the
networkx equivalents (graph construction, ``pagerank``, ``core_number``, label propagation
and Louvain).
"""

from __future__ import annotations

import argparse
import logging
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pyarrow as pa

from features.graph import (
    GraphFeatureConfig,
    build_graph,
    clean_edges,
    clustering_coefficient,
    community_stats,
    core_number,
    graph_features,
    neighbour_share,
    pagerank,
)
from features.graph.compute import communities, contact_flag_vectors
from features.graph.edges import adjacency_pattern, customer_index

logger = logging.getLogger("bench_graph")

MONTHS = pd.to_datetime(["2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01"])
AS_OF = pd.Timestamp("2026-04-15")
_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


def _status_mb(field: str) -> float:
    for line in _STATUS.read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1]) / 1024
    return float("nan")


@contextmanager
def step(name: str, report: list[dict[str, object]]):
    """Time a block and record its peak and final resident memory."""
    try:
        _CLEAR_REFS.write_text("5")
    except OSError:
        logger.debug("cannot reset the peak RSS; peaks are process-wide")
    before = _status_mb("VmRSS")
    start = time.perf_counter()
    yield
    seconds = time.perf_counter() - start
    row = {
        "step": name,
        "seconds": round(seconds, 2),
        "rss_before_mb": round(before, 0),
        "peak_rss_mb": round(_status_mb("VmHWM"), 0),
        "rss_after_mb": round(_status_mb("VmRSS"), 0),
    }
    report.append(row)
    logger.info("%-42s %8.2f s  peak %7.0f MB", name, seconds, row["peak_rss_mb"])


def _weighted_pick(cumulative: np.ndarray, low: np.ndarray, high: np.ndarray, rng) -> np.ndarray:
    return np.searchsorted(cumulative, low + rng.random(low.size) * (high - low), side="right")


def synthetic_world(
    customers: int, pairs_per_node: float, seed: int, arrow_ids: bool = True
) -> tuple[pd.Index, pd.DataFrame, pd.DataFrame]:
    """Customer ids, an edges table (contract format) and contact flags.

    Customers sit in communities of log-normal size; each has a Pareto activity. A contact
    pair picks its first end by activity, its second end by activity inside the same
    community (80%) or in the whole base (20%), so degrees are heavy-tailed (Chung-Lu style
    preferential attachment). Each pair is active in each of the months with probability 0.6
    (at least one), as calls (70%) or SMS. 15% of the customers share family plans of 2-5,
    and follows point at customers by activity^1.5. The fourth month has not ended at
    ``AS_OF`` and must be ignored. Ids are Arrow-backed strings like the project's synthetic
    world writes them, or Python strings (object dtype) with ``arrow_ids=False``.
    """
    rng = np.random.default_rng(seed)
    ids = pd.Index(np.char.add("C", np.arange(customers).astype("U9")).astype(object))
    activity = np.minimum(rng.pareto(1.8, customers) + 1.0, 2000.0)
    sizes = np.clip(rng.lognormal(3.5, 1.0, customers // 10 + 10), 3, 20_000).astype(np.int64)
    sizes = sizes[: np.searchsorted(np.cumsum(sizes), customers) + 1]
    block = np.repeat(np.arange(sizes.size), sizes)[:customers]
    block_start = np.concatenate([[0], np.cumsum(sizes)])[block]
    block_end = np.minimum(np.concatenate([[0], np.cumsum(sizes)])[block + 1], customers)
    cumulative = np.cumsum(activity)
    before = np.concatenate([[0.0], cumulative])

    pairs = int(pairs_per_node * customers * 1.05)
    first = _weighted_pick(cumulative, np.zeros(pairs), np.full(pairs, cumulative[-1]), rng)
    inside = rng.random(pairs) < 0.8
    low = np.where(inside, before[block_start[first]], 0.0)
    high = np.where(inside, before[block_end[first]], cumulative[-1])
    second = np.minimum(_weighted_pick(cumulative, low, high, rng), customers - 1)
    permutation = rng.permutation(customers)
    first, second = permutation[first], permutation[second]
    keep = first != second
    pair_keys = np.unique(
        np.minimum(first, second)[keep] * customers + np.maximum(first, second)[keep]
    )
    a, b = pair_keys // customers, pair_keys % customers

    active = rng.random((a.size, MONTHS.size)) < 0.6
    active[~active[:, :3].any(axis=1), rng.integers(0, 3)] = True
    pair_row, month_row = np.nonzero(active)
    swap = rng.random(pair_row.size) < 0.5
    contact = pd.DataFrame(
        {
            "src": np.where(swap, b[pair_row], a[pair_row]),
            "dst": np.where(swap, a[pair_row], b[pair_row]),
            "kind": np.where(rng.random(pair_row.size) < 0.7, "call", "sms"),
            "weight": (1 + rng.geometric(0.15, pair_row.size)).astype(float),
            "month": MONTHS[month_row],
        }
    )

    members = rng.permutation(customers)[: int(0.15 * customers)]
    family_sizes = rng.integers(2, 6, members.size // 2)
    family_sizes = family_sizes[: np.searchsorted(np.cumsum(family_sizes), members.size)]
    family_of = np.repeat(np.arange(family_sizes.size), family_sizes)
    members = members[: family_of.size]
    left, right = np.triu_indices(5, 1)
    offsets = np.concatenate([[0], np.cumsum(family_sizes)])[:-1]
    fam_a, fam_b = [], []
    for i, j in zip(left, right, strict=True):
        has = family_sizes > j
        fam_a.append(members[offsets[has] + i])
        fam_b.append(members[offsets[has] + j])
    fam_a, fam_b = np.concatenate(fam_a), np.concatenate(fam_b)
    family = pd.DataFrame(
        {
            "src": np.tile(fam_a, MONTHS.size),
            "dst": np.tile(fam_b, MONTHS.size),
            "kind": "family_plan",
            "weight": 1.0,
            "month": np.repeat(MONTHS, fam_a.size),
        }
    )

    follows = int(0.5 * customers)
    popular = np.cumsum(activity**1.5)
    follower = rng.integers(0, customers, follows)
    followed = permutation[
        _weighted_pick(popular, np.zeros(follows), np.full(follows, popular[-1]), rng)
    ]
    keep = follower != followed
    follow_keys = np.unique(follower[keep] * customers + followed[keep])
    follow = pd.DataFrame(
        {
            "src": np.tile(follow_keys // customers, MONTHS.size),
            "dst": np.tile(follow_keys % customers, MONTHS.size),
            "kind": "follow",
            "weight": 1.0,
            "month": np.repeat(MONTHS, follow_keys.size),
        }
    )

    edges = pd.concat([contact, family, follow], ignore_index=True)
    if arrow_ids:
        id_values = pa.array(ids.to_numpy(), type=pa.string())
        for column in ("src", "dst"):
            positions = pa.array(edges[column].to_numpy())
            edges[column] = pd.arrays.ArrowStringArray(id_values.take(positions))
        edges["kind"] = edges["kind"].astype("string[pyarrow]")
        ids = pd.Index(pd.arrays.ArrowStringArray(id_values))
    else:
        id_values = ids.to_numpy()
        edges["src"] = id_values[edges["src"].to_numpy()]
        edges["dst"] = id_values[edges["dst"].to_numpy()]
    flags = pd.DataFrame(
        {
            "customer_id": ids,
            "complained_30d": rng.random(customers) < 0.05,
            "escalated_30d": rng.random(customers) < 0.01,
        }
    )
    return ids, edges, flags


def _timed(name: str, report: list, func: Callable[[], object]) -> object:
    with step(name, report):
        return func()


def _compare_networkx(graph, pattern, rank: np.ndarray, report: list) -> None:
    size = graph.size
    nx_graph = _timed(
        "nx: from_scipy_sparse_array", report, lambda: nx.from_scipy_sparse_array(graph.contact)
    )
    for label, tol in (("default tol", 1e-6), ("tol matching sparse", 1e-10 / size)):
        nx_rank = _timed(
            f"nx: pagerank ({label})",
            report,
            lambda tol=tol: nx.pagerank(nx_graph, max_iter=1000, tol=tol),
        )
        reference = np.fromiter((nx_rank[i] for i in range(size)), float, size)
        logger.info(
            "max |sparse - nx| PageRank, %s (scaled to mean 1): %.2e",
            label,
            np.abs(rank - reference).max() * size,
        )
    nx_core = _timed("nx: core_number", report, lambda: nx.core_number(nx_graph))
    reference_core = np.fromiter((nx_core[i] for i in range(size)), np.int64, size)
    logger.info(
        "core numbers equal to nx: %s", bool((core_number(pattern) == reference_core).all())
    )
    nx_lpa = _timed(
        "nx: label_propagation_communities",
        report,
        lambda: list(nx.community.label_propagation_communities(nx_graph)),
    )
    logger.info(
        "nx label propagation: %d communities, largest %d",
        len(nx_lpa),
        max(len(c) for c in nx_lpa),
    )


def _steps(ids, edges, contact_flags, config: GraphFeatureConfig, networkx: bool, report) -> None:
    index = customer_index(ids)
    rows = _timed(
        "select + encode edge rows",
        report,
        lambda: clean_edges(edges, index, AS_OF, config.lookback_months),
    )
    graph = _timed(
        "adjacency (CSR build)",
        report,
        lambda: build_graph(rows, len(index), config.family_plan_weight),
    )
    pattern = adjacency_pattern(graph.contact)
    logger.info(
        "contact graph: %d nodes, %d undirected ties, max degree %d",
        graph.size,
        graph.contact.nnz // 2,
        int(np.diff(pattern.indptr).max()),
    )
    flags = contact_flag_vectors(contact_flags, index)
    _timed(
        "degree + weighted degree",
        report,
        lambda: (np.diff(pattern.indptr), graph.contact.sum(axis=1)),
    )
    rank = _timed(
        "pagerank (sparse power iteration)",
        report,
        lambda: pagerank(
            graph.contact, config.pagerank_alpha, config.pagerank_iterations, config.pagerank_tol
        ),
    )
    labels = _timed(
        "communities (sparse label propagation)", report, lambda: communities(graph, config)
    )
    size, _ = community_stats(labels, flags["complained_30d"])
    logger.info(
        "communities: %d, largest %d, singletons %d",
        np.unique(labels).size,
        int(size.max()),
        int((size == 1).sum()),
    )
    _timed("k-core (sparse peeling)", report, lambda: core_number(pattern))
    _timed(
        "clustering (oriented wedges)",
        report,
        lambda: clustering_coefficient(pattern),
    )
    _timed(
        "neighbour shares (4 columns)",
        report,
        lambda: [neighbour_share(m, f) for m in (pattern, graph.contact) for f in flags.values()],
    )
    if networkx:
        _compare_networkx(graph, pattern, rank, report)
        louvain_config = config.model_copy(update={"community_method": "louvain"})
        louvain_labels = _timed(
            "communities (louvain via networkx)",
            report,
            lambda: communities(graph, louvain_config),
        )
        logger.info("louvain: %d communities", np.unique(louvain_labels).size)


def run(
    customers: int, pairs_per_node: float, seed: int, networkx: bool, arrow_ids: bool
) -> pd.DataFrame:
    """Run every step once and return the report table."""
    report: list[dict[str, object]] = []
    config = GraphFeatureConfig(seed=seed)
    ids, edges, contact_flags = _timed(
        "generate synthetic world",
        report,
        lambda: synthetic_world(customers, pairs_per_node, seed, arrow_ids),
    )
    logger.info(
        "edges table: %d rows (%d in the month not ended at as_of)",
        len(edges),
        int((edges["month"] == MONTHS[-1]).sum()),
    )
    _steps(ids, edges, contact_flags, config, networkx, report)
    features = _timed(
        "total: graph_features end to end",
        report,
        lambda: graph_features(edges, ids, contact_flags, AS_OF, config),
    )
    logger.info("output %s, g_pagerank mean %.3f", features.shape, features["g_pagerank"].mean())
    return pd.DataFrame(report)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--pairs-per-node", type=float, default=5.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--no-networkx",
        dest="networkx",
        action="store_false",
        help="skip the networkx comparisons (slow at 1M)",
    )
    parser.add_argument(
        "--object-ids",
        dest="arrow_ids",
        action="store_false",
        help="ids as Python strings (object dtype) instead of Arrow-backed strings",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    report = run(args.customers, args.pairs_per_node, args.seed, args.networkx, args.arrow_ids)
    logger.info("\n%s", report.to_string(index=False))


if __name__ == "__main__":
    main()
