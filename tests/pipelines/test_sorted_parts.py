"""Parts sorted by key: one key's rows read back exactly, from the row groups that hold them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pipelines import sorted_parts
from pipelines.buckets import bucket_codes
from pipelines.sorted_parts import SortedPart, SortedParts, write_sorted


@pytest.fixture
def small_groups(monkeypatch):
    """Row groups of 4 rows, so that keys span several groups."""
    monkeypatch.setattr(sorted_parts, "ROW_GROUP_ROWS", 4)


def rows_frame(n: int = 60, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    keys = rng.choice([f"C{i:03d}" for i in range(12)], size=n).astype(object)
    keys[::17] = None
    return pd.DataFrame(
        {
            "customer_id": keys,
            "ts": pd.date_range("2026-01-01", periods=n, freq="h"),
            "amount": rng.normal(size=n),
            "text": [f"第{i}条" if i % 5 else None for i in range(n)],
            "flag": rng.random(n) > 0.5,
        }
    )


def test_each_key_reads_back_its_rows_in_written_order(tmp_path, small_groups):
    frame = rows_frame()
    part = SortedPart(write_sorted(frame, "customer_id", tmp_path / "p.parquet"), "customer_id")
    assert len(part._numbers) > 10
    for key in frame["customer_id"].dropna().unique():
        expected = frame.loc[frame["customer_id"] == key].reset_index(drop=True)
        pd.testing.assert_frame_equal(part.rows(key), expected)


def test_unknown_and_missing_keys_give_no_rows_with_the_columns(tmp_path, small_groups):
    frame = rows_frame()
    part = SortedPart(write_sorted(frame, "customer_id", tmp_path / "p.parquet"), "customer_id")
    for key in ("A000", "C005x", "ZZZ"):
        found = part.rows(key)
        assert found.empty
        assert found.dtypes.equals(frame.dtypes)
    assert sum(len(part.rows(k)) for k in frame["customer_id"].dropna().unique()) == int(
        frame["customer_id"].notna().sum()
    )


def test_several_keys_at_once(tmp_path, small_groups):
    frame = rows_frame()
    part = SortedPart(write_sorted(frame, "customer_id", tmp_path / "p.parquet"), "customer_id")
    found = part.rows_of(["C007", "C002", "nobody", "C007"])
    expected = frame.loc[frame["customer_id"].isin(["C002", "C007"])]
    expected = expected.sort_values("customer_id", kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(found, expected)


def test_an_empty_part_answers_with_no_rows(tmp_path):
    frame = rows_frame().iloc[:0]
    part = SortedPart(write_sorted(frame, "customer_id", tmp_path / "p.parquet"), "customer_id")
    assert part.rows("C001").empty and part.rows_of(["C001"]).empty


def test_bucketed_parts_find_a_key_in_its_bucket(tmp_path, small_groups):
    frame = rows_frame(200).dropna(subset=["customer_id"])
    codes = bucket_codes(frame["customer_id"].to_numpy(dtype=object), 3)
    paths = [
        write_sorted(frame.loc[codes == bucket], "customer_id", tmp_path / f"part-{bucket}.parquet")
        for bucket in range(3)
    ]
    parts = SortedParts(paths, "customer_id")
    for key in frame["customer_id"].unique():
        expected = frame.loc[frame["customer_id"] == key].reset_index(drop=True)
        pd.testing.assert_frame_equal(parts.rows(key), expected)
    many = parts.rows_of(["C001", "C010", "C004"])
    assert sorted(many["customer_id"].unique()) == ["C001", "C004", "C010"]
    assert len(many) == int(frame["customer_id"].isin(["C001", "C004", "C010"]).sum())


def test_a_part_without_the_key_column_is_refused(tmp_path):
    path = write_sorted(rows_frame(), "customer_id", tmp_path / "p.parquet")
    with pytest.raises(ValueError, match="no column 'account_id'"):
        SortedPart(path, "account_id")
