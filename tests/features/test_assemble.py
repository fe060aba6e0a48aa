"""Assembly: snapshot customers, one customer online equals the batch, text defaults, order,
and the frame equals the family frames joined, bit for bit."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from features import assemble
from features.assemble import (
    FeatureConfig,
    compute_graph_features,
    customer_features,
    resolve_tables,
    snapshot_customers,
)
from features.catalog import absent_columns, all_features
from features.identity import identity_features
from features.structured import contact_free_features, structured_features
from features.text import TEXT_DEFAULTS, text_features
from tests.features.structured.tables import random_world
from tests.pipelines.contract_tables import tiny_tables

DATES = ["2025-12-19", "2025-12-20", "2026-02-11", "2026-02-28", "2026-03-31"]


@pytest.fixture(scope="module")
def tables():
    raw = tiny_tables()
    raw["social_accounts"].loc[1, "bound_msisdn"] = "13800000002"
    return resolve_tables(raw)


def test_customers_open_by_the_end_of_the_day(tables):
    assert snapshot_customers(tables.customers, "2025-12-19").tolist() == ["C1", "C2"]
    assert snapshot_customers(tables.customers, "2025-12-20").tolist() == ["C1", "C2", "C3"]
    before = customer_features(tables, "2025-12-19")
    assert before.index.tolist() == ["C1", "C2"]
    assert customer_features(tables.for_customers(pd.Index(["C3"])), "2025-12-19").empty


def _assert_same_rows(online: pd.DataFrame, batch: pd.DataFrame) -> None:
    """Equal values, index and dtypes (a customer without rows of a kind keeps float sums)."""
    pd.testing.assert_frame_equal(online, batch)


@pytest.mark.parametrize("as_of", DATES)
def test_each_customer_alone_gets_its_batch_row(tables, as_of):
    batch = customer_features(tables, as_of)
    graph = compute_graph_features(tables, as_of, FeatureConfig())
    for customer_id in batch.index:
        alone = customer_features(tables.for_customers(pd.Index([customer_id])), as_of, graph=graph)
        _assert_same_rows(alone, batch.loc[[customer_id]])
    some = customer_features(tables.for_customers(pd.Index(["C3", "C1"])), as_of, graph=graph)
    _assert_same_rows(some, batch.loc[some.index])


def test_customers_without_texts_get_the_text_defaults(tables):
    frame = customer_features(tables, "2026-02-28")
    text_columns = list(TEXT_DEFAULTS)
    assert (frame.loc["C1", text_columns] == pd.Series(TEXT_DEFAULTS)).all()
    assert frame.loc["C3", "txt_n_texts_30d"] > 0
    assert (frame[text_columns].dtypes == "float64").all()


def test_one_row_per_customer_with_columns_in_family_order(tables):
    frame = customer_features(tables, "2026-02-28")
    assert frame.index.name == "customer_id"
    assert frame.index.tolist() == ["C1", "C2", "C3"]
    assert frame.columns.tolist() == [spec.name for spec in all_features()]


@pytest.mark.parametrize("as_of", DATES)
def test_precomputed_contact_free_features_give_the_same_rows(tables, as_of):
    """A service computes account, billing and usage once a day for the whole base; a
    customer's features built on those equal the ones computed from scratch."""
    from features.structured import contact_free_features

    day = contact_free_features(
        tables.customers,
        tables.bills,
        tables.usage,
        tables.service_events,
        as_of,
        regions=list(tables.regions),
    )
    graph = compute_graph_features(tables, as_of, FeatureConfig())
    whole = customer_features(tables, as_of, graph=graph)
    pd.testing.assert_frame_equal(
        customer_features(tables, as_of, graph=graph, contact_free=day), whole
    )
    for customer_id in whole.index:
        one = tables.for_customers(pd.Index([customer_id]))
        pd.testing.assert_frame_equal(
            customer_features(one, as_of, graph=graph, contact_free=day.loc[[customer_id]]),
            whole.loc[[customer_id]],
        )


def test_contact_free_features_without_a_customer_are_refused(tables):
    from features.structured import contact_free_features

    day = contact_free_features(
        tables.customers, tables.bills, tables.usage, tables.service_events, DATES[-1]
    )
    with pytest.raises(ValueError, match="lacks 1 of the customers"):
        customer_features(tables, DATES[-1], contact_free=day.iloc[1:])


TEXTS = [
    "话费又多扣了，再不退钱我就去工信部投诉！",
    "宽带老断网，我要销户",
    "请问套餐怎么改？",
    "   ",
    None,
]


@pytest.fixture(scope="module")
def world():
    """Thirty random customers with contacts, texts, bound accounts, posts and a call graph."""
    rng = np.random.default_rng(7)
    raw = random_world(seed=3, n_customers=30)
    quiet = ["C0010", "C0011"]
    contacts = raw["contacts"].loc[~raw["contacts"]["customer_id"].isin(quiet)]
    contacts = contacts.reset_index(drop=True)
    contacts["text"] = rng.choice(np.array(TEXTS, dtype=object), len(contacts))
    contacts.loc[rng.random(len(contacts)) < 0.1, "social_account_id"] = "A0"
    raw["contacts"] = contacts
    raw["bills"] = raw["bills"].loc[raw["bills"]["customer_id"] != "C0012"]
    ids = raw["customers"]["customer_id"].to_numpy()
    accounts = pd.DataFrame(
        {
            "account_id": [f"A{i}" for i in range(12)],
            "platform": "weibo",
            "followers": rng.integers(0, 50_000, 12),
            "bound_msisdn": [
                raw["customers"]["msisdn"].iloc[i] if i < 9 else None for i in range(12)
            ],
            "nickname": "n",
        }
    )
    n_posts = 80
    posts = pd.DataFrame(
        {
            "post_id": [f"P{i}" for i in range(n_posts)],
            "account_id": rng.choice(accounts["account_id"].to_numpy(), n_posts),
            "ts": pd.Timestamp("2026-01-01")
            + pd.to_timedelta(rng.integers(0, 180 * 24, n_posts), unit="h"),
            "text": rng.choice(np.array(TEXTS[:3], dtype=object), n_posts),
            "reposts": rng.integers(0, 500, n_posts),
            "comments": rng.integers(0, 50, n_posts),
            "mentions_brand": rng.random(n_posts) < 0.7,
        }
    )
    n_edges = 90
    edges = pd.DataFrame(
        {
            "src": rng.choice(ids, n_edges),
            "dst": rng.choice(ids, n_edges),
            "kind": rng.choice(["call", "sms", "family_plan"], n_edges),
            "weight": rng.gamma(2, 2, n_edges),
            "month": pd.Timestamp("2026-01-01")
            + pd.to_timedelta(rng.integers(0, 5, n_edges) * 31, unit="D"),
        }
    )
    edges = edges.loc[edges["src"] != edges["dst"]].reset_index(drop=True)
    return resolve_tables(
        raw | {"social_accounts": accounts, "social_posts": posts, "edges": edges}
    )


def _joined(tables, as_of, graph, contact_free=None) -> pd.DataFrame:
    """Each family's frame on the snapshot customers, side by side (the reference assembly)."""
    ids = snapshot_customers(tables.customers, as_of)
    customers = tables.customers.loc[tables.customers["customer_id"].isin(ids)]
    structured = structured_features(
        customers,
        tables.bills,
        tables.usage,
        tables.service_events,
        tables.contacts,
        as_of,
        regions=list(tables.regions) or None,
        contact_free=None if contact_free is None else contact_free.loc[ids],
    )
    text = text_features(tables.contacts, as_of, posts=tables.social_posts)
    parts = [
        structured.reindex(ids),
        text.reindex(ids).fillna(TEXT_DEFAULTS),
        identity_features(tables.contacts, tables.social_posts, tables.owners, ids, as_of),
        graph.reindex(ids),
    ]
    frame = pd.concat(parts, axis=1)
    frame.index = ids
    return frame


WORLD_DATES = ["2024-06-01", "2025-03-31", "2026-03-31", "2026-06-30"]


@pytest.mark.parametrize("as_of", WORLD_DATES)
def test_features_equal_the_family_frames_joined_bit_for_bit(world, as_of):
    graph = compute_graph_features(world, as_of, FeatureConfig())
    day = contact_free_features(
        world.customers,
        world.bills,
        world.usage,
        world.service_events,
        as_of,
        regions=list(world.regions),
    )
    batch = customer_features(world, as_of, graph=graph)
    pd.testing.assert_frame_equal(batch, _joined(world, as_of, graph), check_exact=True)
    pd.testing.assert_frame_equal(
        customer_features(world, as_of, graph=graph, contact_free=day), batch, check_exact=True
    )
    shuffled = day.sample(frac=1.0, random_state=1)
    for customer_id in batch.index:
        one = world.for_customers(pd.Index([customer_id]))
        expected = batch.loc[[customer_id]]
        for contact_free in (None, day.loc[[customer_id]], shuffled):
            alone = customer_features(one, as_of, graph=graph, contact_free=contact_free)
            pd.testing.assert_frame_equal(alone, expected, check_exact=True)


def test_a_live_contact_counts_online_as_in_the_batch(world):
    as_of = "2026-06-30"
    graph = compute_graph_features(world, as_of, FeatureConfig())
    live = world.contacts.iloc[:1].assign(
        contact_id="LIVE",
        customer_id="C0004",
        ts=pd.Timestamp("2026-06-30 10:00"),
        channel="regulator",
        direction="inbound",
        text=TEXTS[0],
        ticket_id=None,
        resolved=False,
        escalated_flag=True,
        resolved_via_social=False,
    )
    tables = replace(world, contacts=pd.concat([world.contacts, live], ignore_index=True))
    batch = customer_features(tables, as_of, graph=graph)
    one = tables.for_customers(pd.Index(["C0004"]))
    pd.testing.assert_frame_equal(
        customer_features(one, as_of, graph=graph), batch.loc[["C0004"]], check_exact=True
    )
    before = customer_features(world, as_of, graph=graph).loc["C0004"]
    assert batch.loc["C0004", "ct_inbound_30d_regulator"] == before["ct_inbound_30d_regulator"] + 1


def test_block_and_column_assembly_give_the_same_frame(world, monkeypatch):
    """Up to ``FEW_ROWS`` customers the frame is built from dtype blocks, above from columns."""
    as_of = "2026-03-31"
    graph = compute_graph_features(world, as_of, FeatureConfig())
    blocks = customer_features(world, as_of, graph=graph)
    monkeypatch.setattr(assemble, "FEW_ROWS", 0)
    columns = customer_features(world, as_of, graph=graph)
    pd.testing.assert_frame_equal(blocks, columns, check_exact=True)
    assert blocks._mgr.nblocks < 10 < columns._mgr.nblocks


@pytest.mark.parametrize("few_rows", [1_000, 0])
def test_features_share_no_memory_with_the_precomputed_inputs(world, monkeypatch, few_rows):
    monkeypatch.setattr(assemble, "FEW_ROWS", few_rows)
    as_of = "2026-03-31"
    graph = compute_graph_features(world, as_of, FeatureConfig())
    day = contact_free_features(
        world.customers, world.bills, world.usage, world.service_events, as_of
    )
    frames = [customer_features(world, as_of, graph=graph, contact_free=day)]
    one = world.for_customers(pd.Index(["C0002"]))
    frames.append(customer_features(one, as_of, graph=graph, contact_free=day))
    inputs = [
        frame[name].to_numpy()
        for frame in (graph, day)
        for name in frame.columns
        if isinstance(frame[name].dtype, np.dtype)
    ]
    for frame in frames:
        for name in frame.select_dtypes(exclude="category").columns:
            values = frame[name].to_numpy()
            assert not any(np.shares_memory(values, source) for source in inputs), name


def test_customers_missing_from_the_graph_get_its_reindexed_rows(world):
    as_of = "2026-03-31"
    graph = compute_graph_features(world, as_of, FeatureConfig()).drop(index=["C0003", "C0020"])
    batch = customer_features(world, as_of, graph=graph)
    pd.testing.assert_frame_equal(batch, _joined(world, as_of, graph), check_exact=True)
    assert batch["g_degree"].dtype == "float64" and np.isnan(batch.loc["C0003", "g_degree"])
    for customer_id in ("C0003", "C0004"):
        tables = world.for_customers(pd.Index([customer_id]))
        pd.testing.assert_frame_equal(
            customer_features(tables, as_of, graph=graph),
            _joined(tables, as_of, graph),
            check_exact=True,
        )


@pytest.mark.parametrize(
    "missing", [["edges"], ["social_posts"], ["social_accounts", "social_posts", "edges"]]
)
def test_missing_tables_leave_their_families_columns_out(tables, missing):
    full = customer_features(tables, "2026-02-28")
    config = FeatureConfig(missing_tables=missing)
    partial = customer_features(tables, "2026-02-28", config)
    gone = absent_columns(missing)
    assert gone and not set(gone) & set(partial.columns)
    pd.testing.assert_frame_equal(partial, full.drop(columns=gone))


def test_feature_config_keeps_missing_tables_in_contract_order_and_refuses_required_ones():
    config = FeatureConfig(missing_tables=["edges", "social_accounts"])
    assert config.missing_tables == ["social_accounts", "edges"]
    assert config.without(["social_posts", "edges"]).missing_tables == [
        "social_accounts",
        "social_posts",
        "edges",
    ]
    with pytest.raises(ValueError, match="missing_tables"):
        FeatureConfig(missing_tables=["contacts"])
