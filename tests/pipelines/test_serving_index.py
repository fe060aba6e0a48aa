"""The serving index holds what the whole-base path computes, and is published whole or not."""

from __future__ import annotations

import shutil
from datetime import timedelta

import pandas as pd
import pytest

from features.assemble import resolve_tables
from features.structured import contact_free_features
from pipelines import serving_index
from pipelines.catalog import ServingIndexStore
from pipelines.datasets import read_pointer
from pipelines.serving_index import (
    IndexSourceError,
    build_serving_index,
    open_serving_index,
)
from pipelines.snapshot import read_raw_tables, read_snapshot


@pytest.fixture(scope="module")
def built(demo_world, tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("index")
    as_of = demo_world.snapshots[-1]
    build_serving_index(demo_world.raw_dir, demo_world.features_dir, index_dir, as_of)
    return index_dir, as_of, open_serving_index(index_dir, as_of)


def test_contact_free_features_equal_the_whole_base_computation(demo_world, built):
    _, as_of, index = built
    tables = resolve_tables(read_raw_tables(demo_world.raw_dir))
    day = as_of + timedelta(days=1)
    whole = contact_free_features(
        tables.customers,
        tables.bills,
        tables.usage,
        tables.service_events,
        day,
        regions=list(tables.regions),
    )
    indexed = pd.concat([part.rows_of(list(whole.index)) for part in index.contact_free.parts])
    indexed = indexed.set_index("customer_id").loc[whole.index]
    pd.testing.assert_frame_equal(indexed, whole)
    assert index.contact_free_day == day
    assert index.regions == tables.regions


def test_snapshot_rows_and_documents_equal_the_snapshot(demo_world, built):
    _, as_of, index = built
    snapshot = read_snapshot(demo_world.features_dir, as_of)
    ids = [*snapshot.frame.index[[5, 0, 999, 42]], "NOBODY"]
    frame, documents = index.snapshot_rows(ids)
    pd.testing.assert_frame_equal(frame, snapshot.frame.loc[ids[:-1]])
    pd.testing.assert_series_equal(documents, snapshot.documents.loc[ids[:-1]])
    graph = index.graph_of(ids[0])
    assert list(graph.index) == [ids[0]] and len(graph.columns) > 0


def test_accounts_name_their_owner(demo_world, built):
    _, _, index = built
    owners = resolve_tables(read_raw_tables(demo_world.raw_dir)).owners
    for account_id, customer_id in (
        owners[["account_id", "customer_id"]].head(20).itertuples(index=False)
    ):
        assert index.accounts.rows(account_id)["customer_id"].tolist() == [customer_id]


def test_a_current_index_is_kept_and_a_stale_one_rebuilt(demo_world, built, monkeypatch):
    index_dir, as_of, _ = built
    files = ServingIndexStore(index_dir).at(as_of)
    first = read_pointer(files.meta)["version"]
    build_serving_index(demo_world.raw_dir, demo_world.features_dir, index_dir, as_of)
    assert read_pointer(files.meta)["version"] == first
    monkeypatch.setattr(serving_index, "INDEX_FORMAT", serving_index.INDEX_FORMAT + 1)
    build_serving_index(demo_world.raw_dir, demo_world.features_dir, index_dir, as_of)
    second = read_pointer(files.meta)["version"]
    assert second != first
    assert not (files.folder / first).exists()


def test_a_failed_build_publishes_nothing(demo_world, tmp_path, monkeypatch):
    as_of = demo_world.snapshots[-1]
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return contact_free_features(*args, **kwargs)

    monkeypatch.setattr(serving_index, "contact_free_features", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        build_serving_index(demo_world.raw_dir, demo_world.features_dir, tmp_path, as_of)
    files = ServingIndexStore(tmp_path).at(as_of)
    assert not files.published
    assert not [path for path in files.folder.iterdir() if path.name.startswith("v-")]
    with pytest.raises(FileNotFoundError, match="procare serve"):
        open_serving_index(tmp_path, as_of)


def test_missing_sources_name_the_command_to_run(demo_world, tmp_path):
    as_of = demo_world.snapshots[-1]
    with pytest.raises(IndexSourceError, match="procare data ingest"):
        build_serving_index(tmp_path / "raw", demo_world.features_dir, tmp_path / "i", as_of)
    features = tmp_path / "features"
    shutil.copytree(demo_world.features_dir, features)
    shutil.rmtree(features / f"as_of={as_of.isoformat()}")
    with pytest.raises(IndexSourceError, match="procare features build --as-of"):
        build_serving_index(demo_world.raw_dir, features, tmp_path / "i", as_of)


def test_the_index_is_owner_only(built):
    index_dir, as_of, _ = built
    files = ServingIndexStore(index_dir).at(as_of)
    assert files.meta.stat().st_mode & 0o777 == 0o600
    for path in files.table("contacts").parent.rglob("*"):
        assert path.stat().st_mode & 0o777 == (0o700 if path.is_dir() else 0o600), path
