"""A bag-of-words risk score: TF-IDF on customer documents and a balanced logistic regression."""

from __future__ import annotations

import hashlib
import math
import pickle
import weakref
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import normalize
from sklearn.utils.extmath import safe_sparse_dot

from features.text.pii_vocabulary import personal_terms

Documents = pd.Series | Sequence[str] | np.ndarray

FEW_DOCUMENTS = 8
"""Up to this many documents are vectorized by :func:`_few_tfidf` instead of the vectorizer's
``transform``, whose per-call validation and sparse-matrix set-up cost most of a millisecond."""

_FINGERPRINTS: weakref.WeakKeyDictionary[TfidfVectorizer, str] = weakref.WeakKeyDictionary()


def _as_documents(docs: Documents) -> list[str]:
    values = np.asarray(docs, dtype=object)
    if values.ndim == 1 and len(values) <= FEW_DOCUMENTS:
        texts = [_few_text(value) for value in values]
        if all(text is not None for text in texts):
            return texts
    return pd.Series(values, dtype=object).fillna("").astype(str).tolist()


def _few_text(value: object) -> str | None:
    """The document ``fillna("").astype(str)`` makes of one plain value, else ``None``."""
    if type(value) is str:
        return value
    if value is None or (type(value) is float and math.isnan(value)):
        return ""
    return None


def _few_tfidf(
    vectorizer: TfidfVectorizer, documents: list[str]
) -> list[tuple[np.ndarray, np.ndarray]] | None:
    """Per document, the vocabulary indices (ascending) and weights of its TF-IDF row.

    The same arithmetic as ``vectorizer.transform`` in the same order (counts cast to the
    vectorizer's dtype, in-place log and idf product on the rows' concatenated values, l2 norm
    summed in float64 in index order), so the weights are bit-identical. ``None`` when the
    vectorizer's settings are ones this path does not reproduce.
    """
    tfidf = getattr(vectorizer, "_tfidf", None)
    dtype = np.dtype(vectorizer.dtype)
    if tfidf is None or dtype not in (np.float32, np.float64) or tfidf.norm not in ("l2", None):
        return None
    analyze = vectorizer.build_analyzer()
    vocabulary = vectorizer.vocabulary_
    indices: list[int] = []
    counts: list[int] = []
    bounds = [0]
    for document in documents:
        counter: dict[int, int] = {}
        for feature in analyze(document):
            index = vocabulary.get(feature)
            if index is not None:
                counter[index] = counter.get(index, 0) + 1
        for index in sorted(counter):
            indices.append(index)
            counts.append(counter[index])
        bounds.append(len(indices))
    columns = np.asarray(indices, dtype=np.int64)
    data = np.asarray(counts, dtype=np.intc).astype(dtype)
    if vectorizer.binary:
        data.fill(1)
    if tfidf.sublinear_tf:
        np.log(data, data)
        data += 1.0
    if hasattr(tfidf, "idf_"):
        data *= tfidf.idf_[columns]
    rows = []
    for start, stop in zip(bounds[:-1], bounds[1:], strict=True):
        weights = data[start:stop]
        if tfidf.norm == "l2":
            total = 0.0
            for square in (weights * weights).tolist():
                total += square
            if total != 0.0:
                weights = (weights.astype(np.float64) / math.sqrt(total)).astype(dtype)
        rows.append((columns[start:stop], weights))
    return rows


def _fingerprint(vectorizer: TfidfVectorizer) -> str:
    """Digest of a fitted vectorizer's parameters, vocabulary and idf (computed once)."""
    known = _FINGERPRINTS.get(vectorizer)
    if known is None:
        vocabulary = sorted((int(i), term) for term, i in vectorizer.vocabulary_.items())
        tfidf = getattr(vectorizer, "_tfidf", None)
        idf = getattr(tfidf, "idf_", None)
        content = (
            type(vectorizer).__qualname__,
            repr(sorted(vectorizer.get_params(deep=False).items())),
            repr(tfidf),
            vocabulary,
            None if idf is None else (str(idf.dtype), idf.tobytes()),
        )
        known = hashlib.sha256(pickle.dumps(content, protocol=5)).hexdigest()
        _FINGERPRINTS[vectorizer] = known
    return known


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

    def _vectorizer(self) -> TfidfVectorizer:
        return TfidfVectorizer(
            token_pattern=r"[^ ]+",
            lowercase=False,
            ngram_range=self.ngram_range,
            min_df=self.min_df,
            max_df=self.max_df,
            max_features=self.max_features,
            sublinear_tf=self.sublinear_tf,
            dtype=np.float32,
        )

    def _classifier(self) -> LogisticRegression:
        return LogisticRegression(
            C=self.C, class_weight="balanced", max_iter=self.max_iter, solver="liblinear"
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
        vectorizer = self._vectorizer()
        tfidf = drop_personal_terms(vectorizer, vectorizer.fit_transform(documents))
        classifier = self._classifier().fit(tfidf, labels)
        self.pipeline_ = Pipeline(
            [("tfidfvectorizer", vectorizer), ("logisticregression", classifier)]
        )
        self.classes_ = self.pipeline_.classes_
        return self

    def predict_proba(self, docs: Documents) -> np.ndarray:
        """Probability of the positive class (the larger label) for each document.

        Computed as the pipeline's logistic regression does it (``expit`` of the TF-IDF vector
        times the coefficients plus the intercept) without its per-call input validation, which
        cost more than the arithmetic for the one document of a real-time request. A few
        documents (the real-time path) skip the vectorizer's sparse-matrix machinery as well,
        with bit-identical results.
        """
        return predict_proba_many([self], docs)[0]

    def _proba_of_rows(self, rows: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
        """:meth:`predict_proba` from :func:`_few_tfidf` rows: the sparse row times the
        coefficients summed in index order in float64, as scipy's CSR product does."""
        classifier = self.pipeline_[-1]
        coef = classifier.coef_[0]
        scores = np.zeros(len(rows), dtype=np.float64)
        for position, (columns, weights) in enumerate(rows):
            total = 0.0
            for product in (weights.astype(np.float64) * coef[columns]).tolist():
                total += product
            scores[position] = total
        return expit(scores + classifier.intercept_)

    def _proba_of_matrix(self, tfidf: object) -> np.ndarray:
        classifier = self.pipeline_[-1]
        scores = safe_sparse_dot(tfidf, classifier.coef_.T, dense_output=True)
        return expit(np.asarray(scores + classifier.intercept_).ravel())

    def predict(self, docs: Documents) -> np.ndarray:
        """Predicted label (positive when the probability is at least 0.5)."""
        return np.where(self.predict_proba(docs) >= 0.5, self.classes_[1], self.classes_[0])


def drop_personal_terms(vectorizer: TfidfVectorizer, tfidf: object) -> object:
    """Remove personal-looking terms from a fitted vectorizer's vocabulary, in place.

    The vocabulary, the idf weights and the columns of the training matrix lose the terms
    :func:`features.text.pii_vocabulary.personal_terms` flags; rows are re-normalized as
    ``transform`` now normalizes them, so the classifier trains on what it will score. The
    vectorizer keeps no other trace of a term (scikit-learn no longer stores ``stop_words_``).

    Args:
        vectorizer: A fitted :class:`TfidfVectorizer`.
        tfidf: Its ``fit_transform`` output.

    Returns:
        The training matrix without the dropped columns.
    """
    terms = vectorizer.get_feature_names_out()
    personal = personal_terms(terms)
    if not personal.any():
        return tfidf
    keep = np.flatnonzero(~personal)
    idf = vectorizer.idf_[keep] if vectorizer.use_idf else None
    vectorizer.vocabulary_ = {str(term): index for index, term in enumerate(terms[keep])}
    if idf is not None:
        vectorizer.idf_ = idf
        vectorizer._tfidf.n_features_in_ = len(keep)
    tfidf = tfidf[:, keep]
    return normalize(tfidf, norm=vectorizer.norm, copy=False) if vectorizer.norm else tfidf


def predict_proba_many(models: Sequence[TextRiskModel], docs: Documents) -> list[np.ndarray]:
    """Each fitted model's :meth:`TextRiskModel.predict_proba` of the same documents.

    The documents are vectorized once per distinct vectorizer: the models of different targets
    fitted on the same documents have equal vectorizers (same parameters, vocabulary and idf).

    Args:
        models: Fitted text models.
        docs: One document per row.

    Returns:
        Positive-class probabilities per model, in the order of ``models``.
    """
    documents = _as_documents(docs)
    vectors: dict[str, object] = {}
    probabilities = []
    for model in models:
        vectorizer = model.pipeline_[0]
        key = _fingerprint(vectorizer) if len(models) > 1 else ""
        if key not in vectors:
            few = 0 < len(documents) <= FEW_DOCUMENTS
            rows = _few_tfidf(vectorizer, documents) if few else None
            vectors[key] = rows if rows is not None else vectorizer.transform(documents)
        shared = vectors[key]
        if isinstance(shared, list):
            probabilities.append(model._proba_of_rows(shared))
        else:
            probabilities.append(model._proba_of_matrix(shared))
    return probabilities


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
