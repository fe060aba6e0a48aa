"""Score files: one part per bucket, published together with their versions by one pointer."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest

from pipelines.catalog import ScoreStore
from pipelines.scores import read_scores, read_scores_scoring, score_writer, write_scores
from pipelines.stage_schemas import StageFileError
from tests.pipelines.test_stage_schemas import _scores

AS_OF = date(2026, 8, 31)
OLD = {"repeat_contact": {"version": "1"}}
NEW = {"repeat_contact": {"version": "2"}}


def _write_in_buckets(root, scores: pd.DataFrame, versions: dict, buckets: int = 4) -> None:
    with score_writer(root, AS_OF, versions, {"tiers": "x"}) as writer:
        for bucket in reversed(range(buckets)):
            writer.write(scores.iloc[bucket::buckets], bucket=bucket)


def test_parts_read_back_in_bucket_order_with_versions_and_scoring(tmp_path):
    scores = _scores(40)
    _write_in_buckets(tmp_path, scores, NEW)
    files = ScoreStore(tmp_path).at(AS_OF)
    assert [path.name for path in files.parts()] == [f"part-0000{b}.parquet" for b in range(4)]
    table, versions = read_scores(tmp_path, AS_OF)
    expected = pd.concat([scores.iloc[b::4] for b in range(4)])
    pd.testing.assert_frame_equal(table, expected)
    assert versions == NEW and read_scores_scoring(tmp_path, AS_OF) == {"tiers": "x"}
    assert json.loads(files.meta.read_text())["rows"] == 40


def test_a_failed_run_leaves_the_previous_scores_whole(tmp_path):
    write_scores(_scores(40, seed=1), tmp_path, AS_OF, OLD)
    before, _ = read_scores(tmp_path, AS_OF)
    with pytest.raises(RuntimeError), score_writer(tmp_path, AS_OF, NEW) as writer:
        writer.write(_scores(40, seed=2).iloc[:20], bucket=0)
        raise RuntimeError("worker lost")
    after, versions = read_scores(tmp_path, AS_OF)
    pd.testing.assert_frame_equal(after, before)
    assert versions == OLD
    assert len(list(ScoreStore(tmp_path).at(AS_OF).folder.glob("v-*"))) == 1


def test_scores_being_written_are_not_listed_until_published(tmp_path):
    store = ScoreStore(tmp_path)
    with score_writer(tmp_path, AS_OF, NEW) as writer:
        writer.write(_scores(10), bucket=0)
        assert store.available() == []
    assert store.available() == [AS_OF]


def test_older_single_file_scores_are_read_then_replaced(tmp_path):
    files = ScoreStore(tmp_path).at(AS_OF)
    files.folder.mkdir(parents=True)
    legacy = _scores(12).reset_index()
    legacy["reasons"] = [json.dumps(r) for r in legacy["reasons"]]
    legacy.to_parquet(files.folder / "scores.parquet", index=False)
    (files.folder / "versions.json").write_text(json.dumps(OLD))
    table, versions = read_scores(tmp_path, AS_OF)
    assert len(table) == 12 and versions == OLD
    write_scores(_scores(30), tmp_path, AS_OF, NEW)
    assert not (files.folder / "scores.parquet").exists()
    assert read_scores(tmp_path, AS_OF)[1] == NEW


def test_a_customer_in_two_parts_is_refused(tmp_path):
    scores = _scores(10)
    with score_writer(tmp_path, AS_OF, NEW) as writer:
        writer.write(scores, bucket=0)
        writer.write(scores.iloc[:1], bucket=1)
    with pytest.raises(StageFileError, match="customer_id: unique"):
        read_scores(tmp_path, AS_OF)
