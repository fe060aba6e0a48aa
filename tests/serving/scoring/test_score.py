"""Scoring with both champions: probabilities, tiers, reasons and actions in one pass."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from serving.scoring.score import ScoringConfig, TierConfig, score_customers
from tests.training.test_model import LABELS, data, model  # noqa: F401  (fixtures)
from training.champions import ChampionModels


@pytest.fixture(scope="module")
def champions(model):  # noqa: F811
    return ChampionModels({"repeat_contact": model, "escalation": model})


def test_probabilities_equal_each_models_own_predictions(champions, model, data):  # noqa: F811
    frame, documents = data
    features = frame.drop(columns=LABELS)
    scored = score_customers(champions, features, documents)
    expected = model.predict_proba(features, documents)
    np.testing.assert_allclose(scored["p_repeat_contact"], expected, rtol=0, atol=1e-12)
    np.testing.assert_allclose(scored["p_escalation"], expected, rtol=0, atol=1e-12)
    assert scored.index.equals(features.index)


def test_one_customer_scored_alone_gets_the_batch_row(champions, data):  # noqa: F811
    frame, documents = data
    features = frame.drop(columns=LABELS)
    batch = score_customers(champions, features, documents)
    for position in (0, 17, 311):
        alone = score_customers(champions, features.iloc[[position]], documents)
        row = batch.iloc[position]
        assert alone["p_escalation"].iloc[0] == pytest.approx(row["p_escalation"], abs=1e-12)
        assert alone["action"].iloc[0] == row["action"]
        assert alone["reasons"].iloc[0] == row["reasons"]


def test_reasons_push_risk_up_strongest_first_without_account_attributes(
    champions,
    data,  # noqa: F811
):
    frame, documents = data
    scored = score_customers(
        champions, frame.drop(columns=LABELS), documents, ScoringConfig(top_reasons=3)
    )
    shown = [reason for reasons in scored["reasons"] for reason in reasons]
    assert shown, "some customer must get reasons"
    assert all(len(reasons) <= 3 for reasons in scored["reasons"])
    assert all(reason["contribution"] > 0 for reason in shown)
    assert not any(reason["feature"].startswith("acct_") for reason in shown)
    for reasons in scored["reasons"]:
        contributions = [reason["contribution"] for reason in reasons]
        assert contributions == sorted(contributions, reverse=True)
        assert len({reason["feature"] for reason in reasons}) == len(reasons)


def test_without_explain_there_are_no_reasons_but_the_same_scores(champions, data):  # noqa: F811
    frame, documents = data
    features = frame.drop(columns=LABELS)
    explained = score_customers(champions, features, documents)
    plain = score_customers(champions, features, documents, explain=False)
    assert all(reasons == [] for reasons in plain["reasons"])
    np.testing.assert_array_equal(plain["p_escalation"], explained["p_escalation"])


def test_tiers_follow_the_configured_cut_offs(champions, data):  # noqa: F811
    frame, documents = data
    tiers = TierConfig(
        high_repeat=0.9, high_escalation=0.5, medium_repeat=0.9, medium_escalation=0.2
    )
    scored = score_customers(
        champions, frame.drop(columns=LABELS), documents, ScoringConfig(tiers=tiers)
    )
    p = scored["p_escalation"].to_numpy()
    expected = np.where(p >= 0.5, "high", np.where(p >= 0.2, "medium", "low"))
    np.testing.assert_array_equal(scored["risk_tier"].to_numpy(), expected)
    assert {"high", "low"} <= set(expected)


def test_a_few_customers_scored_alone_get_exactly_their_batch_rows(champions, data):  # noqa: F811
    """The one-row path (shared check and matrix, Python values, object columns) builds the
    same frame as the batch: bit-identical probabilities, same reasons, tiers and dtypes."""
    frame, documents = data
    features = frame.drop(columns=LABELS).head(100)
    for explain in (True, False):
        batch = score_customers(champions, features, documents, explain=explain)
        for rows in ([0], [17], [41], [5, 6, 7], list(range(50, 58))):
            alone = score_customers(champions, features.iloc[rows], documents, explain=explain)
            pd.testing.assert_frame_equal(alone, batch.iloc[rows], check_exact=True)
            for column in ("p_repeat_contact", "p_escalation"):
                np.testing.assert_array_equal(
                    alone[column].to_numpy().view(np.int64),
                    batch[column].to_numpy()[rows].view(np.int64),
                )
            assert [type(v) for v in alone["risk_tier"]] == [str] * len(rows)
    empty = score_customers(champions, features.head(0), documents)
    assert empty.shape == (0, 8) and empty.index.equals(features.index[:0])
