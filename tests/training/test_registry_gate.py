"""The promotion gate's decision, and the refusal to alias a version of an unfinished run."""

from __future__ import annotations

import pytest

from training.registry import (
    CHALLENGER,
    CHAMPION,
    UnfinishedRunError,
    beats,
    gate,
    promote,
    show_model,
)


def test_first_model_becomes_champion():
    decision = gate("m", "1", "pr_auc", 0.2, None, None)
    assert decision.alias == CHAMPION and decision.promoted


def test_better_model_wins_and_equal_or_worse_model_is_a_challenger():
    assert gate("m", "2", "pr_auc", 0.31, 0.30, "1").alias == CHAMPION
    assert gate("m", "2", "pr_auc", 0.30, 0.30, "1").alias == CHALLENGER
    worse = gate("m", "2", "pr_auc", 0.25, 0.30, "1")
    assert worse.alias == CHALLENGER and not worse.promoted and "<=" in worse.reason


def test_champion_that_cannot_be_compared_keeps_the_candidate_a_challenger():
    decision = gate("m", "2", "pr_auc", 0.9, None, "1", not_comparable="different features")
    assert decision.alias == CHALLENGER and "different features" in decision.reason


def test_beats_is_strict():
    assert beats(0.5, None) and beats(0.5, 0.4)
    assert not beats(0.4, 0.4) and not beats(None, 0.1)


def test_candidate_without_a_score_is_never_promoted_over_a_champion():
    decision = gate("m", "3", "pr_auc", None, 0.3, "1")
    assert decision.alias == CHALLENGER and "no recorded pr_auc" in decision.reason


def _version_of_a_run(tracking, status: str | None) -> str:
    """Version 1 of model ``m`` from a new run left ``status`` (``None``: still RUNNING)."""
    client = tracking.client()
    run = client.create_run(tracking.ensure_experiment("procare-m"))
    if status is not None:
        client.set_terminated(run.info.run_id, status)
    client.create_registered_model("m")
    version = client.create_model_version("m", f"runs:/{run.info.run_id}/model", run.info.run_id)
    client.set_model_version_tag("m", version.version, "parent_run_id", run.info.run_id)
    return str(version.version)


@pytest.mark.parametrize("status", [None, "FAILED", "KILLED"])
def test_a_version_of_an_unfinished_run_never_gets_an_alias_even_forced(tracking, status):
    version = _version_of_a_run(tracking, status)
    for force in (False, True):
        with pytest.raises(UnfinishedRunError, match="not FINISHED"):
            promote("m", version, force=force, settings=tracking)
    assert tracking.client().get_registered_model("m").aliases == {}


def test_a_version_of_a_finished_run_is_promoted(tracking):
    version = _version_of_a_run(tracking, "FINISHED")
    assert promote("m", version, settings=tracking).promoted
    assert show_model("m", tracking)[0].aliases == [CHAMPION]
