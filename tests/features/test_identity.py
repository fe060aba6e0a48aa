"""Identity: contacts and posts attributed through bound social accounts, no future reposts."""

from __future__ import annotations

import pandas as pd
import pytest

from features.identity import (
    account_owners,
    identity_columns,
    identity_features,
    resolve_contacts,
    resolve_posts,
)
from tests.pipelines.contract_tables import tiny_tables


def _resolved():
    tables = tiny_tables()
    tables["social_accounts"].loc[1, "bound_msisdn"] = "13800000002"
    owners = account_owners(tables["customers"], tables["social_accounts"])
    contacts = resolve_contacts(tables["contacts"], owners)
    posts = resolve_posts(tables["social_posts"], owners)
    return tables, owners, contacts, posts


def test_bound_accounts_map_to_customers():
    _, owners, contacts, posts = _resolved()
    assert dict(zip(owners["account_id"], owners["customer_id"], strict=True)) == {
        "A1": "C3",
        "A2": "C2",
    }
    assert contacts.loc[2, "customer_id"] == "C2"
    assert contacts["resolved_via_social"].tolist() == [False, False, True]
    assert posts.loc[0, "customer_id"] == "C2"


def test_unbound_accounts_stay_anonymous():
    tables = tiny_tables()
    owners = account_owners(tables["customers"], tables["social_accounts"])
    contacts = resolve_contacts(tables["contacts"], owners)
    assert pd.isna(contacts.loc[2, "customer_id"])
    assert not contacts.loc[2, "resolved_via_social"]


def test_identity_features_values():
    tables, owners, contacts, posts = _resolved()
    ids = pd.Index(tables["customers"]["customer_id"])
    features = identity_features(contacts, posts, owners, ids, "2026-02-28")
    assert features.loc["C2", "id_social_accounts"] == 1
    assert features.loc["C2", "id_followers"] == 5300
    assert features.loc["C2", "id_social_contacts_30d"] == 1
    assert features.loc["C2", "id_brand_posts_30d"] == 1
    assert features.loc["C2", "id_brand_post_reposts_90d"] == 230
    assert features.loc["C1"].sum() == 0


def test_reposts_of_fresh_posts_are_not_used():
    tables, owners, contacts, posts = _resolved()
    ids = pd.Index(tables["customers"]["customer_id"])
    day_after_post = identity_features(contacts, posts, owners, ids, "2026-02-12")
    assert day_after_post.loc["C2", "id_brand_posts_30d"] == 1
    assert day_after_post.loc["C2", "id_brand_post_reposts_90d"] == 0


def test_rows_after_as_of_change_nothing():
    tables, owners, contacts, posts = _resolved()
    ids = pd.Index(tables["customers"]["customer_id"])
    before = identity_features(contacts, posts, owners, ids, "2026-02-10")
    later_posts = posts.assign(reposts=posts["reposts"] * 100)
    after = identity_features(contacts.iloc[:1], later_posts, owners, ids, "2026-02-10")
    pd.testing.assert_frame_equal(before, after)


def _social_world():
    """Five customers; C1 has two bound accounts, A9 is unbound.

    Snapshot 2026-03-31: posts before 2026-03-30 00:00 are settled; A1's post of 2026-03-30 is
    fresh, A4's of 2026-04-01 is in the future, A3's is older than 90 days.
    """
    ts = pd.Timestamp
    customers = pd.DataFrame(
        {
            "customer_id": ["C1", "C2", "C3", "C4", "C5"],
            "msisdn": [f"1380000000{i}" for i in range(1, 6)],
        }
    )
    social_accounts = pd.DataFrame(
        {
            "account_id": ["A1", "A2", "A3", "A4", "A9"],
            "platform": ["weibo", "douyin", "weibo", "wechat", "weibo"],
            "followers": [120, 5300, 0, 88, 99999],
            "bound_msisdn": ["13800000001", "13800000001", "13800000003", "13800000004", None],
            "nickname": ["甲", "乙", "丙", "丁", "戊"],
        }
    )
    contacts = pd.DataFrame(
        {
            "contact_id": ["K1", "K2", "K3", "K4", "K5", "K6"],
            "customer_id": [None, None, "C2", None, None, None],
            "ts": [
                ts("2026-03-02 00:00"),
                ts("2026-03-01 23:59"),
                ts("2026-03-20 10:00"),
                ts("2026-03-31 23:59"),
                ts("2026-03-25 08:00"),
                ts("2026-04-01 00:00"),
            ],
            "social_account_id": ["A1", "A2", None, "A4", "A9", "A4"],
        }
    )
    posts = pd.DataFrame(
        {
            "post_id": [f"P{i}" for i in range(1, 9)],
            "account_id": ["A1", "A1", "A2", "A2", "A3", "A4", "A9", "A4"],
            "ts": [
                ts("2026-03-30 09:00"),
                ts("2026-03-29 23:59"),
                ts("2026-02-10 12:00"),
                ts("2026-03-15 12:00"),
                ts("2025-11-01 12:00"),
                ts("2026-04-01 00:00"),
                ts("2026-03-20 12:00"),
                ts("2026-03-31 23:59"),
            ],
            "reposts": [40, 7, 300, 1000, 5, 9, 50, 3],
            "mentions_brand": [True, True, True, False, True, True, True, True],
        }
    )
    owners = account_owners(customers, social_accounts)
    return (
        pd.Index(customers["customer_id"]),
        resolve_contacts(contacts, owners),
        resolve_posts(posts, owners),
        owners,
    )


def _rows_of(frame: pd.DataFrame, customer_id: str) -> pd.DataFrame:
    return frame.loc[frame["customer_id"] == customer_id]


def test_settling_reposts_and_windows_on_bound_accounts():
    ids, contacts, posts, owners = _social_world()
    day = identity_features(contacts, posts, owners, ids, "2026-03-31")
    assert day.loc["C1"].to_dict() == {
        "id_social_accounts": 2,
        "id_followers": 5300,
        "id_social_contacts_30d": 1,
        "id_brand_posts_30d": 2,
        "id_brand_posts_90d": 3,
        "id_brand_post_reposts_90d": 307.0,
        "id_max_post_reposts_90d": 300.0,
    }
    assert day.loc["C4", ["id_social_contacts_30d", "id_brand_posts_30d"]].tolist() == [1, 1]
    assert day.loc["C4", "id_brand_post_reposts_90d"] == 0
    assert day.loc["C3", ["id_social_accounts", "id_followers", "id_brand_posts_90d"]].tolist() == [
        1,
        0,
        0,
    ]
    next_day = identity_features(contacts, posts, owners, ids, "2026-04-01")
    assert next_day.loc["C1", "id_brand_post_reposts_90d"] == 347.0
    assert next_day.loc["C1", "id_max_post_reposts_90d"] == 300.0
    assert next_day.loc["C4", "id_brand_posts_30d"] == 2


def test_one_customer_row_equals_its_batch_row():
    ids, contacts, posts, owners = _social_world()
    for as_of in [*pd.date_range("2026-03-28", "2026-04-02"), pd.Timestamp("2026-05-10")]:
        batch = identity_features(contacts, posts, owners, ids, as_of)
        for customer_id in ids:
            alone = identity_features(
                _rows_of(contacts, customer_id),
                _rows_of(posts, customer_id),
                _rows_of(owners, customer_id),
                pd.Index([customer_id]),
                as_of,
            )
            pd.testing.assert_frame_equal(alone, batch.loc[[customer_id]])


def test_declared_dtypes_hold_without_any_rows():
    ids, contacts, posts, owners = _social_world()
    batch = identity_features(contacts, posts, owners, ids, "2026-03-31")
    empty = identity_features(
        contacts.iloc[:0], posts.iloc[:0], owners.iloc[:0], pd.Index(["C5"]), "2026-03-31"
    )
    pd.testing.assert_frame_equal(empty, batch.loc[["C5"]])
    assert empty["id_brand_post_reposts_90d"].dtype == "float64"


def test_repeated_and_unknown_ids_get_their_rows():
    ids, contacts, posts, owners = _social_world()
    batch = identity_features(contacts, posts, owners, ids, "2026-03-31")
    asked = pd.Index(["C1", "nobody", "C1", "C4"])
    rows = identity_features(contacts, posts, owners, asked, "2026-03-31")
    assert rows.index.equals(asked)
    pd.testing.assert_frame_equal(rows.loc[["C1", "C4"]], batch.loc[["C1", "C1", "C4"]])
    assert (rows.loc["nobody"] == 0).all()


def test_columns_equal_the_frame_and_keep_the_follower_dtype_without_owners():
    ids, contacts, posts, owners = _social_world()
    owners = owners.astype({"followers": "Int64"})
    for kept in (owners, owners.iloc[:0]):
        frame = identity_features(contacts, posts, kept, ids, "2026-03-31")
        columns = identity_columns(contacts, posts, kept, frame.index, "2026-03-31")
        assert list(columns) == list(frame.columns)
        pd.testing.assert_frame_equal(
            pd.DataFrame(columns, index=frame.index), frame, check_exact=True
        )
        assert frame["id_followers"].dtype == "Int64"


def test_missing_columns_fail_even_without_rows_in_the_window():
    ids, contacts, posts, owners = _social_world()
    with pytest.raises(KeyError, match="resolved_via_social"):
        identity_features(
            contacts.drop(columns="resolved_via_social"), posts, owners, ids, "2030-01-01"
        )
    with pytest.raises(KeyError, match="reposts"):
        identity_features(contacts, posts.drop(columns="reposts"), owners, ids, "2030-01-01")
