"""The promotion gate's decision (no MLflow needed)."""

from __future__ import annotations

from training.registry import CHALLENGER, CHAMPION, beats, gate


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
