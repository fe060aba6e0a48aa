"""Fault injection: a crash between any two file writes of an ingest.

As in ``tests/pipelines/test_publication_faults.py`` (snapshots): the k-th rename and every later
one raise, for every k, as an exception or as a kill. Readers must see the previous ingest whole
or the new one whole, with its manifest. Written against the public ``ingest(IngestConfig)`` API
and the catalog only, so it holds for any implementation of ingest.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipelines.catalog import RawTables
from pipelines.ingest import IngestConfig, ingest
from pipelines.raw_tables import raw_manifest, read_raw_tables
from tests.pipelines.contract_tables import tiny_tables, write_export
from tests.pipelines.faults import Crash, Writes, age, faults, leftovers

INGEST_BUCKETS = 1
HOUR = 3600


def _export_b() -> dict[str, pd.DataFrame]:
    tables = tiny_tables()
    tables["customers"] = tables["customers"].assign(monthly_fee=[48.0, 138.0, 109.0])
    return tables


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> dict[str, tuple[Path, dict[str, pd.DataFrame], str]]:
    """Exports A and B, each with its tables as ingested and its manifest fingerprint."""
    root = tmp_path_factory.mktemp("exports")
    found = {}
    for name, tables in (("a", tiny_tables()), ("b", _export_b())):
        source = write_export(tables, root / name, fmt="parquet")
        raw_dir = root / f"raw_{name}"
        report = ingest(IngestConfig(source_dir=source, raw_dir=raw_dir, buckets=INGEST_BUCKETS))
        found[name] = (source, read_raw_tables(raw_dir), report.fingerprint)
    return found


def _raw_dir(exports, name: str) -> Path:
    return exports[name][0].parent / f"raw_{name}"


def _ingest_writes(exports, tmp_path) -> int:
    with faults(Writes()) as writes:
        config = IngestConfig(source_dir=exports["b"][0], raw_dir=tmp_path / "count")
        ingest(config.model_copy(update={"buckets": INGEST_BUCKETS}))
    return writes.count


def _assert_raw_whole(raw_dir: Path, exports) -> str:
    """The published tables are A whole or B whole, with that export's manifest; which one."""
    tables = read_raw_tables(raw_dir)
    fingerprint = raw_manifest(raw_dir)["fingerprint"]
    (name,) = [name for name, (_, _, print_) in exports.items() if print_ == fingerprint]
    for table, frame in exports[name][1].items():
        pd.testing.assert_frame_equal(tables[table], frame, obj=f"{name}: {table}")
    return name


@pytest.mark.parametrize("kill", [False, True], ids=["exception", "kill"])
def test_a_crash_between_any_two_ingest_writes_leaves_one_whole_ingest(exports, tmp_path, kill):
    total = _ingest_writes(exports, tmp_path)
    assert total > 1
    seen = set()
    for limit in range(total + 1):
        raw_dir = tmp_path / f"raw_{limit}"
        shutil.copytree(_raw_dir(exports, "a"), raw_dir)
        config = IngestConfig(source_dir=exports["b"][0], raw_dir=raw_dir, buckets=INGEST_BUCKETS)
        with faults(Writes(limit), kill=kill):
            if limit < total:
                with pytest.raises(Crash):
                    ingest(config)
            else:
                ingest(config)
        seen.add(_assert_raw_whole(raw_dir, exports))
        temps, versions = leftovers(raw_dir)
        if not kill:
            assert temps == [], limit
            assert [v.name for v in versions] == [RawTables(raw_dir).version], limit
    assert seen == {"a", "b"}


def test_the_next_ingest_removes_what_a_killed_one_left(exports, tmp_path):
    raw_dir = tmp_path / "raw"
    shutil.copytree(_raw_dir(exports, "a"), raw_dir)
    config = IngestConfig(source_dir=exports["a"][0], raw_dir=raw_dir, buckets=INGEST_BUCKETS)
    with faults(Writes(_ingest_writes(exports, tmp_path) - 1), kill=True), pytest.raises(Crash):
        ingest(config.model_copy(update={"source_dir": exports["b"][0]}))
    temps, versions = leftovers(raw_dir)
    assert temps and len(versions) == 2
    age([*temps, *versions], 2 * HOUR)
    ingest(config.model_copy(update={"source_dir": exports["b"][0]}))
    temps, versions = leftovers(raw_dir)
    assert temps == []
    assert [v.name for v in versions] == [RawTables(raw_dir).version]
    assert _assert_raw_whole(raw_dir, exports) == "b"
