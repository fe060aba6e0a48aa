"""Community detection on the contact graph and per-customer community statistics.

``label_propagation`` is a weighted label propagation written on the CSR matrix: in each round
every customer finds the label carrying the largest total tie weight among its contacts (ties
broken by a seeded random order of labels, keeping the current label when it is among the
best), and a seeded random share of the customers that want to move adopt it (fully
synchronous updates oscillate). It stops when nobody wants to move. ``louvain`` delegates to
``networkx.community.louvain_communities``.
"""

from __future__ import annotations

import logging
from itertools import chain

import networkx as nx
import numpy as np
from scipy import sparse

logger = logging.getLogger(__name__)

_TIE_TOLERANCE = 1e-9


def _best_labels(votes: sparse.csr_array, current: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Per row of ``votes`` (label -> tie weight), the heaviest label.

    Ties go to the current label, else to the label ranked highest in ``order``.
    """
    rows = votes.shape[0]
    counts = np.diff(votes.indptr)
    best = current.copy()
    if votes.nnz == 0:
        return best
    row = np.repeat(np.arange(rows), counts)
    starts = votes.indptr[:-1][counts > 0]
    top = np.zeros(rows)
    top[counts > 0] = np.maximum.reduceat(votes.data, starts)
    tied = votes.data >= top[row] * (1.0 - _TIE_TOLERANCE)
    priority = np.where(tied, order[votes.indices] + (votes.indices == current[row]), -1.0)
    top_priority = np.zeros(rows)
    top_priority[counts > 0] = np.maximum.reduceat(priority, starts)
    chosen = np.flatnonzero(priority == top_priority[row])
    chosen_rows = row[chosen]
    first = np.concatenate([[True], chosen_rows[1:] != chosen_rows[:-1]])
    best[chosen_rows[first]] = votes.indices[chosen[first]]
    return best


def label_propagation(
    adjacency: sparse.csr_array,
    seed: int = 0,
    max_iter: int = 30,
    update_share: float = 0.8,
) -> np.ndarray:
    """Weighted label propagation on a symmetric sparse adjacency.

    Only customers whose neighbourhood changed since they were last settled are re-evaluated,
    so late rounds cost little.

    Args:
        adjacency: Symmetric non-negative weighted adjacency (CSR) without self-loops.
        seed: Seed of the tie-breaking and update order.
        max_iter: Maximum number of rounds.
        update_share: Share of the customers wanting a new label that take it in a round.

    Returns:
        Community label per node (nodes without edges keep a label of their own).
    """
    size = adjacency.shape[0]
    rng = np.random.default_rng(seed)
    labels = np.arange(size)
    active = np.flatnonzero(np.diff(adjacency.indptr) > 0)
    for rounds in range(1, max_iter + 1):
        if active.size == 0:
            logger.debug("label propagation: converged in %d round(s)", rounds - 1)
            return labels
        block = adjacency[active]
        votes = sparse.csr_array(
            (block.data, labels[block.indices], block.indptr), shape=(active.size, size)
        )
        votes.sum_duplicates()
        best = _best_labels(votes, labels[active], rng.random(size))
        wants = best != labels[active]
        move = wants & (rng.random(active.size) < update_share)
        labels[active[move]] = best[move]
        pending = np.zeros(size, dtype=bool)
        pending[adjacency[active[move]].indices] = True
        pending[active[wants & ~move]] = True
        active = np.flatnonzero(pending)
    logger.debug("label propagation: stopped after %d rounds before converging", max_iter)
    return labels


def louvain(adjacency: sparse.csr_array, seed: int = 0, resolution: float = 1.0) -> np.ndarray:
    """Louvain communities from networkx (builds an ``nx.Graph``; slow beyond ~10^5 nodes).

    Args:
        adjacency: Symmetric non-negative weighted adjacency (CSR).
        seed: Seed of networkx's node order.
        resolution: Modularity resolution.

    Returns:
        Community label per node.
    """
    graph = nx.from_scipy_sparse_array(adjacency, edge_attribute="weight")
    communities = nx.community.louvain_communities(
        graph, weight="weight", resolution=resolution, seed=seed
    )
    sizes = np.fromiter((len(members) for members in communities), dtype=np.int64)
    members = np.fromiter(chain.from_iterable(communities), dtype=np.int64, count=int(sizes.sum()))
    labels = np.empty(adjacency.shape[0], dtype=np.int64)
    labels[members] = np.repeat(np.arange(len(sizes)), sizes)
    return labels


def community_stats(labels: np.ndarray, flag: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Size of each node's community and the flag rate among the other members.

    Args:
        labels: Community label per node.
        flag: Boolean per node (e.g. complained in the last 30 days).

    Returns:
        ``(size, rate)``: members of the node's community including itself, and the share of
        the other members with ``flag`` (0 for a community of one).
    """
    _, compact = np.unique(labels, return_inverse=True)
    members = np.bincount(compact)
    flagged = np.bincount(compact, weights=flag.astype(float), minlength=members.size)
    size = members[compact]
    others = size - 1.0
    flagged_others = flagged[compact] - flag
    rate = np.divide(flagged_others, others, out=np.zeros(labels.size), where=others > 0)
    return size, rate
