"""The text-model score: out of fold on training rows, plain predictions on validation rows."""

from __future__ import annotations

import numpy as np

from tests.training.world import SNAPSHOTS, STAND_IN_SCORER, customer_frame, snapshot_rows
from training.evaluate import roc_auc
from training.text_score import default_text_scorer, fit_text_scores, positive_scores


def _rows():
    customers = customer_frame(600, seed=11)
    train = [snapshot_rows(customers, as_of, seed=11) for as_of in SNAPSHOTS[:2]]
    valid, valid_docs, _ = snapshot_rows(customers, SNAPSHOTS[2], seed=11)
    docs = np.concatenate([d.to_numpy(dtype=object) for _, d, _ in train])
    y = np.concatenate([f["escalation"].to_numpy() for f, _, _ in train])
    groups = np.concatenate([f.index.to_numpy(dtype=object) for f, _, _ in train])
    return docs, y, groups, valid_docs.to_numpy(dtype=object), valid["escalation"].to_numpy()


def test_real_text_model_scores_out_of_fold_and_ranks_validation_rows():
    docs, y, groups, valid_docs, y_valid = _rows()
    scores = fit_text_scores(default_text_scorer(), docs, y, groups, valid_docs, 3, seed=0)
    assert scores.train.shape == (len(docs),) and scores.valid.shape == (len(valid_docs),)
    in_sample = positive_scores(scores.model.predict_proba(docs))
    assert not np.allclose(scores.train, in_sample)
    assert roc_auc(y_valid, scores.valid) > 0.6


def test_stand_in_and_real_scorers_share_one_interface():
    docs, y, groups, valid_docs, _ = _rows()
    first = fit_text_scores(STAND_IN_SCORER, docs, y, groups, valid_docs, 3, seed=0)
    second = fit_text_scores(STAND_IN_SCORER, docs, y, groups, valid_docs, 3, seed=0)
    np.testing.assert_array_equal(first.train, second.train)
    assert positive_scores(np.array([[0.2, 0.8]])).tolist() == [0.8]


def test_registered_text_model_holds_no_personal_terms():
    import pytest

    from training.text_score import check_vocabulary, fit_text_model

    docs, y, _, valid_docs, _ = _rows()
    docs = np.array([f"{doc} 13812345678 王先生" for doc in docs], dtype=object)
    model, _ = fit_text_model(default_text_scorer(), docs, y, valid_docs)
    assert not any("138" in term or "王" in term for term in model.pipeline_[0].vocabulary_)
    leaky = STAND_IN_SCORER.make_model().fit(docs, y)
    with pytest.raises(ValueError, match="2 personal-looking") as error:
        check_vocabulary(leaky)
    assert "138" not in str(error.value)
