"""Sparse PageRank, k-core and clustering agree with networkx."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from scipy import sparse

from features.graph import clustering_coefficient, core_number, pagerank
from features.graph.centrality import triangle_counts
from features.graph.edges import adjacency_pattern


def random_graph(seed: int, nodes: int = 120, ties: int = 360, isolated: int = 5) -> nx.Graph:
    rng = np.random.default_rng(seed)
    graph = nx.gnm_random_graph(nodes, ties, seed=seed)
    for u, v in graph.edges:
        graph[u][v]["weight"] = float(rng.integers(1, 30))
    graph.add_nodes_from(range(nodes, nodes + isolated))
    return graph


def as_csr(graph: nx.Graph) -> sparse.csr_array:
    return sparse.csr_array(nx.to_scipy_sparse_array(graph, nodelist=range(len(graph))))


def by_node(values: dict, size: int) -> np.ndarray:
    return np.array([values[i] for i in range(size)])


@pytest.mark.parametrize("seed", [0, 1])
def test_pagerank_matches_networkx_on_undirected_and_directed_graphs(seed: int) -> None:
    undirected = random_graph(seed)
    directed = nx.DiGraph(undirected)
    directed.remove_edges_from([(u, v) for u, v in list(directed.edges) if (u + v) % 3 == 0])
    for graph in (undirected, directed):
        size = len(graph)
        expected = by_node(nx.pagerank(graph, alpha=0.8, tol=1e-15, max_iter=10_000), size)
        result = pagerank(as_csr(graph), alpha=0.8, max_iter=1_000, tol=1e-14)
        np.testing.assert_allclose(result * size, expected * size, atol=1e-9, rtol=0)
        assert result.sum() == pytest.approx(1.0)


def test_pagerank_of_an_empty_graph_is_empty() -> None:
    assert pagerank(sparse.csr_array((0, 0))).size == 0


@pytest.mark.parametrize(
    "graph",
    [random_graph(2), random_graph(3, nodes=60, ties=500), nx.path_graph(9), nx.empty_graph(4)],
    ids=["sparse", "dense", "path", "no-edges"],
)
def test_core_number_and_clustering_match_networkx(graph: nx.Graph) -> None:
    size = len(graph)
    pattern = adjacency_pattern(as_csr(graph))
    np.testing.assert_array_equal(core_number(pattern), by_node(nx.core_number(graph), size))
    np.testing.assert_allclose(clustering_coefficient(pattern), by_node(nx.clustering(graph), size))


def test_triangle_counts_do_not_depend_on_the_chunk_size() -> None:
    graph = random_graph(4, nodes=50, ties=400)
    pattern = adjacency_pattern(as_csr(graph))
    expected = by_node(nx.triangles(graph), len(graph))
    for chunk in (1, 7, 10_000):
        np.testing.assert_array_equal(triangle_counts(pattern, chunk=chunk), expected)
