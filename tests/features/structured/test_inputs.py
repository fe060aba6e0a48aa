import numpy as np
import pandas as pd
import pytest

from features.structured._inputs import (
    customer_codes,
    customer_index,
    feature_frame,
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
