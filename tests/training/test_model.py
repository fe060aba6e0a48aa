"""The model artifact: scoring, reason codes, and refusing frames that do not match."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.training.world import SNAPSHOTS, SPECS, StandInTextModel, customer_frame, snapshot_rows
from training.booster import fit_booster
from training.calibration import Calibrator
from training.config import LightGBMParams
from training.feature_schema import FeatureSchema
from training.model import ProcareModel
from training.text_score import TEXT_SCORE, TEXT_SCORE_SPEC

LABELS = ["repeat_contact", "escalation"]


@pytest.fixture(scope="module")
def data():
    customers = customer_frame(800, seed=3)
    frame, documents, _ = snapshot_rows(customers, SNAPSHOTS[0], seed=3)
    return frame, documents


@pytest.fixture(scope="module")
def model(data) -> ProcareModel:
    frame, documents = data
    y = frame["escalation"].to_numpy()
    features = frame.drop(columns=LABELS)
    text = StandInTextModel().fit(documents.to_numpy(), y)
    full = features.assign(**{TEXT_SCORE: text.predict_proba(documents.to_numpy())})
    columns = list(full.columns)
    declared = {c: SPECS[c].dtype for c in columns if c in SPECS}
    schema = FeatureSchema.from_frames([full], columns, declared)
    booster = fit_booster(
        schema.to_matrix(full),
        y,
        columns,
        schema.categorical_indices,
        LightGBMParams(n_estimators=30),
        seed=0,
    )
    raw = booster.predict(schema.to_matrix(full), raw_score=True)
    specs = {**SPECS, TEXT_SCORE: TEXT_SCORE_SPEC}
    return ProcareModel(
        "escalation", schema, booster, Calibrator("sigmoid").fit(raw, y), specs, text_model=text
    )


def test_scores_are_probabilities_that_rank_the_signal(model, data):
    frame, documents = data
    prob = model.predict_proba(frame.drop(columns=LABELS), documents)
    assert prob.shape == (len(frame),) and ((prob > 0) & (prob < 1)).all()
    positives = frame["escalation"].to_numpy()
    assert prob[positives].mean() > 2 * prob[~positives].mean()


def test_input_columns_exclude_the_derived_text_score(model):
    assert TEXT_SCORE not in model.input_columns
    assert set(model.input_columns) == set(SPECS)


def test_missing_and_extra_columns_are_named_in_the_error(model, data):
    frame, documents = data
    features = frame.drop(columns=LABELS)
    with pytest.raises(ValueError, match=r"missing columns: 'bill_shock'"):
        model.predict_proba(features.drop(columns=["bill_shock"]), documents)
    with pytest.raises(ValueError, match=r"unexpected columns: 'escalation'"):
        model.predict_proba(frame.drop(columns=["repeat_contact"]), documents)
    with pytest.raises(ValueError, match=r"missing columns: 'acct_region'.*unexpected.*'zz'"):
        model.predict_proba(features.drop(columns=["acct_region"]).assign(zz=1), documents)


def test_column_order_does_not_matter(model, data):
    frame, documents = data
    features = frame.drop(columns=LABELS)
    shuffled = features[list(reversed(features.columns))]
    np.testing.assert_array_equal(
        model.predict_proba(shuffled, documents), model.predict_proba(features, documents)
    )


def test_unseen_and_string_categories_score_without_error(model, data):
    frame, documents = data
    features = frame.drop(columns=LABELS).head(20)
    as_strings = features.assign(
        acct_plan_type=features["acct_plan_type"].astype(str),
        acct_region=features["acct_region"].astype(str),
    )
    np.testing.assert_allclose(
        model.predict_proba(as_strings, documents), model.predict_proba(features, documents)
    )
    unseen = as_strings.assign(acct_region="atlantis", acct_plan_type=None)
    prob = model.predict_proba(unseen, documents)
    assert np.isfinite(prob).all()
    reordered = features.assign(
        acct_region=pd.Categorical(
            features["acct_region"].astype(str), categories=["west", "south", "north", "east"]
        )
    )
    np.testing.assert_allclose(
        model.predict_proba(reordered, documents), model.predict_proba(features, documents)
    )


def test_documents_align_by_customer_and_none_means_no_text(model, data):
    frame, documents = data
    features = frame.drop(columns=LABELS).head(50)
    by_index = model.predict_proba(features, documents.sample(frac=1.0, random_state=1))
    in_order = model.predict_proba(features, documents.reindex(features.index).tolist())
    np.testing.assert_allclose(by_index, in_order)
    blank = model.predict_proba(features, [""] * len(features))
    np.testing.assert_allclose(model.predict_proba(features, None), blank)
    with pytest.raises(ValueError, match="3 documents for 50 feature rows"):
        model.predict_proba(features, ["a", "b", "c"])


def test_explain_gives_positive_contributions_with_registry_phrases(model, data):
    frame, documents = data
    features = frame.drop(columns=LABELS)
    prob = model.predict_proba(features, documents)
    riskiest = features.iloc[np.argsort(-prob)[:5]]
    reasons = model.explain(riskiest, documents, top_k=3)
    assert len(reasons) == 5
    for row in reasons:
        assert 1 <= len(row) <= 3
        contributions = [r.contribution for r in row]
        assert contributions == sorted(contributions, reverse=True) and min(contributions) > 0
        for reason in row:
            spec = model.specs[reason.feature]
            assert reason.zh == spec.reason(reason.value, "zh")
            assert reason.en == spec.reason(reason.value, "en")
    assert model.explain(riskiest.head(0), documents) == []
