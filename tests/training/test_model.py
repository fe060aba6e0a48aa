"""The model artifact: scoring, reason codes, and refusing frames that do not match."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from features.text import TextRiskModel
from tests.training.world import SNAPSHOTS, SPECS, StandInTextModel, customer_frame, snapshot_rows
from training.booster import fit_booster
from training.calibration import Calibrator
from training.config import LightGBMParams
from training.feature_schema import FeatureSchema
from training.model import ProcareModel, score_models
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


@pytest.fixture(scope="module")
def pair(data) -> dict[str, ProcareModel]:
    """Models of both targets on one schema, each with its own TF-IDF text model fitted on the
    same documents (equal vectorizers, different coefficients)."""
    frame, documents = data
    features = frame.drop(columns=LABELS)
    docs = documents.reindex(features.index).fillna("").to_numpy(dtype=object)
    specs = {**SPECS, TEXT_SCORE: TEXT_SCORE_SPEC}
    models = {}
    for target in LABELS:
        labels = frame[target].to_numpy()
        text = TextRiskModel(min_df=1).fit(docs, labels)
        full = features.assign(**{TEXT_SCORE: text.predict_proba(docs)})
        declared = {c: SPECS[c].dtype for c in full.columns if c in SPECS}
        schema = FeatureSchema.from_frames([full], list(full.columns), declared)
        matrix = schema.to_matrix(full)
        booster = fit_booster(
            matrix,
            labels,
            list(full.columns),
            schema.categorical_indices,
            LightGBMParams(n_estimators=40),
            seed=0,
        )
        calibrator = Calibrator("sigmoid").fit(booster.predict(matrix, raw_score=True), labels)
        models[target] = ProcareModel(target, schema, booster, calibrator, specs, text)
    return models


def _assert_same_scores(got, expected) -> None:
    raw, reasons = got
    np.testing.assert_array_equal(raw.view(np.int64), expected[0].view(np.int64))
    assert reasons == expected[1]
    for row, expected_row in zip(reasons, expected[1], strict=True):
        for reason, other in zip(row, expected_row, strict=True):
            assert type(reason.value) is type(other.value)


def test_models_scored_together_or_row_by_row_get_exactly_their_batch_results(pair, data):
    """Sharing the check, matrix and text vectorization between models, and the few-row path,
    change nothing: raw scores bit for bit, reasons with the same values and phrases."""
    frame, documents = data
    features = frame.drop(columns=LABELS).head(60)
    first, second = pair.values()
    assert first.schema == second.schema
    alone = {m.target: m.score(features, documents, explain=True, top_k=5) for m in (first, second)}
    for rows in ([0], [17], [33, 34, 35], list(range(40, 48)), list(range(60))):
        part = features.iloc[rows]
        together = score_models([(first, part), (second, part)], documents, explain=True, top_k=5)
        for model, got in zip((first, second), together, strict=True):
            raw, reasons = alone[model.target]
            _assert_same_scores(got, (raw[rows], [reasons[r] for r in rows]))
            _assert_same_scores(model.score(part, documents, explain=True, top_k=5), got)
            np.testing.assert_array_equal(
                model._text_scores(part, documents),
                model._text_scores(features, documents)[rows],
            )
    plain = score_models([(first, features.iloc[[3]]), (second, features.iloc[[3]])], None)
    assert all(reasons == [[]] for _, reasons in plain)
    empty = score_models([(first, features.head(0)), (second, features.head(0))], documents)
    assert all(len(raw) == 0 and reasons == [] for raw, reasons in empty)


def test_one_row_reasons_read_values_of_every_dtype_as_the_batch_does(model, data):
    frame, documents = data
    features = frame.drop(columns=LABELS).head(30)
    odd = features.assign(
        acct_vip_level=pd.array(features["acct_vip_level"], dtype="Int64"),
        acct_region=features["acct_region"]
        .astype(object)
        .where(features.index != features.index[2]),
        bill_shock=features["bill_shock"].where(features["bill_shock"] > 0.1),
    )
    odd.loc[odd.index[4], "acct_vip_level"] = pd.NA
    batch = model.score(odd, documents, explain=True, top_k=len(odd.columns))
    for row in range(len(odd)):
        got = model.score(odd.iloc[[row]], documents, explain=True, top_k=len(odd.columns))
        _assert_same_scores(got, (batch[0][[row]], [batch[1][row]]))
