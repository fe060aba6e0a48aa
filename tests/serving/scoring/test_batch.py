"""Batch scoring of a snapshot bucket by bucket: reasons only for the shown customers, the
same file on every engine, and everything a shown customer gets as scoring with all reasons."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from pipelines.engine import EngineConfig
from pipelines.scores import read_scores
from pipelines.snapshot import read_snapshot
from serving.scoring.batch import BatchScoreConfig, score_snapshot
from serving.scoring.score import ShownCustomers, score_customers, top_share_cutoffs
from tests.training.conftest import temporary_tracking
from training.champions import ScoringConfig, load_champions

SCORE_COLUMNS = ["p_repeat_contact", "p_escalation", "risk_tier"]
SHOWN_COLUMNS = ["action", "action_zh", "action_en", "team"]


@pytest.fixture(scope="module")
def scored(served_world):
    """The served world's scores (written by ``score_snapshot``), the snapshot, the champions
    and the snapshot scored whole with every customer's reasons (the path before)."""
    scores, _ = read_scores(served_world.scores_dir, served_world.as_of)
    snapshot = read_snapshot(served_world.demo.features_dir, served_world.as_of)
    with temporary_tracking(served_world.mlflow_dir) as tracking:
        champions = load_champions(tracking)
    full = score_customers(champions, snapshot.frame, snapshot.documents)
    return scores, snapshot, champions, full


def _json(reasons) -> list[str]:
    return [json.dumps(r, ensure_ascii=False, default=str) for r in reasons]


def test_shown_customers_get_exactly_what_scoring_everyone_with_reasons_gives(scored):
    scores, _, _, full = scored
    assert scores.index.sort_values().equals(full.index.sort_values())
    scores = scores.loc[full.index]
    shown = full["risk_tier"].isin(["high", "medium"]).to_numpy()
    assert 0 < shown.sum() < len(full)
    for column in SCORE_COLUMNS:
        np.testing.assert_array_equal(scores[column].to_numpy(), full[column].to_numpy())
    for column in SHOWN_COLUMNS:
        np.testing.assert_array_equal(scores[column][shown], full[column][shown])
    assert _json(scores["reasons"][shown]) == _json(full["reasons"][shown])
    assert scores["reasons"][~shown].isna().all()


def test_customers_not_shown_get_probabilities_tier_and_a_scores_only_action(scored):
    scores, _, _, full = scored
    low = scores[scores["risk_tier"] == "low"]
    np.testing.assert_array_equal(
        low["p_escalation"].to_numpy(), full.loc[low.index, "p_escalation"].to_numpy()
    )
    assert set(low["action"]) <= {"care_call", "crisis_team_handoff", "supervisor_escalation"}


def test_a_top_share_adds_the_highest_probabilities_below_the_tiers(scored):
    _, snapshot, champions, full = scored
    probabilities = {t: full[f"p_{t}"].to_numpy() for t in ("repeat_contact", "escalation")}
    cutoffs = top_share_cutoffs(probabilities, 0.5)
    shown = ShownCustomers.of(ScoringConfig(reasons_for_tiers=()), cutoffs)
    mask = shown.mask(probabilities, full["risk_tier"].to_numpy())
    assert (probabilities["escalation"][mask] >= cutoffs["escalation"]).any()
    assert mask.sum() >= len(full) // 2
    partial = score_customers(
        champions, snapshot.frame, snapshot.documents, ScoringConfig(), shown=shown
    )
    assert _json(partial["reasons"][mask]) == _json(full["reasons"][mask])
    assert partial["reasons"][~mask].isna().all()
    assert top_share_cutoffs(probabilities, 0.0) == {}


def test_the_setting_round_trips_as_part_of_the_carried_configuration():
    config = ScoringConfig(reasons_for_tiers=("high",), reasons_top_share=0.05)
    assert ScoringConfig.model_validate(config.model_dump(mode="json")) == config
    with pytest.raises(ValueError, match="reasons_for_tiers"):
        ScoringConfig(reasons_for_tiers=("urgent",))


@pytest.mark.xdist_group("dask")
def test_dask_workers_write_the_same_score_file_as_the_local_engine(
    served_world, dask_client, tmp_path
):
    address = dask_client.scheduler.address
    files = {}
    for kind in ("local", "dask"):
        config = BatchScoreConfig(
            as_of=served_world.as_of,
            features_dir=served_world.demo.features_dir,
            scores_dir=tmp_path / kind,
            chunk_rows=300,
            engine=EngineConfig(kind=kind, scheduler=address if kind == "dask" else None),
        )
        with temporary_tracking(served_world.mlflow_dir) as tracking:
            path, count = score_snapshot(config, tracking)
        assert count == 1500
        files[kind] = pd.read_parquet(path)
    pd.testing.assert_frame_equal(files["local"], files["dask"])
