"""Writing a world month by month gives the same files as generating it in memory."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from pipelines.catalog import WorldFiles
from pipelines.synthetic import WorldConfig, generate_world, save_world
from pipelines.synthetic.stream import write_world


@pytest.mark.parametrize("seed", [3, 11])
def test_streamed_world_equals_the_in_memory_world(tmp_path, seed) -> None:
    config = WorldConfig(customers=400, months=6, seed=seed)
    in_memory = save_world(generate_world(config), tmp_path / "memory")
    rows = write_world(config, tmp_path / "stream")
    streamed = WorldFiles(tmp_path / "stream")
    for name, path in in_memory.items():
        if name == "world":
            assert json.loads(streamed.params.read_text()) == json.loads(path.read_text())
            continue
        relative = path.relative_to(tmp_path / "memory")
        expected = pd.read_parquet(path)
        actual = pd.read_parquet(tmp_path / "stream" / relative)
        pd.testing.assert_frame_equal(actual, expected, check_exact=True)
        assert rows[name] == len(expected), name


def test_a_failed_run_leaves_no_partial_world(tmp_path, monkeypatch) -> None:
    import pipelines.synthetic.stream as stream

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(stream, "customers_frame", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        write_world(WorldConfig(customers=200, months=3, seed=1), tmp_path / "world")
    leftovers = [p for p in (tmp_path / "world").rglob("*") if p.is_file()]
    assert leftovers == []
