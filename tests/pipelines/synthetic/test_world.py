"""The world generator: determinism, the data contract, saving."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pandas as pd
import pytest

from pipelines.synthetic.config import WorldConfig
from pipelines.synthetic.world import World, generate_world, save_world

ENUMS = {
    ("customers", "plan_type"): {
        "prepaid",
        "postpaid_basic",
        "postpaid_5g",
        "family",
        "broadband_bundle",
    },
    ("customers", "status"): {"active", "suspended", "closed"},
    ("service_events", "event_type"): {
        "suspension_arrears",
        "resume",
        "plan_change",
        "vas_subscribe",
        "vas_unsubscribe",
        "outage",
        "port_out_request",
        "payment",
        "refund",
    },
    ("contacts", "channel"): {
        "hotline",
        "wechat",
        "weibo",
        "app",
        "web_chat",
        "store",
        "email",
        "regulator",
    },
    ("contacts", "direction"): {"inbound", "outbound"},
    ("contacts", "category"): {
        "billing",
        "network",
        "suspension",
        "plan",
        "vas",
        "service_attitude",
        "churn",
        "roaming",
        "inquiry",
    },
    ("social_accounts", "platform"): {"weibo", "wechat", "douyin", "xiaohongshu"},
    ("edges", "kind"): {"call", "sms", "family_plan", "follow"},
}
TIMESTAMPS = {
    "customers": ["open_date"],
    "bills": ["bill_month", "issued_at"],
    "usage": ["usage_month"],
    "service_events": ["ts"],
    "contacts": ["ts"],
    "social_posts": ["ts"],
    "edges": ["month"],
}


def _small(**overrides) -> WorldConfig:
    return WorldConfig(**{"customers": 1_500, "months": 4, "seed": 3, **overrides})


def test_same_seed_gives_the_same_world_and_another_seed_does_not():
    first, second = generate_world(_small()), generate_world(_small())
    for name, frame in first.tables().items():
        pd.testing.assert_frame_equal(frame, second.tables()[name], obj=name)
    pd.testing.assert_frame_equal(first.oracle, second.oracle)
    other = generate_world(_small(seed=4))
    assert not other.contacts["ts"].equals(first.contacts["ts"])


def test_ids_are_unique_and_foreign_keys_hold(world: World):
    customers = world.customers["customer_id"]
    accounts = world.social_accounts["account_id"]
    for table, key in [
        ("customers", "customer_id"),
        ("service_events", "event_id"),
        ("contacts", "contact_id"),
        ("social_accounts", "account_id"),
        ("social_posts", "post_id"),
    ]:
        assert getattr(world, table)[key].is_unique, table
    assert world.customers["msisdn"].is_unique
    assert world.customers["msisdn"].str.fullmatch(r"1\d{10}").all()
    references = [
        (world.bills["customer_id"], customers),
        (world.usage["customer_id"], customers),
        (world.service_events["customer_id"], customers),
        (world.contacts["customer_id"].dropna(), customers),
        (world.contacts["social_account_id"].dropna(), accounts),
        (world.social_posts["account_id"], accounts),
        (world.edges["src"], customers),
        (world.edges["dst"], customers),
        (world.social_accounts["bound_msisdn"].dropna(), world.customers["msisdn"]),
    ]
    for values, keys in references:
        assert values.isin(keys).all()
    assert not world.bills.duplicated(["customer_id", "bill_month"]).any()
    assert not world.usage.duplicated(["customer_id", "usage_month"]).any()
    assert not world.edges.duplicated(["src", "dst", "kind", "month"]).any()
    assert (world.edges["src"] != world.edges["dst"]).all()


def test_enums_ranges_and_dtypes(world: World):
    for (table, column), allowed in ENUMS.items():
        assert set(getattr(world, table)[column].unique()) <= allowed, (table, column)
    assert world.customers["vip_level"].between(0, 3).all()
    assert world.customers["vip_level"].dtype == np.int64
    money = ["amount_due", "amount_paid", "overdue_amount", "data_overage_fee", "vas_fee"]
    assert (world.bills[money] >= 0).all().all()
    assert world.usage["dropped_call_rate"].between(0, 1).all()
    assert (world.usage[["data_gb", "outage_minutes", "avg_download_mbps"]] >= 0).all().all()
    csat = world.contacts["csat"].dropna()
    assert csat.between(1, 5).all() and len(csat) > 0
    assert (world.contacts[["handle_seconds", "transfers"]] >= 0).all().all()
    assert world.contacts["handle_seconds"].dtype == np.int64
    assert world.contacts["resolved"].dtype == bool
    assert world.contacts["escalated_flag"].dtype == bool
    assert (world.edges["weight"] > 0).all()
    assert (world.social_posts[["reposts", "comments"]] >= 0).all().all()
    assert world.social_posts["mentions_brand"].dtype == bool
    suspensions = world.service_events.loc[
        world.service_events["event_type"] == "suspension_arrears", "amount"
    ]
    assert suspensions.notna().all() and (suspensions > 0).all()


def test_timestamps_are_naive_and_inside_the_data(world: World):
    end = pd.Timestamp("2026-10-31 23:59:59.999999")
    for table, columns in TIMESTAMPS.items():
        for column in columns:
            values = getattr(world, table)[column]
            assert values.dtype == "datetime64[ns]", (table, column)
            assert values.max() <= end, (table, column)
    for table, column in [("bills", "bill_month"), ("usage", "usage_month"), ("edges", "month")]:
        values = getattr(world, table)[column]
        assert (values == values.dt.to_period("M").dt.to_timestamp()).all()
        assert values.min() == pd.Timestamp("2025-11-01")
    issued = world.bills["issued_at"]
    month_end = world.bills["bill_month"] + pd.offsets.MonthEnd(0)
    assert (issued.dt.normalize() == month_end).all()
    assert (world.customers["open_date"] < pd.Timestamp("2025-11-01")).all()


def test_realistic_volumes(world: World, realized: pd.DataFrame):
    share_with_text = world.contacts["text"].notna().mean()
    assert 0.6 < share_with_text < 0.8
    assert world.contacts.loc[world.contacts["text"].notna(), "text"].str.len().min() > 0
    assert 0.10 <= (realized["contacts"] >= 1).mean() <= 0.25
    assert 0.08 <= realized["repeat_contact"].mean() <= 0.15
    assert 0.01 <= realized["escalation"].mean() <= 0.04
    unidentified_weibo = world.contacts.loc[
        (world.contacts["channel"] == "weibo") & world.contacts["customer_id"].isna()
    ]
    assert unidentified_weibo["social_account_id"].notna().all() and len(unidentified_weibo) > 0
    call_partners = world.edges.loc[world.edges["kind"].isin(["call", "sms"])]
    per_customer_month = 2 * len(call_partners) / len(world.usage)
    assert 1.0 < per_customer_month < 6.0
    bound = world.social_accounts["bound_msisdn"].notna().mean()
    assert 0.3 < bound < 0.8


def test_save_world_writes_tables_oracle_and_params(world: World, tmp_path):
    small = generate_world(_small())
    paths = save_world(small, tmp_path)
    for name in small.tables():
        assert paths[name] == tmp_path / f"{name}.parquet"
        back = pd.read_parquet(paths[name])
        assert len(back) == len(small.tables()[name])
    oracle = pd.read_parquet(tmp_path / "oracle" / "oracle.parquet")
    assert list(oracle.columns) == ["customer_id", "as_of", "p_repeat_contact", "p_escalation"]
    params = json.loads((tmp_path / "world.json").read_text(encoding="utf-8"))
    assert params["seed"] == 3
    assert params["config"]["customers"] == 1_500
    assert not list(tmp_path.rglob("*.tmp"))


def test_oracle_covers_every_customer_and_month_end_but_the_last(world: World):
    as_of = sorted(world.oracle["as_of"].unique())
    assert len(as_of) == 11
    assert pd.Timestamp(as_of[0]) == pd.Timestamp("2025-11-30")
    assert pd.Timestamp(as_of[-1]) == pd.Timestamp("2026-09-30")
    assert world.oracle.groupby("as_of").size().eq(len(world.customers)).all()
    probs = world.oracle[["p_repeat_contact", "p_escalation"]]
    assert ((probs >= 0) & (probs <= 1)).all().all()


def test_config_rejects_unknown_fields_and_mid_month_starts():
    with pytest.raises(ValueError):
        WorldConfig(customer=10)
    with pytest.raises(ValueError):
        WorldConfig(start=date(2025, 11, 15))
