"""Customer buckets: a pinned, platform-independent hash; rows follow their customer."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pipelines.buckets import (
    bucket_codes,
    bucket_of,
    bucket_rows,
    suggested_buckets,
    table_buckets,
)

PINNED = {"C0000001": (1, 969), "C0000002": (0, 688), "客户42": (5, 501), "": (5, 805)}


def test_buckets_of_some_ids_are_pinned():
    for key, (of_8, of_1024) in PINNED.items():
        assert bucket_of(key, 8) == of_8 and bucket_of(key, 1024) == of_1024
    ids = pd.Series(list(PINNED))
    assert bucket_codes(ids, 8).tolist() == [of_8 for of_8, _ in PINNED.values()]
    assert bucket_codes(ids, 1024).tolist() == [of_1024 for _, of_1024 in PINNED.values()]


@pytest.mark.parametrize("dtype", [object, "string[pyarrow]"])
def test_vectorized_codes_equal_the_reference_for_any_length(dtype):
    ids = pd.Series(["C1", "客户42", "", "x" * 40, "abc", "C0000017"] * 5, dtype=dtype).iloc[2:]
    expected = [bucket_of(key, 97) for key in ids]
    assert bucket_codes(ids, 97).tolist() == expected
    assert bucket_codes(ids.to_numpy(dtype=object), 97).tolist() == expected


def test_missing_ids_and_bad_counts_are_refused():
    with pytest.raises(ValueError, match="1 missing ids"):
        bucket_codes(pd.Series(["C1", None]), 8)
    with pytest.raises(ValueError, match="buckets"):
        bucket_codes(pd.Series(["C1"]), 0)


def test_buckets_are_balanced_and_suggested_by_size():
    codes = bucket_codes(pd.Series([f"C{i:07d}" for i in range(80_000)]), 8)
    assert np.bincount(codes).min() > 9_000
    assert [suggested_buckets(n) for n in (1_500, 1_000_000, 10_000_000)] == [8, 8, 128]


def test_bucket_rows_keep_the_original_order():
    rows = bucket_rows(np.array([2, 0, 2, 1, 0], dtype=np.int32), 4)
    assert [part.tolist() for part in rows] == [[1, 4], [3], [0, 2], []]


def test_rows_reached_through_a_bound_account_go_to_the_owners_bucket():
    customers = pd.DataFrame({"customer_id": ["C1", "C2"], "msisdn": ["13800000001", "138"]})
    accounts = pd.DataFrame(
        {
            "account_id": ["wb_bound", "wb_free"],
            "platform": "weibo",
            "followers": [10, 20],
            "bound_msisdn": ["13800000001", None],
        }
    )
    contacts = pd.DataFrame(
        {
            "contact_id": ["K1", "K2", "K3"],
            "customer_id": [None, "C2", None],
            "social_account_id": ["wb_bound", "wb_bound", None],
        }
    )
    posts = pd.DataFrame({"post_id": ["P1", "P2"], "account_id": ["wb_bound", "wb_free"]})
    tables = {
        "customers": customers,
        "social_accounts": accounts,
        "contacts": contacts,
        "social_posts": posts,
    }
    codes = table_buckets(tables, 64)
    c1, c2 = bucket_of("C1", 64), bucket_of("C2", 64)
    assert codes["social_accounts"].tolist() == [c1, bucket_of("wb_free", 64)]
    assert codes["contacts"].tolist() == [c1, c2, bucket_of("K3", 64)]
    assert codes["social_posts"].tolist() == [c1, bucket_of("wb_free", 64)]
