"""Label propagation, Louvain and the per-customer community statistics."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from scipy import sparse

from features.graph import community_stats, label_propagation, louvain


def two_cliques_and_loners() -> sparse.csr_array:
    """Cliques 0-5 and 6-11 joined by one weak tie 5-6; nodes 12 and 13 have no ties."""
    graph = nx.Graph()
    graph.add_nodes_from(range(14))
    for block in (range(0, 6), range(6, 12)):
        graph.add_weighted_edges_from((u, v, 3.0) for u in block for v in block if u < v)
    graph.add_edge(5, 6, weight=1.0)
    return sparse.csr_array(nx.to_scipy_sparse_array(graph, nodelist=range(14)))


def partition(labels: np.ndarray) -> set[frozenset[int]]:
    return {frozenset(np.flatnonzero(labels == label).tolist()) for label in np.unique(labels)}


EXPECTED = {frozenset(range(6)), frozenset(range(6, 12)), frozenset({12}), frozenset({13})}


@pytest.mark.parametrize("seed", range(4))
def test_label_propagation_finds_the_cliques(seed: int) -> None:
    assert partition(label_propagation(two_cliques_and_loners(), seed=seed)) == EXPECTED


def test_label_propagation_is_deterministic_for_a_seed() -> None:
    adjacency = sparse.csr_array(nx.to_scipy_sparse_array(nx.gnm_random_graph(300, 700, seed=1)))
    first = label_propagation(adjacency, seed=11)
    np.testing.assert_array_equal(first, label_propagation(adjacency, seed=11))


def test_label_propagation_leaves_the_adjacency_untouched() -> None:
    adjacency = two_cliques_and_loners()
    before = adjacency.copy()
    label_propagation(adjacency, seed=0)
    assert (adjacency != before).nnz == 0


def test_louvain_finds_the_cliques() -> None:
    assert partition(louvain(two_cliques_and_loners(), seed=0)) == EXPECTED


def test_community_stats_exclude_the_customer_itself() -> None:
    labels = np.array([7, 7, 7, 7, 3, 3, 9])
    flag = np.array([True, True, False, False, True, False, True])
    size, rate = community_stats(labels, flag)
    np.testing.assert_array_equal(size, [4, 4, 4, 4, 2, 2, 1])
    np.testing.assert_allclose(rate, [1 / 3, 1 / 3, 2 / 3, 2 / 3, 0, 1, 0])
