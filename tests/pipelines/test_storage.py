"""Atomic writes: an interrupted write leaves the previous file and no temp file behind."""

from __future__ import annotations

import pandas as pd
import pytest

from pipelines.storage import atomic_path, write_file_set, write_parquet_atomic


def test_interrupted_write_keeps_previous_file(tmp_path):
    target = tmp_path / "t.parquet"
    write_parquet_atomic(pd.DataFrame({"a": [1, 2]}), target)
    before = target.read_bytes()
    with pytest.raises(KeyboardInterrupt), atomic_path(target) as tmp:
        tmp.write_bytes(b"half a parquet file")
        raise KeyboardInterrupt
    assert target.read_bytes() == before
    assert list(tmp_path.iterdir()) == [target]


def test_failed_serialization_leaves_no_file(tmp_path):
    target = tmp_path / "new.parquet"
    unserializable = pd.DataFrame({"a": [object()]})
    with pytest.raises(Exception):  # noqa: B017 - pyarrow raises its own error types
        write_parquet_atomic(unserializable, target)
    assert list(tmp_path.iterdir()) == []


def test_successful_write_replaces_content(tmp_path):
    target = tmp_path / "t.parquet"
    write_parquet_atomic(pd.DataFrame({"a": [1]}), target)
    write_parquet_atomic(pd.DataFrame({"a": [2, 3]}), target)
    assert pd.read_parquet(target)["a"].tolist() == [2, 3]


def test_written_files_are_readable_by_others(tmp_path):
    target = write_parquet_atomic(pd.DataFrame({"a": [1]}), tmp_path / "t.parquet")
    assert target.stat().st_mode & 0o044 == 0o044


def test_a_file_set_is_unpublished_until_its_last_file_is_written(tmp_path):
    companion, marker = tmp_path / "gain.csv", tmp_path / "backtest.csv"

    def text(value):
        return lambda path: path.write_text(value)

    write_file_set([(companion, text("old")), (marker, text("old"))])

    def crash(path):
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_file_set([(companion, text("new")), (marker, crash)])
    assert companion.read_text() == "new"
    assert not marker.exists(), "the old marker must not pair with the new companion"
    assert [p.name for p in tmp_path.iterdir()] == ["gain.csv"]
    written = write_file_set([(companion, text("b")), (marker, text("b"))])
    assert written == [companion, marker] and marker.read_text() == "b"
