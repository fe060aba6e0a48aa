"""Point-in-time window, cleaning and sparse matrices built from the edges table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from features.graph import build_graph, clean_edges
from features.graph.edges import KINDS, customer_index, lookup_positions, window_mask
from tests.features.graph.hand_graph import edge_frame

MONTHS = pd.Series(pd.to_datetime(["2025-11-01", "2025-12-01", "2026-01-01", "2026-02-01"]))


@pytest.mark.parametrize(
    ("as_of", "lookback", "expected"),
    [
        ("2026-03-15", 3, [False, True, True, True]),
        ("2026-03-15", 4, [True, True, True, True]),
        ("2026-02-28", 3, [False, True, True, True]),
        ("2026-02-27", 3, [True, True, True, False]),
        ("2026-02-28", 1, [False, False, False, True]),
        ("2025-11-29", 3, [False, False, False, False]),
    ],
)
def test_window_uses_complete_months_within_the_lookback(
    as_of: str, lookback: int, expected: list[bool]
) -> None:
    assert window_mask(MONTHS, as_of, lookback).tolist() == expected


def test_window_ignores_missing_months() -> None:
    months = pd.Series(pd.to_datetime(["2026-01-01", None]))
    assert window_mask(months, "2026-03-15", 3).tolist() == [True, False]


def _clean(rows: list[tuple], ids: list[str]) -> tuple:
    index = customer_index(ids)
    cleaned = clean_edges(edge_frame(rows), index, "2026-03-15", 3)
    return cleaned, build_graph(cleaned, len(index), family_plan_weight=10.0)


def test_duplicates_keep_the_largest_weight_and_directions_of_calls_add_up() -> None:
    rows = [
        ("a", "b", "call", 2, "2026-01"),
        ("a", "b", "call", 5, "2026-01"),
        ("b", "a", "call", 1, "2026-01"),
        ("a", "b", "call", 4, "2026-02"),
    ]
    cleaned, graph = _clean(rows, ["a", "b"])
    assert len(cleaned.src) == 3
    assert graph.contact[[0], [1]][0] == 5 + 1 + 4
    assert graph.contact[[1], [0]][0] == 10


def test_family_plan_listed_both_ways_is_one_strong_tie() -> None:
    rows = [("a", "b", "family_plan", 1, "2026-01"), ("b", "a", "family_plan", 1, "2026-01")]
    _, graph = _clean(rows, ["a", "b", "c"])
    assert graph.contact[[0], [1]][0] == 10
    assert np.diff(graph.family.indptr).tolist() == [1, 1, 0]


def test_bad_rows_are_dropped() -> None:
    rows = [
        ("a", "b", "call", 0, "2026-01"),
        ("a", "b", "call", -3, "2026-01"),
        ("a", "b", "email", 3, "2026-01"),
        ("a", "a", "sms", 3, "2026-01"),
        ("a", "zz", "sms", 3, "2026-01"),
        ("b", "c", "sms", 2, "2026-01"),
    ]
    cleaned, graph = _clean(rows, ["a", "b", "c"])
    assert (cleaned.src.tolist(), cleaned.dst.tolist()) == ([1], [2])
    assert graph.contact.nnz == 2


def test_follow_edges_are_directed_and_counted_once() -> None:
    rows = [
        ("a", "c", "follow", 1, "2026-01"),
        ("a", "c", "follow", 1, "2026-02"),
        ("b", "c", "follow", 1, "2026-02"),
        ("c", "a", "follow", 1, "2026-02"),
    ]
    _, graph = _clean(rows, ["a", "b", "c"])
    assert np.bincount(graph.follow.indices, minlength=3).tolist() == [1, 0, 2]
    assert graph.contact.nnz == 0


def test_categorical_arrow_and_numeric_ids_are_encoded_like_strings() -> None:
    rows = [("1", "2", "call", 3, "2026-01"), ("2", "3", "sms", 1, "2026-02")]
    frame = edge_frame(rows)
    categorical = frame.assign(src=frame["src"].astype("category"))
    arrow = frame.astype({"src": "string[pyarrow]", "dst": "large_string[pyarrow]"})
    arrow["kind"] = arrow["kind"].astype("string[pyarrow]")
    numeric = frame.assign(src=frame["src"].astype(int), dst=frame["dst"].astype(int))
    index = customer_index(pd.Index([1, 2, 3]))
    expected = clean_edges(frame, index, "2026-03-15", 3)
    for variant in (categorical, arrow, numeric):
        result = clean_edges(variant, index, "2026-03-15", 3)
        assert result.src.tolist() == expected.src.tolist() == [0, 1]
        assert result.dst.tolist() == expected.dst.tolist() == [1, 2]
    assert expected.kind.tolist() == [KINDS.index("call"), KINDS.index("sms")]


@pytest.mark.parametrize("dtype", [object, "string[pyarrow]", "category"])
def test_lookup_marks_unknown_and_missing_ids(dtype: object) -> None:
    values = pd.Series(["b", "zz", None, "a"], dtype=dtype)
    keys = customer_index(pd.Index(["a", "b", "c"]))
    assert lookup_positions(values, keys).tolist() == [1, -1, -1, 0]
