"""End-to-end graph features on the hand-made graph, point in time, edge cases, determinism."""

from __future__ import annotations

import logging

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from features.graph import FEATURES, GraphFeatureConfig, graph_features
from features.graph.edges import EDGE_COLUMNS
from tests.features.graph.hand_graph import (
    AS_OF,
    CUSTOMERS,
    hand_customers,
    hand_edges,
    hand_flags,
)

EXPECTED = pd.DataFrame(
    {
        "g_degree": [4, 3, 3, 4, 4, 3, 3, 3, 1, 0],
        "g_weighted_degree": [45, 35, 15, 16, 13, 12, 12, 12, 10, 0],
        "g_core_number": [3, 3, 3, 3, 3, 3, 3, 3, 1, 0],
        "g_community_size": [5, 5, 5, 5, 4, 4, 4, 4, 5, 1],
        "g_community_complaint_rate": [
            2 / 4,
            1 / 4,
            1 / 4,
            2 / 4,
            1 / 3,
            0,
            1 / 3,
            1 / 3,
            2 / 4,
            0,
        ],
        "g_neighbor_complaint_share": [1 / 2, 1 / 3, 1 / 3, 1 / 2, 1 / 4, 0, 1 / 3, 1 / 3, 0, 0],
        "g_neighbor_complaint_share_weighted": [
            30 / 45,
            5 / 35,
            5 / 15,
            10 / 16,
            4 / 13,
            0,
            4 / 12,
            4 / 12,
            0,
            0,
        ],
        "g_neighbor_escalation_share": [1 / 4, 1 / 3, 0, 1 / 4, 0, 0, 0, 0, 0, 0],
        "g_neighbor_escalation_share_weighted": [5 / 45, 5 / 35, 0, 5 / 16, 0, 0, 0, 0, 0, 0],
        "g_family_plan_members": [2, 1, 0, 0, 0, 0, 0, 0, 1, 0],
        "g_follow_in_degree": [3, 0, 0, 0, 1, 0, 0, 0, 0, 0],
    },
    index=pd.Index(CUSTOMERS, name="customer_id"),
)
HAND_TIES = [
    ("c0", "c1", 25), ("c0", "c2", 5), ("c0", "c3", 5), ("c1", "c2", 5), ("c1", "c3", 5),
    ("c2", "c3", 5), ("c0", "c8", 10), ("c3", "c4", 1), ("c4", "c5", 4), ("c4", "c6", 4),
    ("c4", "c7", 4), ("c5", "c6", 4), ("c5", "c7", 4), ("c6", "c7", 4),
]  # fmt: skip


def hand_nx_graph() -> nx.Graph:
    graph = nx.Graph()
    graph.add_nodes_from(CUSTOMERS)
    graph.add_weighted_edges_from(HAND_TIES)
    return graph


def features(edges: pd.DataFrame | None = None, **config: object) -> pd.DataFrame:
    edges = hand_edges() if edges is None else edges
    return graph_features(
        edges, hand_customers(), hand_flags(), AS_OF, GraphFeatureConfig(**config)
    )


@pytest.mark.parametrize("method", ["label_propagation", "louvain"])
def test_hand_made_graph_matches_hand_computed_values(method: str) -> None:
    result = features(community_method=method)
    for column in EXPECTED:
        np.testing.assert_allclose(result[column], EXPECTED[column], err_msg=column)


@pytest.mark.parametrize("seed", range(5))
def test_communities_are_the_two_groups_for_any_seed(seed: int) -> None:
    result = features(seed=seed)
    assert result["g_community_size"].tolist() == EXPECTED["g_community_size"].tolist()


def test_pagerank_equals_networkx_scaled_to_mean_one() -> None:
    reference = nx.pagerank(hand_nx_graph(), alpha=0.85, tol=1e-15, max_iter=10_000)
    expected = np.array([reference[c] for c in CUSTOMERS]) * len(CUSTOMERS)
    result = features(pagerank_iterations=200)
    np.testing.assert_allclose(result["g_pagerank"], expected, atol=1e-6, rtol=0)
    assert result["g_pagerank"].mean() == pytest.approx(1.0)


def test_default_pagerank_iterations_are_close_to_networkx() -> None:
    reference = nx.pagerank(hand_nx_graph(), tol=1e-15, max_iter=10_000)
    expected = np.array([reference[c] for c in CUSTOMERS]) * len(CUSTOMERS)
    np.testing.assert_allclose(features()["g_pagerank"], expected, atol=1e-5, rtol=0)


def test_clustering_equals_networkx() -> None:
    reference = nx.clustering(hand_nx_graph())
    expected = [reference[c] for c in CUSTOMERS]
    np.testing.assert_allclose(features()["g_clustering"], expected)


def test_output_has_every_declared_column_for_every_customer_in_order() -> None:
    ids = pd.Series(list(reversed(CUSTOMERS)))
    result = graph_features(hand_edges(), ids, hand_flags(), AS_OF)
    assert result.index.tolist() == ids.tolist()
    assert result.index.name == "customer_id"
    assert result.columns.tolist() == [spec.name for spec in FEATURES]
    for spec in FEATURES:
        kind = "i" if spec.dtype == "int" else "f"
        assert result[spec.name].dtype.kind == kind, spec.name
    pd.testing.assert_frame_equal(result.loc[CUSTOMERS], features())


def _random_edges(rng: np.random.Generator, customers: list[str], rows: int) -> pd.DataFrame:
    months = pd.to_datetime(["2025-10-01", "2025-11-01", "2025-12-01", "2026-01-01",
                             "2026-02-01", "2026-03-01", "2026-04-01"])  # fmt: skip
    return pd.DataFrame(
        {
            "src": rng.choice(customers, rows),
            "dst": rng.choice(customers, rows),
            "kind": rng.choice(["call", "sms", "family_plan", "follow"], rows),
            "weight": rng.integers(1, 20, rows).astype(float),
            "month": months[rng.integers(0, len(months), rows)],
        }
    )


def _random_world(seed: int) -> tuple[list[str], pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    customers = [f"u{i:03d}" for i in range(80)]
    flags = pd.DataFrame(
        {
            "customer_id": customers,
            "complained_30d": rng.random(80) < 0.3,
            "escalated_30d": rng.random(80) < 0.1,
        }
    )
    return customers, _random_edges(rng, customers, 600), flags


def test_rows_of_months_not_ended_never_change_any_feature() -> None:
    customers, edges, flags = _random_world(1)
    unfinished = edges["month"] + pd.offsets.MonthBegin(1) > AS_OF + pd.Timedelta(days=1)
    assert unfinished.sum() > 100
    baseline = graph_features(edges, customers, flags, AS_OF)

    deleted = graph_features(edges.loc[~unfinished], customers, flags, AS_OF)
    pd.testing.assert_frame_equal(deleted, baseline)

    scrambled = edges.copy()
    noise = _random_edges(np.random.default_rng(99), customers, int(unfinished.sum()))
    for column in ["src", "dst", "kind", "weight"]:
        scrambled.loc[unfinished, column] = noise[column].to_numpy()
    pd.testing.assert_frame_equal(graph_features(scrambled, customers, flags, AS_OF), baseline)


def test_flags_only_enter_through_contact_flags() -> None:
    customers, edges, flags = _random_world(2)
    baseline = graph_features(edges, customers, flags, AS_OF)
    flipped = flags.assign(complained_30d=~flags["complained_30d"])
    changed = graph_features(edges, customers, flipped, AS_OF)
    assert not np.allclose(
        changed["g_neighbor_complaint_share"], baseline["g_neighbor_complaint_share"]
    )
    structural = ["g_degree", "g_weighted_degree", "g_pagerank", "g_core_number", "g_clustering"]
    pd.testing.assert_frame_equal(changed[structural], baseline[structural])


def test_same_seed_gives_same_features_whatever_the_row_order() -> None:
    customers, edges, flags = _random_world(3)
    first = graph_features(edges, customers, flags, AS_OF, GraphFeatureConfig(seed=7))
    again = graph_features(edges, customers, flags, AS_OF, GraphFeatureConfig(seed=7))
    shuffled = edges.sample(frac=1.0, random_state=5)
    reordered = graph_features(shuffled, customers, flags, AS_OF, GraphFeatureConfig(seed=7))
    pd.testing.assert_frame_equal(first, again)
    pd.testing.assert_frame_equal(first, reordered)


def test_empty_edge_table_gives_isolated_customers() -> None:
    empty = pd.DataFrame(columns=EDGE_COLUMNS)
    result = graph_features(empty, hand_customers(), hand_flags(), AS_OF)
    assert len(result) == len(CUSTOMERS)
    assert (result["g_pagerank"] == 1.0).all()
    assert (result["g_community_size"] == 1).all()
    others = result.drop(columns=["g_pagerank", "g_community_size"])
    assert (others == 0).all().all()


def test_empty_customer_base_gives_empty_table() -> None:
    result = graph_features(hand_edges(), pd.Index([]), hand_flags(), AS_OF)
    assert result.empty
    assert result.columns.tolist() == [spec.name for spec in FEATURES]


def test_ignored_rows_are_counted_in_warnings(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="features.graph"):
        features()
    messages = " | ".join(record.getMessage() for record in caplog.records)
    assert "ignored 1 row(s) with customer ids outside customer_ids" in messages
    assert "ignored 1 row(s) that are self-loops" in messages
    assert "ignored 2 row(s) duplicating" in messages
    assert "x_unknown" not in messages


def test_duplicate_customer_ids_are_rejected() -> None:
    with pytest.raises(ValueError, match="unique"):
        graph_features(hand_edges(), ["c0", "c0"], hand_flags(), AS_OF)


@pytest.mark.parametrize(
    ("frame", "column"),
    [
        (hand_edges().drop(columns="kind"), "kind"),
        (hand_flags().drop(columns="escalated_30d"), "escalated_30d"),
    ],
)
def test_missing_columns_are_named(frame: pd.DataFrame, column: str) -> None:
    edges = frame if "src" in frame else hand_edges()
    flags = frame if "src" not in frame else hand_flags()
    with pytest.raises(ValueError, match=column):
        graph_features(edges, hand_customers(), flags, AS_OF)


def test_every_feature_has_bilingual_text_and_renders_a_reason() -> None:
    names = [spec.name for spec in FEATURES]
    assert len(names) == len(set(names))
    for spec in FEATURES:
        assert spec.name.startswith("g_") and spec.family == "graph"
        assert spec.description_en and spec.description_zh and spec.reason_en and spec.reason_zh
        assert "{" not in spec.reason(0.25, "zh") and "{" not in spec.reason(3.0, "en")
    share = next(spec for spec in FEATURES if spec.name == "g_neighbor_complaint_share")
    assert share.reason(0.25) == "近30天25%的联系人曾投诉"


def test_missing_or_null_flags_count_as_not_complained() -> None:
    flags = pd.DataFrame(
        {
            "customer_id": ["c1", "c2", "c5"],
            "complained_30d": pd.array([True, pd.NA, True], dtype="boolean"),
            "escalated_30d": [None, True, None],
        }
    )
    result = graph_features(hand_edges(), hand_customers(), flags, AS_OF)
    np.testing.assert_allclose(
        result["g_neighbor_complaint_share"], [1 / 4, 0, 1 / 3, 1 / 4, 1 / 4, 0, 1 / 3, 1 / 3, 0, 0]
    )
    np.testing.assert_allclose(
        result["g_neighbor_escalation_share"], EXPECTED["g_neighbor_escalation_share"]
    )


def test_arrow_backed_tables_give_the_same_features() -> None:
    arrow = {"src": "string[pyarrow]", "dst": "string[pyarrow]", "kind": "string[pyarrow]"}
    edges = hand_edges().astype(arrow)
    flags = hand_flags().astype({"customer_id": "string[pyarrow]"})
    ids = hand_customers().astype("string[pyarrow]")
    result = graph_features(edges, ids, flags, AS_OF)
    pd.testing.assert_frame_equal(result, features(), check_index_type=False)


def test_config_rejects_unknown_and_out_of_range_settings() -> None:
    with pytest.raises(ValidationError):
        GraphFeatureConfig(lookback=3)
    with pytest.raises(ValidationError):
        GraphFeatureConfig(pagerank_alpha=1.0)
