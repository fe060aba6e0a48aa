"""Settings of the social-graph (SNA) feature family."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class GraphFeatureConfig(BaseModel):
    """How the contact graph is built and which algorithms run on it.

    Attributes:
        lookback_months: Edges of the months that ended within this many months before
            ``as_of`` are used (3 means the last three complete months).
        family_plan_weight: Tie strength one family-plan month adds, in units of calls/SMS,
            so that family members count as strong ties.
        pagerank_alpha: PageRank damping factor.
        pagerank_iterations: Maximum number of sparse power iterations.
        pagerank_tol: The iteration stops early once the L1 change of the probability vector
            falls below this value.
        community_method: ``label_propagation`` (sparse, weighted, scales to millions of
            customers) or ``louvain`` (networkx; slower, for graphs up to a few 100k customers).
            Both weigh a tie by ``log1p`` of its strength.
        community_max_iter: Maximum rounds of label propagation.
        community_update_share: Share of customers that adopt their best label in each round;
            below 1 it breaks the oscillations of fully synchronous label propagation.
        louvain_resolution: Resolution of the Louvain modularity (higher gives smaller
            communities).
        seed: Seed of every random choice (community tie-breaking and update order).
    """

    model_config = ConfigDict(extra="forbid")

    lookback_months: int = Field(3, ge=1, le=120)
    family_plan_weight: float = Field(10.0, gt=0)
    pagerank_alpha: float = Field(0.85, gt=0, lt=1)
    pagerank_iterations: int = Field(50, ge=1)
    pagerank_tol: float = Field(1e-10, ge=0)
    community_method: Literal["label_propagation", "louvain"] = "label_propagation"
    community_max_iter: int = Field(30, ge=1)
    community_update_share: float = Field(0.8, gt=0, le=1)
    louvain_resolution: float = Field(1.0, gt=0)
    seed: int = 0
