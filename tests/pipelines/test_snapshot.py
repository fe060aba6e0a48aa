"""Snapshots on a real synthetic world: contract, labels, point in time, online equals offline."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from features.assemble import (
    FeatureConfig,
    compute_graph_features,
    customer_features,
    resolve_tables,
)
from features.catalog import feature_specs
from features.core.timeline import snapshot_end
from features.labels import LABELS
from pipelines.raw_tables import raw_data_range
from pipelines.snapshot import (
    DateOutsideDataError,
    SnapshotConfig,
    available_snapshots,
    build_snapshots,
    check_snapshot_dates,
    read_oracle,
    read_raw_tables,
    read_snapshot,
)

AS_OF = date(2026, 8, 31)


@pytest.fixture(scope="module")
def raw(demo_world):
    return read_raw_tables(demo_world.raw_dir)


@pytest.fixture(scope="module")
def batch(raw):
    tables = resolve_tables(raw)
    return customer_features(tables, AS_OF)


def test_every_snapshot_has_one_row_per_customer_and_registered_columns(demo_world, raw):
    assert available_snapshots(demo_world.features_dir) == list(demo_world.snapshots)
    specs = feature_specs()
    for as_of in demo_world.snapshots:
        snapshot = read_snapshot(demo_world.features_dir, as_of)
        frame = snapshot.frame
        assert frame.index.is_unique
        assert len(frame) == len(raw["customers"])
        features = [c for c in frame.columns if c not in LABELS]
        assert sorted(features) == sorted(specs), "every column is in the feature registry"
        assert set(LABELS) <= set(frame.columns)
        assert frame[features].select_dtypes("number").notna().all().all()
        assert snapshot.documents.index.equals(frame.index)


def test_labels_agree_with_the_generators_oracle(demo_world):
    oracle = read_oracle(demo_world.world_dir)
    for as_of in demo_world.snapshots:
        frame = read_snapshot(demo_world.features_dir, as_of).frame
        truth = oracle.loc[oracle["as_of"] == pd.Timestamp(as_of)].set_index("customer_id")
        truth = truth.reindex(frame.index)
        for label in LABELS:
            realized, expected = frame[label].mean(), truth[f"p_{label}"].mean()
            n = len(frame)
            tolerance = 4 * np.sqrt(expected * (1 - expected) / n) + 0.005
            assert abs(realized - expected) < tolerance, (as_of, label, realized, expected)


def test_snapshot_without_observed_horizon_has_no_labels(demo_world, tmp_path):
    late = date(2026, 10, 15)
    config = SnapshotConfig(as_of=[late], raw_dir=demo_world.raw_dir, features_dir=tmp_path)
    (result,) = build_snapshots(config)
    assert result.label_rates is None
    assert not set(LABELS) & set(read_snapshot(tmp_path, late).frame.columns)


def _after(frame: pd.DataFrame, column: str, monthly: bool = False) -> pd.Series:
    end = snapshot_end(AS_OF)
    if monthly:
        return frame[column] + pd.offsets.MonthBegin(1) > end
    return frame[column] >= end


FUTURE_COLUMNS = {
    "bills": ("issued_at", False),
    "usage": ("usage_month", True),
    "service_events": ("ts", False),
    "contacts": ("ts", False),
    "social_posts": ("ts", False),
    "edges": ("month", True),
}


def _without_future(raw: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    out = dict(raw)
    for name, (column, monthly) in FUTURE_COLUMNS.items():
        out[name] = raw[name].loc[~_after(raw[name], column, monthly)]
    return out


def _scrambled_future(raw: dict[str, pd.DataFrame], seed: int = 0) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    out = dict(raw)
    for name, (column, monthly) in FUTURE_COLUMNS.items():
        frame = raw[name].copy()
        future = _after(frame, column, monthly).to_numpy()
        for col in frame.columns:
            if col in (column, "customer_id", "src", "dst", "account_id") or col.endswith("_id"):
                continue
            values = frame.loc[future, col].to_numpy()
            frame.loc[future, col] = rng.permutation(values)
        if name == "contacts":
            frame.loc[future, "text"] = "我要去工信部投诉！！！再不解决就曝光"
            frame.loc[future, "channel"] = "regulator"
        out[name] = frame
    return out


def test_deleting_rows_after_as_of_changes_no_feature(raw, batch):
    truncated = customer_features(resolve_tables(_without_future(raw)), AS_OF)
    pd.testing.assert_frame_equal(batch, truncated)


def test_scrambling_rows_after_as_of_changes_no_feature(raw, batch):
    scrambled = customer_features(resolve_tables(_scrambled_future(raw)), AS_OF)
    pd.testing.assert_frame_equal(batch, scrambled)


def test_online_features_of_a_few_customers_equal_the_batch(raw, batch):
    tables = resolve_tables(raw)
    graph = compute_graph_features(tables, AS_OF, FeatureConfig())
    contacted = tables.contacts["customer_id"].dropna().unique()
    ids = pd.Index([*contacted[:4], raw["customers"]["customer_id"].iloc[-1]])
    online = customer_features(tables.for_customers(ids), AS_OF, graph=graph)
    pd.testing.assert_frame_equal(online.loc[ids], batch.loc[ids])


def test_the_scramble_would_be_seen_by_a_later_snapshot(raw):
    later = date(2026, 9, 30)
    clean = customer_features(resolve_tables(raw), later)
    scrambled = customer_features(resolve_tables(_scrambled_future(raw)), later)
    changed = [col for col in clean.columns if not clean[col].equals(scrambled[col])]
    families = {feature_specs()[col].family for col in changed}
    assert families == {"structured", "text", "identity", "graph"}, families


def _data_range(raw: dict[str, pd.DataFrame]) -> tuple[date, date]:
    months = raw["bills"]["bill_month"]
    last = months.max() + pd.offsets.MonthEnd(0)
    return months.min().date(), last.date()


def test_the_data_range_runs_from_the_first_to_the_last_bill_month(demo_world, raw):
    start, end = raw_data_range(demo_world.raw_dir)
    assert (start.date(), end.date()) == _data_range(raw)
    assert start == start.normalize() and end.date() == end.normalize().date()


@pytest.mark.parametrize("outside", ["after", "before"])
def test_dates_outside_the_data_are_refused_naming_the_range(demo_world, raw, tmp_path, outside):
    start, end = _data_range(raw)
    day = end + timedelta(days=1) if outside == "after" else start - timedelta(days=1)
    config = SnapshotConfig(as_of=[AS_OF, day], raw_dir=demo_world.raw_dir, features_dir=tmp_path)
    with pytest.raises(DateOutsideDataError) as error:
        build_snapshots(config)
    assert all(d.isoformat() in str(error.value) for d in (day, start, end))
    assert not list(tmp_path.iterdir()), "nothing is built"


def test_the_last_day_of_the_data_is_a_valid_snapshot_date(demo_world, raw):
    check_snapshot_dates(demo_world.raw_dir, list(_data_range(raw)))
