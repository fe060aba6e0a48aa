"""The text-model score feature (``txt_model_score``): a TF-IDF risk model on complaint texts.

It is fitted on training-period documents only: training rows get out-of-fold scores (grouped by
customer, so one customer's snapshots never score each other), validation and scoring rows get
the fitted model's plain ``predict_proba``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from features.registry import FeatureSpec

TEXT_SCORE = "txt_model_score"

TEXT_SCORE_SPEC = FeatureSpec(
    TEXT_SCORE,
    "text",
    description_en="Risk score of a text model on the customer's last-90-day complaint texts",
    description_zh="近90天投诉文本的文本模型风险分",
    reason_en="complaint wording resembles past cases (text score {value:.2f})",
    reason_zh="投诉用语与历史高风险案例相似（文本分 {value:.2f}）",
)


@dataclass(frozen=True)
class TextScorer:
    """How to build and cross-fit the text model.

    Attributes:
        make_model: A fresh unfitted estimator with ``fit(docs, y)`` and ``predict_proba(docs)``.
        oof_scores: ``(model, docs, y, groups, n_splits, random_state) -> scores`` out of fold.
        folds: ``(y, groups, n_splits, random_state) -> [(fit_rows, score_rows), ...]``, the
            folds ``oof_scores`` uses; when given, each fold can be fitted as its own task
            (:func:`fold_scores`) with the same result. ``None``: ``oof_scores`` is one task.
    """

    make_model: Callable[[], Any]
    oof_scores: Callable[..., np.ndarray]
    folds: Callable[..., list[tuple[np.ndarray, np.ndarray]]] | None = None


def default_text_scorer() -> TextScorer:
    """The product's text model, :class:`features.text.TextRiskModel`."""
    from features.text import TextRiskModel, oof_scores

    return TextScorer(make_model=TextRiskModel, oof_scores=oof_scores, folds=grouped_folds)


def grouped_folds(
    y: np.ndarray, groups: np.ndarray, n_splits: int, random_state: int
) -> list[tuple[np.ndarray, np.ndarray]]:
    """The folds of :func:`features.text.oof_scores`: shuffled, stratified, grouped by customer.

    Raises:
        ValueError: With fewer than two groups.
    """
    from sklearn.model_selection import StratifiedGroupKFold

    labels = np.asarray(y)
    group_ids = np.asarray(groups, dtype=object).astype(str)
    n_groups = np.unique(group_ids).size
    if n_groups < 2:
        raise ValueError("oof_scores needs at least two groups")
    splitter = StratifiedGroupKFold(
        n_splits=min(n_splits, n_groups), shuffle=True, random_state=random_state
    )
    return list(splitter.split(np.zeros(len(labels)), labels, group_ids))


def fold_scores(
    scorer: TextScorer,
    docs: np.ndarray,
    y: np.ndarray,
    fit_rows: np.ndarray,
    score_rows: np.ndarray,
) -> np.ndarray:
    """Scores of ``score_rows`` by a text model fitted on ``fit_rows`` (one out-of-fold fold)."""
    docs = np.asarray(docs, dtype=object)
    labels = np.asarray(y)
    model = scorer.make_model().fit(docs[fit_rows], labels[fit_rows])
    return positive_scores(model.predict_proba(docs[score_rows]))


def fit_text_model(
    scorer: TextScorer, docs: np.ndarray, y: np.ndarray, valid_docs: np.ndarray
) -> tuple[Any, np.ndarray]:
    """The text model fitted on every training document, and its validation scores.

    Raises:
        ValueError: When the fitted model's vocabulary holds a personal-looking term
            (:func:`check_vocabulary`); this is the model that gets registered.
    """
    model = scorer.make_model().fit(docs, y)
    check_vocabulary(model)
    return model, positive_scores(model.predict_proba(valid_docs))


def check_vocabulary(model: Any) -> None:
    """Refuse a fitted text model whose vocabulary holds personal-looking terms.

    Every fitted step of ``model.pipeline_`` (or ``model`` itself) with a ``vocabulary_`` is
    checked with :func:`features.text.pii_vocabulary.personal_terms`. The error names the
    count of terms only, never a term.

    Raises:
        ValueError: When any term looks like personal data.
    """
    from features.text.pii_vocabulary import personal_terms

    pipeline = getattr(model, "pipeline_", model)
    steps = getattr(pipeline, "named_steps", {"model": pipeline}).values()
    for step in steps:
        vocabulary = getattr(step, "vocabulary_", None)
        if vocabulary:
            count = int(personal_terms(vocabulary).sum())
            if count:
                raise ValueError(f"text model vocabulary holds {count} personal-looking term(s)")


def positive_scores(proba: np.ndarray) -> np.ndarray:
    """Positive-class scores from a 1-D or 2-D ``predict_proba`` output."""
    proba = np.asarray(proba, dtype=np.float64)
    return proba[:, 1] if proba.ndim == 2 else proba


@dataclass(frozen=True)
class TextScores:
    """A fitted text model with its training (out-of-fold) and validation scores."""

    model: Any
    train: np.ndarray
    valid: np.ndarray


def fit_text_scores(
    scorer: TextScorer,
    train_docs: np.ndarray,
    y: np.ndarray,
    groups: np.ndarray,
    valid_docs: np.ndarray,
    n_splits: int,
    seed: int,
) -> TextScores:
    """Fit the text model on training documents; score training rows out of fold."""
    oof = scorer.oof_scores(
        scorer.make_model(), train_docs, y, groups, n_splits=n_splits, random_state=seed
    )
    model, valid = fit_text_model(scorer, train_docs, y, valid_docs)
    return TextScores(model, positive_scores(oof), valid)
