"""A bag-of-words risk score: TF-IDF on customer documents and a balanced logistic regression."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.utils.extmath import safe_sparse_dot

Documents = pd.Series | Sequence[str] | np.ndarray


def _as_documents(docs: Documents) -> list[str]:
    values = pd.Series(np.asarray(docs, dtype=object), dtype=object)
    return values.fillna("").astype(str).tolist()


class TextRiskModel(ClassifierMixin, BaseEstimator):
    """TF-IDF over space-separated tokens plus ``LogisticRegression(class_weight="balanced")``.

    Documents come from :func:`features.text.customer_documents`; tokens are split on spaces
    only (segmentation already happened), so Chinese words and mask tokens stay whole.

    Args:
        ngram_range: Token n-gram range of the TF-IDF vocabulary.
        min_df: Minimum document frequency of a vocabulary entry (count or share).
        max_df: Maximum document frequency (share), drops ubiquitous tokens.
        max_features: Vocabulary size cap (most frequent entries).
        sublinear_tf: Use ``1 + log(tf)``.
        C: Inverse regularization strength of the logistic regression.
        max_iter: Iteration cap of the solver.

    Attributes:
        pipeline_: The fitted vectorizer and classifier.
        classes_: The two class labels seen in ``fit``.
    """

    def __init__(
        self,
        ngram_range: tuple[int, int] = (1, 2),
        min_df: int | float = 2,
        max_df: float = 0.95,
        max_features: int | None = 200_000,
        sublinear_tf: bool = True,
        C: float = 1.0,
        max_iter: int = 1000,
    ) -> None:
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_df = max_df
        self.max_features = max_features
        self.sublinear_tf = sublinear_tf
        self.C = C
        self.max_iter = max_iter

    def _pipeline(self) -> Pipeline:
        return make_pipeline(
            TfidfVectorizer(
                token_pattern=r"[^ ]+",
                lowercase=False,
                ngram_range=self.ngram_range,
                min_df=self.min_df,
                max_df=self.max_df,
                max_features=self.max_features,
                sublinear_tf=self.sublinear_tf,
                dtype=np.float32,
            ),
            LogisticRegression(
                C=self.C, class_weight="balanced", max_iter=self.max_iter, solver="liblinear"
            ),
        )

    def fit(self, docs: Documents, y: Sequence[int] | np.ndarray | pd.Series) -> TextRiskModel:
        """Fit on training-period documents and binary labels.

        Args:
            docs: One document per row (space-separated tokens; empty allowed).
            y: Binary labels aligned with ``docs``.

        Returns:
            The fitted model.

        Raises:
            ValueError: When ``y`` does not hold exactly two classes or lengths differ.
        """
        labels = np.asarray(y)
        documents = _as_documents(docs)
        if len(documents) != len(labels):
            raise ValueError(f"{len(documents)} documents but {len(labels)} labels")
        if np.unique(labels).size != 2:
            raise ValueError("TextRiskModel needs labels with exactly two classes")
        self.pipeline_ = self._pipeline().fit(documents, labels)
        self.classes_ = self.pipeline_.classes_
        return self

    def predict_proba(self, docs: Documents) -> np.ndarray:
        """Probability of the positive class (the larger label) for each document.

        Computed as the pipeline's logistic regression does it (``expit`` of the TF-IDF vector
        times the coefficients plus the intercept) without its per-call input validation, which
        cost more than the arithmetic for the one document of a real-time request.
        """
        vectorizer, classifier = self.pipeline_[0], self.pipeline_[-1]
        tfidf = vectorizer.transform(_as_documents(docs))
        scores = safe_sparse_dot(tfidf, classifier.coef_.T, dense_output=True)
        return expit(np.asarray(scores + classifier.intercept_).ravel())

    def predict(self, docs: Documents) -> np.ndarray:
        """Predicted label (positive when the probability is at least 0.5)."""
        return np.where(self.predict_proba(docs) >= 0.5, self.classes_[1], self.classes_[0])


def oof_scores(
    model: TextRiskModel,
    docs: Documents,
    y: Sequence[int] | np.ndarray | pd.Series,
    groups: Sequence[object] | np.ndarray | pd.Series,
    n_splits: int = 5,
    random_state: int = 0,
) -> np.ndarray:
    """Out-of-fold positive-class scores, folds split by group (e.g. customer id).

    Every row is scored by a clone of ``model`` fitted on folds that hold none of its group's
    rows, so the score can be a training feature without leaking the row's own label.

    Args:
        model: Unfitted template model (cloned per fold).
        docs: Documents, one per row.
        y: Binary labels.
        groups: Group of each row; all rows of a group fall in the same fold.
        n_splits: Number of folds (reduced to the number of groups when there are fewer).
        random_state: Seed of the shuffled stratified group split.

    Returns:
        Scores aligned with ``docs``.

    Raises:
        ValueError: With fewer than two groups, or when a training fold has a single class.
    """
    documents = np.asarray(_as_documents(docs), dtype=object)
    labels = np.asarray(y)
    group_ids = np.asarray(groups, dtype=object).astype(str)
    n_groups = np.unique(group_ids).size
    if n_groups < 2:
        raise ValueError("oof_scores needs at least two groups")
    splitter = StratifiedGroupKFold(
        n_splits=min(n_splits, n_groups), shuffle=True, random_state=random_state
    )
    scores = np.full(len(documents), np.nan)
    for train, test in splitter.split(documents, labels, group_ids):
        fold_model = clone(model).fit(documents[train], labels[train])
        scores[test] = fold_model.predict_proba(documents[test])
    return scores
