"""The text-model score: out of fold on training rows, plain predictions on validation rows."""

from __future__ import annotations

import numpy as np

from tests.training.world import SNAPSHOTS, STAND_IN_SCORER, customer_frame, snapshot_rows
from training.evaluate import roc_auc
from training.text_score import (
    default_text_scorer,
    fit_text_scores,
    grouped_folds,
    positive_scores,
)


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


def test_grouped_folds_equal_scikit_learns_stratified_group_k_fold():
    """The fast splitter reproduces ``StratifiedGroupKFold`` exactly, ties included."""
    from sklearn.model_selection import StratifiedGroupKFold

    rng = np.random.default_rng(7)
    for trial in range(60):
        n = int(rng.integers(30, 300))
        groups = rng.integers(0, int(rng.integers(6, n)), n).astype(str)
        y = rng.integers(0, 3, n) if trial % 4 == 0 else rng.random(n) < rng.choice([0.1, 0.5])
        n_splits, seed = int(rng.integers(2, 6)), int(rng.integers(0, 50))
        splitter = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=seed)
        expected = list(splitter.split(np.zeros(n), y, groups))
        for (fit, score), (want_fit, want_score) in zip(
            grouped_folds(y, groups, n_splits, seed), expected, strict=True
        ):
            np.testing.assert_array_equal(fit, want_fit)
            np.testing.assert_array_equal(score, want_score)


def test_folds_from_counted_documents_equal_the_real_models_folds():
    """Counting each document once gives the same vectorizer, classifier and scores per fold,
    with personal-looking terms dropped, rare and ubiquitous terms pruned, missing texts."""
    from training.text_score import (
        count_documents,
        counted_fold_scores,
        fold_scores,
        merge_counts,
    )

    docs, y, groups, _, _ = _rows()
    docs = docs.copy()
    docs[::7] = docs[::7] + " 13912345678 王先生 投诉 投诉"
    docs[3::11] = None
    docs[5::13] = "独一无二的词"
    scorer = default_text_scorer()
    vectorizer = scorer.make_model()._vectorizer()
    counted = count_documents(vectorizer, docs)
    merged = merge_counts([count_documents(vectorizer, part) for part in np.array_split(docs, 3)])
    assert merged.terms.tolist() == counted.terms.tolist()
    for name in ("data", "indices", "indptr"):
        np.testing.assert_array_equal(getattr(merged.counts, name), getattr(counted.counts, name))
    labels = np.asarray(y)
    for fit, score in grouped_folds(labels, groups, 4, 1):
        expected = fold_scores(scorer, docs, labels, fit, score)
        counted_scores = counted_fold_scores(scorer, counted, labels[fit], fit, score)
        np.testing.assert_array_equal(counted_scores, expected)
