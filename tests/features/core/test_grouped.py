"""Per-customer reductions on customer codes."""

from __future__ import annotations

import numpy as np

from features.core.grouped import group_count, group_max, group_sum


def test_sums_are_float_even_when_nothing_is_summed():
    """One customer online without rows must get the batch dtype (float), not int64."""
    empty = group_sum(np.array([], dtype=np.int64), np.array([], dtype=np.float64), 2)
    assert empty.dtype == np.float64
    np.testing.assert_array_equal(empty, [0.0, 0.0])


def test_sums_skip_nan_and_masked_rows():
    codes = np.array([0, 0, 1, 1])
    values = np.array([1.5, np.nan, 2.0, 4.0])
    np.testing.assert_array_equal(group_sum(codes, values, 3), [1.5, 6.0, 0.0])
    mask = np.array([True, True, False, True])
    np.testing.assert_array_equal(group_sum(codes, values, 3, mask), [1.5, 4.0, 0.0])
    np.testing.assert_array_equal(group_count(codes, 3, mask), [2, 1, 0])


def test_max_fills_customers_without_values():
    codes = np.array([1, 1])
    result = group_max(codes, np.array([3.0, 7.0]), 2, fill=-1.0)
    np.testing.assert_array_equal(result, [-1.0, 7.0])
