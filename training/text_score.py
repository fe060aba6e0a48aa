"""The text-model score feature (``txt_model_score``): a TF-IDF risk model on complaint texts.

It is fitted on training-period documents only: training rows get out-of-fold scores (grouped by
customer, so one customer's snapshots never score each other), validation and scoring rows get
the fitted model's plain ``predict_proba``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from features.registry import FeatureSpec
from training.grouped_folds import grouped_folds as grouped_folds

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


@dataclass(frozen=True)
class CountedDocuments:
    """Documents analyzed once by the text model's vectorizer, for every out-of-fold fit.

    Analysis (token split and n-grams) is nearly all of a TF-IDF fit's cost and is the same
    for every fold: each fold reads its rows' counts from here instead of re-analyzing them
    (:func:`counted_fold_scores`), with bit-identical matrices, models and scores.

    Attributes:
        counts: Documents x corpus terms CSR of n-gram counts; each row's entries in the order
            its n-grams first occur in the document (what the vectorizer's counting sees).
        terms: Corpus terms by id (ids in order of first occurrence).
        sorted_rank: Position of each term id in sorted term order.
    """

    counts: sp.csr_matrix
    terms: np.ndarray
    sorted_rank: np.ndarray

    @functools.cached_property
    def term_ids(self) -> dict[str, int]:
        """Id of each corpus term."""
        return {term: index for index, term in enumerate(self.terms.tolist())}


def count_documents(vectorizer: Any, docs: np.ndarray) -> CountedDocuments:
    """Analyze every document once with ``vectorizer``'s analyzer (unfitted is fine)."""
    analyze = vectorizer.build_analyzer()
    vocabulary: dict[str, int] = {}
    indices: list[int] = []
    values: list[int] = []
    indptr = [0]
    for document in _documents(docs):
        counter: dict[int, int] = {}
        for feature in analyze(document):
            index = vocabulary.setdefault(feature, len(vocabulary))
            counter[index] = counter.get(index, 0) + 1
        indices.extend(counter)
        values.extend(counter.values())
        indptr.append(len(indices))
    terms = np.empty(len(vocabulary), dtype=object)
    terms[:] = list(vocabulary)
    counts = sp.csr_matrix(
        (
            np.asarray(values, dtype=np.intc),
            np.asarray(indices, dtype=np.int64),
            np.asarray(indptr, dtype=np.int64),
        ),
        shape=(len(indptr) - 1, len(terms)),
    )
    return CountedDocuments(counts, terms, _sorted_rank(terms))


def merge_counts(parts: list[CountedDocuments]) -> CountedDocuments:
    """The counts of consecutive runs of documents, as :func:`count_documents` of them all."""
    vocabulary: dict[str, int] = {}
    blocks = []
    for part in parts:
        ids = np.fromiter(
            (vocabulary.setdefault(term, len(vocabulary)) for term in part.terms.tolist()),
            dtype=np.int64,
            count=len(part.terms),
        )
        counts = part.counts
        blocks.append((counts.data, ids[counts.indices], counts.indptr))
    data = np.concatenate([b[0] for b in blocks])
    indices = np.concatenate([b[1] for b in blocks])
    offsets = np.cumsum([0] + [len(b[0]) for b in blocks])
    indptr = np.concatenate(
        [[0]] + [b[2][1:] + offset for b, offset in zip(blocks, offsets[:-1], strict=True)]
    ).astype(np.int64)
    terms = np.empty(len(vocabulary), dtype=object)
    terms[:] = list(vocabulary)
    counts = sp.csr_matrix((data, indices, indptr), shape=(len(indptr) - 1, len(terms)))
    return CountedDocuments(counts, terms, _sorted_rank(terms))


def _sorted_rank(terms: np.ndarray) -> np.ndarray:
    rank = np.empty(len(terms), dtype=np.int64)
    rank[sorted(range(len(terms)), key=terms.__getitem__)] = np.arange(len(terms))
    return rank


def _documents(docs: np.ndarray) -> list[str]:
    """The strings the text model analyzes (missing -> ``""``), as its ``fit`` makes them."""
    import pandas as pd

    return pd.Series(np.asarray(docs, dtype=object), dtype=object).fillna("").astype(str).tolist()


def _fold_counts(counted: CountedDocuments, rows: np.ndarray) -> tuple[dict[str, int], Any]:
    """What ``CountVectorizer._count_vocab`` returns when fitting on the documents at ``rows``.

    Terms get ids in order of first occurrence across those documents; each row's entries are
    sorted by id; counts have the vectorizer's dtype (set by the caller).
    """
    sub = counted.counts[rows]
    uniq, first, inverse = np.unique(sub.indices, return_index=True, return_inverse=True)
    by_first = np.argsort(first, kind="stable")
    local = np.empty(len(uniq), dtype=np.int64)
    local[by_first] = np.arange(len(uniq))
    entry = local[inverse.ravel()]
    row = np.repeat(np.arange(sub.shape[0], dtype=np.int64), np.diff(sub.indptr))
    order = np.argsort(row * max(len(uniq), 1) + entry, kind="stable")
    vocabulary = dict(zip(counted.terms[uniq[by_first]].tolist(), range(len(uniq)), strict=True))
    matrix = (sub.data[order], entry[order].astype(np.int32), sub.indptr.astype(np.int32))
    return vocabulary, (matrix, (sub.shape[0], len(uniq)))


def _fixed_counts(counted: CountedDocuments, rows: np.ndarray, vocabulary: dict) -> Any:
    """What ``CountVectorizer._count_vocab`` returns for the documents at ``rows`` with a
    fitted ``vocabulary``: counts of its terms, entries sorted by vocabulary index."""
    lookup = counted.term_ids
    columns = np.full(len(counted.terms), -1, dtype=np.int64)
    known = [(lookup[t], i) for t, i in vocabulary.items() if t in lookup]
    if known:
        ids, positions = np.asarray(known, dtype=np.int64).T
        columns[ids] = positions
    sub = counted.counts[rows]
    mapped = columns[sub.indices]
    keep = mapped >= 0
    row = np.repeat(np.arange(sub.shape[0], dtype=np.int64), np.diff(sub.indptr))[keep]
    mapped = mapped[keep]
    order = np.argsort(row * max(len(vocabulary), 1) + mapped, kind="stable")
    indptr = np.zeros(sub.shape[0] + 1, dtype=np.int32)
    np.cumsum(np.bincount(row, minlength=sub.shape[0]), out=indptr[1:])
    matrix = (sub.data[keep][order], mapped[order].astype(np.int32), indptr)
    return matrix, (sub.shape[0], len(vocabulary))


def _counted_vectorizer(template: Any, counted: CountedDocuments) -> Any:
    """A copy of ``template`` (a ``TfidfVectorizer``) that counts documents given as row
    positions of ``counted`` instead of analyzing text; everything else is scikit-learn's."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.utils._sparse import _align_api_if_sparse

    class CountedVectorizer(TfidfVectorizer):
        def _count_vocab(self, raw_documents, fixed_vocab):
            rows = np.asarray(raw_documents, dtype=np.int64)
            if fixed_vocab:
                vocabulary = self.vocabulary_
                matrix, shape = _fixed_counts(counted, rows, vocabulary)
            else:
                vocabulary, (matrix, shape) = _fold_counts(counted, rows)
                if not vocabulary:
                    raise ValueError(
                        "empty vocabulary; perhaps the documents only contain stop words"
                    )
            counts = sp.csr_array(matrix, shape=shape, dtype=self.dtype)
            counts.sort_indices()
            return vocabulary, _align_api_if_sparse(counts)

    return CountedVectorizer(**template.get_params())


def counted_fold_scores(
    scorer: TextScorer,
    counted: CountedDocuments,
    fit_labels: np.ndarray,
    fit_rows: np.ndarray,
    score_rows: np.ndarray,
) -> np.ndarray:
    """:func:`fold_scores` of a :class:`features.text.TextRiskModel` from counted documents.

    The same steps as ``TextRiskModel.fit`` and ``predict_proba`` (vectorizer fit, personal
    terms dropped, balanced logistic regression, ``expit`` of the linear score), on the counts
    of ``counted`` (``fit_rows`` and ``score_rows`` index its documents; ``fit_labels`` are
    the labels of ``fit_rows``).

    Raises:
        ValueError: When the fit rows do not hold exactly two classes.
    """
    from scipy.special import expit
    from sklearn.utils.extmath import safe_sparse_dot

    from features.text.risk_model import drop_personal_terms

    model = scorer.make_model()
    labels = np.asarray(fit_labels)
    if np.unique(labels).size != 2:
        raise ValueError("TextRiskModel needs labels with exactly two classes")
    vectorizer = _counted_vectorizer(model._vectorizer(), counted)
    tfidf = drop_personal_terms(vectorizer, vectorizer.fit_transform(fit_rows))
    classifier = model._classifier().fit(tfidf, labels)
    scores = safe_sparse_dot(
        vectorizer.transform(score_rows), classifier.coef_.T, dense_output=True
    )
    return positive_scores(expit(np.asarray(scores + classifier.intercept_).ravel()))


def counts_documents(scorer: TextScorer) -> bool:
    """Whether the scorer's model can fit folds from :class:`CountedDocuments`."""
    from features.text.risk_model import TextRiskModel

    return type(scorer.make_model()) is TextRiskModel


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
