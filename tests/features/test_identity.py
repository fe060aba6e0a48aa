"""Identity: contacts and posts attributed through bound social accounts, no future reposts."""

from __future__ import annotations

import pandas as pd

from features.identity import (
    account_owners,
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
