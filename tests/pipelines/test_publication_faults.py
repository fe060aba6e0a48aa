"""Fault injection: a crash between any two file writes of a features build.

Every file lands through a rename (``pipelines.storage.atomic_path``); the tests make the k-th
rename and every later one raise, for every k, either as an exception the code may clean up
after, or as a kill (nothing is cleaned up: no folder removed, no temporary file unlinked).
Readers must then see the previous output whole or the new one whole, and an unpublished date
must not be listed. ``tests/pipelines/test_ingest_faults.py`` does the same for ingest.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from features.assemble import FeatureConfig
from features.labels import LABELS, LabelConfig
from pipelines.catalog import SnapshotStore
from pipelines.datasets import VERSION_PREFIX, clean_stale
from pipelines.ingest import IngestConfig, ingest
from pipelines.snapshot import (
    SnapshotConfig,
    available_snapshots,
    build_snapshots,
    read_snapshot,
)
from tests.pipelines.contract_tables import tiny_tables, write_export
from tests.pipelines.faults import Crash, Writes, age, faults, leftovers

BUCKETS = 2
AS_OF = date(2026, 1, 20)
NEW_DATE = date(2026, 2, 10)
HOUR = 3600


@pytest.fixture(scope="module")
def raw_dir(tmp_path_factory) -> Path:
    """The tiny export ingested in ``BUCKETS`` buckets."""
    root = tmp_path_factory.mktemp("raw")
    source = write_export(tiny_tables(), root / "export", fmt="parquet")
    ingest(IngestConfig(source_dir=source, raw_dir=root / "raw", buckets=BUCKETS))
    return root / "raw"


def _config(raw_dir: Path, features_dir: Path, horizon: int, as_of: date = AS_OF):
    return SnapshotConfig(
        as_of=[as_of],
        raw_dir=raw_dir,
        features_dir=features_dir,
        features=FeatureConfig(labels=LabelConfig(horizon_days=horizon)),
    )


@pytest.fixture(scope="module")
def built(raw_dir, tmp_path_factory) -> dict[int, tuple[Path, object]]:
    """Snapshots at AS_OF with horizon 30 (labelled) and 60 (unobserved: no labels)."""
    found = {}
    for horizon in (30, 60):
        features_dir = tmp_path_factory.mktemp(f"features_{horizon}")
        build_snapshots(_config(raw_dir, features_dir, horizon))
        found[horizon] = (features_dir, read_snapshot(features_dir, AS_OF))
    assert set(LABELS) <= set(found[30][1].frame) and not set(LABELS) & set(found[60][1].frame)
    return found


def _assert_snapshot_whole(features_dir: Path, built) -> int:
    """The published snapshot is the horizon-30 one whole or the horizon-60 one; which."""
    snapshot = read_snapshot(features_dir, AS_OF)
    horizon = snapshot.meta["horizon_days"]
    expected = built[horizon][1]
    pd.testing.assert_frame_equal(snapshot.frame, expected.frame)
    pd.testing.assert_series_equal(snapshot.documents, expected.documents)
    assert snapshot.meta["label_rates"] == expected.meta["label_rates"]
    return horizon


def _snapshot_writes(raw_dir, tmp_path) -> int:
    with faults(Writes()) as writes:
        build_snapshots(_config(raw_dir, tmp_path / "count", 60))
    return writes.count


@pytest.mark.parametrize("kill", [False, True], ids=["exception", "kill"])
def test_a_crash_between_any_two_snapshot_writes_leaves_one_whole_snapshot(
    raw_dir, built, tmp_path, kill
):
    total = _snapshot_writes(raw_dir, tmp_path)
    assert total == 2 * BUCKETS + 1
    seen = set()
    for limit in range(total + 1):
        features_dir = tmp_path / f"features_{limit}"
        shutil.copytree(built[30][0], features_dir)
        rebuild = _config(raw_dir, features_dir, 60)
        with faults(Writes(limit), kill=kill):
            if limit < total:
                with pytest.raises(Crash):
                    build_snapshots(rebuild)
            else:
                build_snapshots(rebuild)
        seen.add(_assert_snapshot_whole(features_dir, built))
        assert available_snapshots(features_dir) == [AS_OF], limit
        if not kill:
            temps, versions = leftovers(features_dir)
            assert temps == [], limit
            assert [v.parent.name for v in versions] == [f"as_of={AS_OF}"], limit
    assert seen == {30, 60}


def test_a_crash_in_a_new_dates_build_never_lists_it(raw_dir, built, tmp_path):
    total = _snapshot_writes(raw_dir, tmp_path)
    for limit in range(total):
        features_dir = tmp_path / f"features_{limit}"
        shutil.copytree(built[30][0], features_dir)
        with faults(Writes(limit), kill=True), pytest.raises(Crash):
            build_snapshots(_config(raw_dir, features_dir, 30, NEW_DATE))
        assert available_snapshots(features_dir) == [AS_OF], limit
        assert not SnapshotStore(features_dir).at(NEW_DATE).published
        with pytest.raises(FileNotFoundError, match="no snapshot"):
            read_snapshot(features_dir, NEW_DATE)
        _assert_snapshot_whole(features_dir, built)


def test_the_next_build_removes_stale_leftovers_but_not_a_running_builds(raw_dir, tmp_path):
    features_dir = tmp_path / "features"
    config = _config(raw_dir, features_dir, 30)
    build_snapshots(config)
    folder = SnapshotStore(features_dir).at(AS_OF).folder
    with faults(Writes(BUCKETS), kill=True), pytest.raises(Crash):
        build_snapshots(config)
    killed_temps, killed_versions = leftovers(features_dir)
    assert killed_temps and len(killed_versions) == 2
    age([*killed_temps, *killed_versions], 2 * HOUR)
    running = folder / f"{VERSION_PREFIX}20990101T000000000000-running"
    (running / "features").mkdir(parents=True)
    (running / "features" / ".part-00000.parquet.abc.tmp").write_bytes(b"being written")
    build_snapshots(config)
    temps, versions = leftovers(features_dir)
    published = SnapshotStore(features_dir).at(AS_OF).features.parent
    assert sorted(versions) == sorted([published, running])
    assert temps == [running / "features" / ".part-00000.parquet.abc.tmp"]
    assert not any(path.exists() for path in killed_temps)


def test_cleaning_never_takes_a_published_version_nor_guesses_past_a_bad_pointer(raw_dir, tmp_path):
    features_dir = tmp_path / "features"
    build_snapshots(_config(raw_dir, features_dir, 30))
    files = SnapshotStore(features_dir).at(AS_OF)
    published = files.features.parent
    orphan = files.folder / f"{VERSION_PREFIX}20000101T000000000000-orphan"
    orphan.mkdir()
    age([published, orphan], 2 * HOUR)
    assert clean_stale(features_dir) == [orphan]
    orphan.mkdir()
    age([orphan], 2 * HOUR)
    (files.folder / "notes.json").write_text("{not json")
    assert clean_stale(features_dir) == []
    assert orphan.is_dir() and published.is_dir()
