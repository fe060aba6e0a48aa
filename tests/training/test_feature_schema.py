"""Pinned categories and the float matrix the booster sees."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from training.feature_schema import FeatureSchema, FrameValues


def _frames():
    first = pd.DataFrame(
        {
            "plan": pd.Categorical(["a", "b", "a"]),
            "fee": [1.0, 2.5, np.nan],
            "vip": np.array([0, 1, 2], dtype=np.int64),
            "autopay": [True, False, True],
        }
    )
    second = first.assign(plan=pd.Categorical(["c", "a", "c"], categories=["c", "a"]))
    return first, second


def test_categories_are_the_sorted_union_seen_in_training():
    schema = FeatureSchema.from_frames(_frames(), ["plan", "fee", "vip", "autopay"])
    assert schema.categories == {"plan": ("a", "b", "c")}
    assert schema.categorical_indices == [0]
    assert schema.numeric_columns == ["fee", "vip", "autopay"]


def test_codes_follow_the_pinned_list_whatever_the_frame_category_order():
    first, second = _frames()
    schema = FeatureSchema.from_frames([first, second], ["plan", "fee", "vip", "autopay"])
    np.testing.assert_array_equal(schema.to_matrix(second)[:, 0], [2, 0, 2])
    as_text = second.assign(plan=["c", "a", "zz"])
    np.testing.assert_array_equal(schema.to_matrix(as_text)[:, 0], [2, 0, np.nan])


def test_declared_categoricals_stored_as_strings_are_pinned_too():
    frame = pd.DataFrame({"region": ["x", None, "y"], "n": [1, 2, 3]})
    schema = FeatureSchema.from_frames([frame], ["region", "n"], {"region": "category"})
    assert schema.categories["region"] == ("x", "y")
    np.testing.assert_array_equal(schema.to_matrix(frame)[:, 0], [0, np.nan, 1])


def test_numbers_and_booleans_become_float32():
    first, _ = _frames()
    schema = FeatureSchema.from_frames([first], ["fee", "vip", "autopay"])
    matrix = schema.to_matrix(first)
    assert matrix.dtype == np.float32
    np.testing.assert_array_equal(matrix[:, 2], [1, 0, 1])
    assert np.isnan(matrix[2, 0])


def test_check_names_non_numeric_data_in_numeric_columns():
    first, _ = _frames()
    schema = FeatureSchema.from_frames([first], ["plan", "fee"])
    with pytest.raises(ValueError, match="non-numeric data: 'fee'"):
        schema.check(first[["plan"]].assign(fee=["1", "2", "3"]))


def test_select_keeps_the_pinned_categories():
    schema = FeatureSchema.from_frames(_frames(), ["plan", "fee", "vip", "autopay"])
    sub = schema.select(["vip", "plan"])
    assert sub.columns == ("vip", "plan") and sub.categorical_indices == [1]
    assert sub.categories["plan"] == ("a", "b", "c")


def test_a_few_rows_get_exactly_the_rows_of_the_batch_matrix():
    """The real-time path (object array for a few rows) equals the block conversion."""
    rng = np.random.default_rng(0)
    n = 40
    frame = pd.DataFrame(
        {
            "region": pd.Categorical(rng.choice(["north", "south", "west", None], n)),
            "plan": rng.choice(np.array(["a", "b", "zz", None], dtype=object), n),
            "fee": np.where(rng.random(n) < 0.2, np.nan, rng.normal(50, 20, n)),
            "small": rng.normal(0, 1, n).astype(np.float32),
            "count": rng.integers(0, 9, n),
            "maybe": pd.array(np.where(rng.random(n) < 0.3, None, rng.integers(0, 5, n)), "Int64"),
            "flag": rng.random(n) < 0.5,
        }
    )
    training = frame.assign(plan=frame["plan"].where(frame["plan"] != "zz", "a"))
    schema = FeatureSchema.from_frames(
        [training], list(frame.columns), {"plan": "category", "region": "category"}
    )
    text = rng.random(n)
    batch = schema.select([*frame.columns]).to_matrix(frame)
    for row in range(n):
        alone = schema.to_matrix(frame.iloc[[row]])
        np.testing.assert_array_equal(alone, batch[[row]])
    few = frame.iloc[3:6]
    np.testing.assert_array_equal(schema.to_matrix(few), batch[3:6])
    assert np.isnan(schema.to_matrix(frame.loc[frame["plan"] == "zz"].head(1))[0, 1])
    extended = FeatureSchema.from_frames(
        [training.assign(score=text)], [*frame.columns, "score"], {"plan": "category"}
    )
    np.testing.assert_array_equal(
        extended.to_matrix(frame.iloc[[7]], {"score": text[[7]]}),
        extended.to_matrix(frame, {"score": text})[[7]],
    )


def test_converted_rows_read_like_the_frame():
    frame = pd.DataFrame(
        {
            "fee": [1.5, np.nan, -np.inf],
            "count": np.array([2**40 + 1, 0, -3], dtype=np.int64),
            "maybe": pd.array([1, None, 3], dtype="Int64"),
            "flag": [True, False, True],
            "plan": pd.Categorical(["a", None, "b"]),
        }
    )
    rows = FrameValues.of(frame)
    assert rows.unique_columns and rows.frame is frame
    for column in frame.columns:
        expected = frame[column].to_numpy(dtype=object)
        assert [type(v) for v in rows.column(column)] == [type(v) for v in expected]
        if column != "plan":
            np.testing.assert_array_equal(
                rows.floats(column), frame[column].to_numpy(dtype=float, na_value=np.nan)
            )
    assert rows.floats("plan") is None
    repeated = pd.concat([frame[["fee"]], frame[["fee"]]], axis=1)
    assert not FrameValues.of(repeated).unique_columns


@pytest.mark.filterwarnings("ignore:overflow encountered in cast:RuntimeWarning")
def test_few_rows_of_plain_numbers_convert_as_the_batch_does():
    """Values beyond float32 become infinities on both paths (numpy warns on both)."""
    rng = np.random.default_rng(1)
    n = 30
    frame = pd.DataFrame(
        {
            "big": rng.integers(2**24, 2**40, n),
            "fee": np.where(rng.random(n) < 0.3, np.nan, rng.normal(0, 1e6, n)),
            "edge": rng.choice([np.inf, -np.inf, 0.0, -0.0, 1e-40, 3.4e38, 1e39], n),
            "flag": rng.random(n) < 0.5,
        }
    )
    schema = FeatureSchema.from_frames([frame], list(frame.columns))
    batch = schema.to_matrix(frame)
    for start in range(0, n, 3):
        part = frame.iloc[start : start + 3]
        np.testing.assert_array_equal(schema.to_matrix(part), batch[start : start + 3])
        np.testing.assert_array_equal(
            schema.values_matrix(FrameValues.of(part)), batch[start : start + 3]
        )
