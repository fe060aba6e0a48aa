"""Partitioned snapshots equal the whole-base build, on either engine; failures publish nothing."""

from __future__ import annotations

import shutil
from datetime import date

import pandas as pd
import pytest

from features.assemble import FeatureConfig, contact_flags, resolve_tables
from pipelines.buckets import bucket_codes
from pipelines.catalog import RawTables, SnapshotStore
from pipelines.engine import BucketTaskError, EngineConfig
from pipelines.ingest import load_source
from pipelines.raw_tables import raw_buckets, read_raw_bucket, read_raw_tables
from pipelines.snapshot import (
    SnapshotConfig,
    available_snapshots,
    build_snapshot,
    build_snapshots,
    read_snapshot,
    read_snapshot_bucket,
)
from pipelines.snapshot_tasks import BASE_COLUMNS, bucket_base, bucket_tables
from pipelines.validation import data_end_of

pytestmark = pytest.mark.xdist_group("dask")

AS_OF = date(2026, 8, 31)


@pytest.fixture(scope="module")
def source(demo_world):
    return load_source(demo_world.world_dir)


def test_partitioned_snapshots_equal_the_whole_base_build(demo_world, source):
    tables = resolve_tables(source)
    for as_of in demo_world.snapshots:
        frame, documents = build_snapshot(tables, as_of, FeatureConfig(), data_end_of(source))
        snapshot = read_snapshot(demo_world.features_dir, as_of)
        assert snapshot.meta["buckets"] == 8 and "repeat_contact" in frame
        pd.testing.assert_frame_equal(snapshot.frame, frame.sort_index())
        pd.testing.assert_series_equal(snapshot.documents, documents.sort_index())


def test_raw_tables_read_back_whole_and_by_bucket(demo_world, source):
    raw = read_raw_tables(demo_world.raw_dir)
    pd.testing.assert_frame_equal(raw["customers"], source["customers"])
    key = ["contact_id"]
    pd.testing.assert_frame_equal(
        raw["contacts"].sort_values(key, ignore_index=True),
        source["contacts"].sort_values(key, ignore_index=True),
    )
    bucket = read_raw_bucket(demo_world.raw_dir, 3)
    assert set(bucket_codes(bucket["customers"]["customer_id"], 8)) == {3}
    assert set(bucket_codes(bucket["bills"]["customer_id"], 8)) == {3}
    assert raw_buckets(demo_world.raw_dir) == 8


def test_the_first_pass_reads_no_text_and_finds_what_the_whole_bucket_gives(demo_world):
    version = RawTables(demo_world.raw_dir).version
    dates = list(demo_world.snapshots)
    projected = read_raw_bucket(demo_world.raw_dir, 2, version, columns=BASE_COLUMNS)
    assert {name: list(frame.columns) for name, frame in projected.items()} == {
        name: list(columns) for name, columns in BASE_COLUMNS.items()
    }
    for bucket in range(8):
        base = bucket_base(bucket, demo_world.raw_dir, version, dates)
        whole = bucket_tables(read_raw_bucket(demo_world.raw_dir, bucket, version), ())
        assert base.customers.equals(whole.customers[["customer_id", "open_date"]])
        assert base.regions == frozenset(whole.customers["region"].dropna().unique())
        for as_of in dates:
            pd.testing.assert_frame_equal(base.flags[as_of], contact_flags(whole.contacts, as_of))
            assert len(base.flags[as_of]) > 0


def test_buckets_and_column_projection_read_parts_of_the_snapshot(demo_world):
    whole = read_snapshot(demo_world.features_dir, AS_OF)
    parts = [read_snapshot_bucket(demo_world.features_dir, AS_OF, b) for b in range(8)]
    for bucket, part in enumerate(parts):
        assert set(bucket_codes(part.frame.index, 8)) == {bucket}
        assert part.documents.index.equals(part.frame.index)
    joined = pd.concat([part.frame for part in parts]).sort_index()
    pd.testing.assert_frame_equal(joined, whole.frame)
    columns = ["g_pagerank", "acct_region", "escalation"]
    projected = read_snapshot(demo_world.features_dir, AS_OF, columns=columns, documents=False)
    pd.testing.assert_frame_equal(projected.frame, whole.frame[columns])
    assert projected.documents is None
    with pytest.raises(FileNotFoundError, match="no bucket 8"):
        read_snapshot_bucket(demo_world.features_dir, AS_OF, 8)


def test_the_dask_engine_builds_the_same_snapshot(demo_world, dask_client, tmp_path):
    engine = EngineConfig(kind="dask", scheduler=dask_client.scheduler.address)
    config = SnapshotConfig(
        as_of=[AS_OF], raw_dir=demo_world.raw_dir, features_dir=tmp_path, engine=engine
    )
    (result,) = build_snapshots(config)
    local = read_snapshot(demo_world.features_dir, AS_OF)
    on_dask = read_snapshot(tmp_path, AS_OF)
    pd.testing.assert_frame_equal(on_dask.frame, local.frame)
    pd.testing.assert_series_equal(on_dask.documents, local.documents)
    assert result.label_rates == local.meta["label_rates"]


def _broken_raw(demo_world, tmp_path):
    """A copy of the ingested tables whose bucket 3 of ``contacts`` is not Parquet."""
    raw_dir = tmp_path / "raw"
    shutil.copytree(demo_world.raw_dir, raw_dir)
    RawTables(raw_dir).part("contacts", 3).write_bytes(b"not parquet")
    return raw_dir


@pytest.mark.parametrize("kind", ["local", "dask"])
def test_a_failing_bucket_is_named_and_publishes_nothing(demo_world, dask_client, tmp_path, kind):
    scheduler = dask_client.scheduler.address if kind == "dask" else None
    engine = EngineConfig(kind=kind, scheduler=scheduler, retries=1)
    features_dir = tmp_path / "features"
    good = SnapshotConfig(as_of=[AS_OF], raw_dir=demo_world.raw_dir, features_dir=features_dir)
    build_snapshots(good)
    before = read_snapshot(features_dir, AS_OF)
    broken = good.model_copy(
        update={"raw_dir": _broken_raw(demo_world, tmp_path), "engine": engine}
    )
    with pytest.raises(BucketTaskError, match="bucket 3"):
        build_snapshots(broken)
    pd.testing.assert_frame_equal(read_snapshot(features_dir, AS_OF).frame, before.frame)
    new_date = broken.model_copy(update={"as_of": [date(2026, 9, 30)]})
    with pytest.raises(BucketTaskError, match="bucket 3"):
        build_snapshots(new_date)
    assert available_snapshots(features_dir) == [AS_OF]
    folder = SnapshotStore(features_dir).at(date(2026, 9, 30)).folder
    assert not folder.exists() or not any(folder.glob("v-*/features/*"))


def test_a_bucket_part_without_a_needed_column_is_named(demo_world, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(demo_world.raw_dir, raw)
    store = RawTables(raw)
    part = store.part("contacts", 1, store.version)
    pd.read_parquet(part).drop(columns=["escalated_flag"]).to_parquet(part)
    with pytest.raises(ValueError, match="table contacts lacks column\\(s\\) escalated_flag"):
        read_raw_bucket(raw, 1, columns=BASE_COLUMNS)
