"""Social-graph (SNA) features: influence, contagion of complaints, communities, family plans."""

from features.graph.centrality import clustering_coefficient, core_number, pagerank
from features.graph.communities import community_stats, label_propagation, louvain
from features.graph.compute import graph_features, neighbour_share
from features.graph.config import GraphFeatureConfig
from features.graph.edges import SocialGraph, build_graph, clean_edges
from features.graph.spec import FEATURES

__all__ = [
    "FEATURES",
    "GraphFeatureConfig",
    "SocialGraph",
    "build_graph",
    "clean_edges",
    "clustering_coefficient",
    "community_stats",
    "core_number",
    "graph_features",
    "label_propagation",
    "louvain",
    "neighbour_share",
    "pagerank",
]
