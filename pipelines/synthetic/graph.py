"""The social graph: households, communities of colleagues/friends, follows; monthly activity.

Static ties come from stub matching inside communities (heavy-tailed degrees) plus complete
graphs inside family-plan households. Each month a tie is active as calls and/or SMS with a
count weight; family ties also appear as ``family_plan`` rows and follows as ``follow`` rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
from scipy import sparse

from features import vocabulary
from pipelines.synthetic.accounts import Accounts
from pipelines.synthetic.config_social import GraphParams
from pipelines.synthetic.ids import take_ids
from pipelines.synthetic.population import PLAN_TYPES, Population

EDGE_KINDS = vocabulary.EDGE_KINDS


@dataclass
class SocialGraph:
    """Static ties (undirected, ``src < dst``) and follows (``src`` follows ``dst``)."""

    src: np.ndarray
    dst: np.ndarray
    strength: np.ndarray
    family: np.ndarray
    follow_src: np.ndarray
    follow_dst: np.ndarray


@dataclass
class MonthEdges:
    """Edges active in one month, as positions into the population."""

    src: np.ndarray
    dst: np.ndarray
    kind: np.ndarray
    weight: np.ndarray


def _households(population: Population, params: GraphParams, rng: np.random.Generator):
    members = np.flatnonzero(population.plan == PLAN_TYPES.index("family"))
    if len(members) < 2:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    members = members[np.lexsort((rng.random(len(members)), population.region[members]))]
    sizes = np.asarray(params.household_sizes)[
        rng.integers(0, len(params.household_sizes), size=len(members))
    ]
    ends = np.cumsum(sizes)
    ends = ends[ends < len(members)]
    household = np.searchsorted(ends, np.arange(len(members)), side="right")
    starts = np.r_[0, ends]
    position = np.arange(len(members)) - starts[household]
    size = np.bincount(household)[household]
    src, dst = [], []
    max_size = int(size.max())
    for a in range(max_size):
        for b in range(a + 1, max_size):
            first = (position == a) & (size > b)
            src.append(members[first])
            dst.append(members[np.flatnonzero(first) + (b - a)])
    return np.concatenate(src), np.concatenate(dst)


def _community_ties(population: Population, params: GraphParams, rng: np.random.Generator):
    n = population.size
    order = np.lexsort((rng.random(n), population.region))
    sizes = np.maximum(2, rng.lognormal(np.log(params.community_mean_size) - 0.5, 1.0, size=n))
    ends = np.cumsum(sizes.astype(np.int64))
    ends = ends[ends < n]
    community = np.empty(n, dtype=np.int64)
    community[order] = np.searchsorted(ends, np.arange(n), side="right")

    sigma = params.degree_log_sd
    hub = np.exp(sigma * rng.normal(size=n) - sigma**2 / 2) * (0.6 + population.social)
    degree = rng.poisson(params.mean_degree * hub / (0.6 + population.social.mean()))
    stubs = np.repeat(np.arange(n), np.minimum(degree, 500))
    local = rng.random(len(stubs)) < params.within_community_share
    inside = stubs[local]
    inside = inside[np.lexsort((rng.random(len(inside)), community[inside]))]
    half = len(inside) // 2
    a, b = inside[0 : 2 * half : 2], inside[1 : 2 * half : 2]
    same = community[a] == community[b]
    leftover = np.concatenate([a[~same], b[~same], inside[2 * half :], stubs[~local]])
    leftover = rng.permutation(leftover)
    half = len(leftover) // 2
    src = np.concatenate([a[same], leftover[0 : 2 * half : 2]])
    dst = np.concatenate([b[same], leftover[1 : 2 * half : 2]])
    return src, dst


def _follows(population: Population, accounts: Accounts, params: GraphParams, rng):
    n = population.size
    holders_mask = accounts.owner >= 0
    best = np.zeros(n, dtype=np.float64)
    np.maximum.at(best, accounts.owner[holders_mask], accounts.followers[holders_mask])
    holders = np.flatnonzero(best > 0)
    if len(holders) < 2:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    count = rng.poisson(params.follows_per_account_holder, size=len(holders))
    src = np.repeat(holders, count)
    weight = best[holders] ** params.follow_preference
    dst = holders[rng.choice(len(holders), size=len(src), p=weight / weight.sum())]
    keep = src != dst
    pairs = np.unique(np.stack([src[keep], dst[keep]], axis=1), axis=0)
    return pairs[:, 0], pairs[:, 1]


def build_graph(
    population: Population, accounts: Accounts, params: GraphParams, rng: np.random.Generator
) -> SocialGraph:
    """Draw the static social graph."""
    fam_src, fam_dst = _households(population, params, rng)
    com_src, com_dst = _community_ties(population, params, rng)
    src = np.concatenate([fam_src, com_src])
    dst = np.concatenate([fam_dst, com_dst])
    family = np.r_[np.ones(len(fam_src), bool), np.zeros(len(com_src), bool)]
    keep = src != dst
    lo, hi, family = np.minimum(src, dst)[keep], np.maximum(src, dst)[keep], family[keep]
    key = lo * population.size + hi
    order = np.lexsort((~family, key))
    key, family = key[order], family[order]
    first = np.r_[True, key[1:] != key[:-1]]
    key, family = key[first], family[first]
    lo, hi = key // population.size, key % population.size
    strength = rng.lognormal(-0.3, 0.7, size=len(key)) * np.where(family, 2.0, 1.0)
    f_src, f_dst = _follows(population, accounts, params, rng)
    return SocialGraph(
        src=lo.astype(np.int64),
        dst=hi.astype(np.int64),
        strength=strength,
        family=family,
        follow_src=f_src.astype(np.int64),
        follow_dst=f_dst.astype(np.int64),
    )


def month_edges(
    graph: SocialGraph, params: GraphParams, alive: np.ndarray, rng: np.random.Generator
) -> tuple[MonthEdges, np.ndarray]:
    """Edges of one month and the mask of static ties active in it (call, SMS or family).

    Args:
        graph: Static graph.
        params: Graph parameters.
        alive: Customers whose line is open this month (closed lines have no traffic).
        rng: The month's edge stream.
    """
    m = len(graph.src)
    both = alive[graph.src] & alive[graph.dst]
    call_p = np.where(graph.family, params.family_call_active_prob, params.call_active_prob)
    u = rng.random((2, m), dtype=np.float32)
    call = np.flatnonzero((u[0] < call_p) & both)
    sms = np.flatnonzero((u[1] < params.sms_active_prob) & both)
    call_w = 1 + rng.poisson(graph.strength[call] * params.call_weight_scale)
    sms_w = 1 + rng.poisson(graph.strength[sms] * params.sms_weight_scale)
    fam = graph.family & both
    follow = alive[graph.follow_src] & alive[graph.follow_dst]
    parts = [
        (graph.src[call], graph.dst[call], 0, call_w),
        (graph.src[sms], graph.dst[sms], 1, sms_w),
        (graph.src[fam], graph.dst[fam], 2, np.ones(fam.sum())),
        (graph.follow_src[follow], graph.follow_dst[follow], 3, np.ones(follow.sum())),
    ]
    edges = MonthEdges(
        src=np.concatenate([p[0] for p in parts]),
        dst=np.concatenate([p[1] for p in parts]),
        kind=np.concatenate([np.full(len(p[0]), p[2], np.int8) for p in parts]),
        weight=np.concatenate([p[3] for p in parts]).astype(np.float64),
    )
    active = fam.copy()
    active[call] = True
    active[sms] = True
    return edges, active


def neighbour_counts(graph: SocialGraph, active: np.ndarray, flag: np.ndarray) -> np.ndarray:
    """Per customer, the number of active-tie neighbours with ``flag`` set."""
    n = len(flag)
    src, dst = graph.src[active], graph.dst[active]
    values = np.ones(2 * len(src), dtype=np.float32)
    adjacency = sparse.csr_matrix(
        (values, (np.r_[src, dst], np.r_[dst, src])), shape=(n, n), dtype=np.float32
    )
    return np.asarray(adjacency @ flag.astype(np.float32)).ravel()


def followees_flagged(graph: SocialGraph, flag: np.ndarray) -> np.ndarray:
    """Per customer, whether anyone they follow has ``flag`` set."""
    return np.bincount(graph.follow_src, weights=flag[graph.follow_dst], minlength=len(flag)) > 0


def edge_columns(edges: MonthEdges, ids: pa.Array, month: pd.Timestamp) -> dict[str, object]:
    """One month of the ``edges`` contract table, as columns."""
    return {
        "src": take_ids(ids, edges.src),
        "dst": take_ids(ids, edges.dst),
        "kind": take_ids(pa.array(list(EDGE_KINDS)), edges.kind),
        "weight": edges.weight,
        "month": np.full(len(edges.src), month.to_datetime64(), dtype="datetime64[ns]"),
    }
