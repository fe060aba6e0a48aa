import numpy as np
import pandas as pd
import pytest

from features.core.inputs import (
    category_codes,
    customer_codes,
    customer_index,
    equal_mask,
    feature_frame,
    float_values,
    frame_columns,
    index_positions,
    months_back,
    stamp_values,
)
from features.structured.usage import FEATURES as USAGE_FEATURES


def test_customer_codes_of_selected_rows_with_numeric_and_null_ids():
    index = customer_index(["7", "9"])
    ids = pd.Series([9, None, 7, 8], dtype="Int64")
    assert customer_codes(ids, index).tolist() == [1, -1, 0, -1]
    assert customer_codes(ids, index, np.array([2, 0])).tolist() == [0, 1]


def test_customer_codes_of_string_dtype_ids():
    index = customer_index(["A", "B"])
    ids = pd.Series(["B", None, "A"], dtype="string")
    assert customer_codes(ids, index, np.array([0, 1, 2])).tolist() == [1, -1, 0]


def test_timezone_aware_stamps_are_rejected():
    stamps = pd.Series(pd.to_datetime(["2026-01-01"]).tz_localize("Asia/Shanghai"))
    with pytest.raises(TypeError):
        stamp_values(stamps)


def test_months_back_counts_whole_months_from_the_last_one():
    months = np.array(
        ["2026-03-01", "2026-03-31T23:00", "2026-02-10", "2025-12-01", "2025-11-30", "2026-04-01"],
        dtype="datetime64[ns]",
    )
    assert months_back(months, np.datetime64("2026-03", "M"), 4).tolist() == [0, 0, 1, 3, -1, -1]


def test_feature_frame_orders_columns_as_declared_and_drops_others():
    names = [spec.name for spec in USAGE_FEATURES]
    columns = {name: np.full(2, float(i)) for i, name in enumerate(reversed(names))}
    frame = feature_frame(
        columns | {"unused": np.zeros(2)}, customer_index(["A", "B"]), USAGE_FEATURES
    )
    assert list(frame.columns) == names
    assert frame.index.name == "customer_id"
    assert frame[names[0]].tolist() == [float(len(names) - 1)] * 2


ODD_VALUES = np.array(
    ["A", None, np.nan, "C", "x", np.str_("B"), 1, 1.5, b"A", pd.NaT, "A"], dtype=object
)


@pytest.mark.parametrize(
    "index",
    [
        pd.Index(["A"]),
        pd.Index(["A", "B", "C"]),
        pd.Index(["A", np.nan]),
        pd.Index([1, 2]),
        pd.Index(["A", "B"], dtype="string"),
    ],
)
@pytest.mark.parametrize(
    "values",
    [
        ODD_VALUES,
        np.array([], dtype=object),
        np.array(["B", pd.NA], dtype=object),
        np.array(["A", "B"]),
        pd.array(["B", None], dtype="string"),
    ],
)
def test_index_positions_equal_get_indexer(index, values):
    assert index_positions(index, values).tolist() == index.get_indexer(values).tolist()
    assert index_positions(index, values).dtype == np.intp


@pytest.mark.parametrize(
    "series",
    [
        pd.Series(["inbound", None, np.nan, "outbound", "inbound"], dtype=object),
        pd.Series(["inbound", pd.NA, "inbound"], dtype=object),
        pd.Series(["inbound", "outbound", "outbound"], dtype="string"),
        pd.Series(["inbound", "outbound"], dtype="category"),
        pd.Series([1, 2]),
    ],
)
def test_equal_mask_equals_the_series_comparison(series):
    rows = np.array([0, len(series) - 1, 1])
    expected = (series == "inbound").fillna(False).to_numpy(dtype=bool)[rows]
    assert equal_mask(series, rows, "inbound").tolist() == expected.tolist()


@pytest.mark.parametrize(
    "series",
    [
        pd.Series(["hotline", None, "app", "fax", np.nan, "app"], dtype=object),
        pd.Series(["hotline", pd.NA, "app"], dtype=object),
        pd.Series(["app", None], dtype="string"),
        pd.Series(["app", "hotline"], dtype="category"),
        pd.Series([3, 1]),
    ],
)
def test_category_codes_equal_the_categorical_codes(series):
    categories = pd.Index(["hotline", "wechat", "app"])
    rows = np.arange(len(series))[::-1]
    expected = pd.Categorical(series.to_numpy()[rows], categories=categories).codes
    codes = category_codes(series, rows, categories)
    assert codes.tolist() == expected.tolist()
    assert codes.dtype == np.int64


def test_float_values_of_integer_and_boolean_columns():
    for series in (pd.Series([3, -1, 2**53 + 1]), pd.Series([True, False, True])):
        expected = series.to_numpy(dtype=np.float64, na_value=np.nan)[[2, 0]]
        assert float_values(series, np.array([2, 0])).tolist() == expected.tolist()


def _mixed_frame(rows: int) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "big": np.arange(rows, dtype=np.int64) + 2**62 + 1,
            "share": np.linspace(0.1, 0.9, rows),
            "flag": np.arange(rows) % 2 == 0,
            "plan": pd.Categorical(["a", None] * (rows // 2) + ["a"] * (rows % 2), ["a", "b"]),
            "name": ["x"] * rows,
            "ts": pd.Timestamp("2026-01-01 00:00:00.000000001") + pd.to_timedelta(range(rows)),
            "unsigned": np.full(rows, 2**64 - 1, dtype=np.uint64),
            "small": np.full(rows, 0.1, dtype=np.float32),
            "count": pd.array(range(rows), dtype="Int64"),
        }
    )
    return frame


@pytest.mark.parametrize("rows", [1, 3, 40])
@pytest.mark.parametrize("names", [None, ["big", "share"], ["share", "big", "unsigned"]])
def test_frame_columns_are_exact_fresh_copies(rows, names):
    frame = _mixed_frame(rows)
    frame = frame if names is None else frame[names]
    names = list(frame.columns)
    picks = [None, np.array([rows - 1, 0])]
    for picked in picks:
        columns = frame_columns(frame, names[::-1], picked)
        assert list(columns) == names[::-1]
        expected = frame if picked is None else frame.iloc[picked]
        for name in names:
            pd.testing.assert_series_equal(
                pd.Series(columns[name], index=expected.index, name=name),
                expected[name],
                check_exact=True,
            )
            if isinstance(columns[name], np.ndarray):
                assert not np.shares_memory(columns[name], frame[name].to_numpy())
