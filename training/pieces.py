"""The independent pieces of a ``train`` call, as tasks an engine runs (no MLflow here).

Two rounds, each a set of tasks that need nothing from one another:

1. text: per target, each out-of-fold fold of the text model and its fit on every training row;
2. models: per target, the primary LightGBM model, each baseline family and each ablation arm.

Tasks get the shared inputs as broadcast arguments (:class:`TextInputs`, :class:`ModelInputs`)
and return raw validation scores (and the fitted models the registered artifact needs). With
the ``local`` engine they run in worker processes (:class:`ProcessEngine`, one per core
by default) or one after another in this process; the ``dask`` engine runs them on a cluster.
Every task is seeded and single-threaded, so all give identical results, and MLflow logging
stays in the driver.

Work the pieces share is done once before them: each target's folds are split by a fast exact
copy of scikit-learn's splitter, and every training document is analyzed once for the TF-IDF
fits of all folds of all targets (:class:`training.text_score.CountedDocuments`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import lightgbm as lgb
import numpy as np
import pandas as pd

from pipelines.engine import Engine, LocalEngine
from training.config import TrainConfig
from training.families import Matrices, booster_raw, fit_baseline_raw, fit_lightgbm
from training.feature_schema import FeatureSchema
from training.process_engine import PIECE_BLAS_THREADS, same_blas
from training.sampling import SampledRows
from training.text_score import (
    TEXT_SCORE,
    CountedDocuments,
    TextScorer,
    TextScores,
    count_documents,
    counted_fold_scores,
    counts_documents,
    fit_text_model,
    fold_scores,
    merge_counts,
    positive_scores,
)

PieceKind = Literal["text_fold", "text_oof", "text_model", "lightgbm", "baseline", "arm"]


@dataclass(frozen=True)
class Piece:
    """One task: its kind, its target and which fold, family or arm it is."""

    kind: PieceKind
    target: str
    name: str = ""


@dataclass(frozen=True)
class TargetRows:
    """The training rows one target fits on: every row, or the negative-sampled ones.

    Attributes:
        y: Labels of the rows used.
        sample: Kept rows and weights (``None``: every row, weight 1).
    """

    y: np.ndarray
    sample: SampledRows | None = None

    def take(self, values: np.ndarray) -> np.ndarray:
        """The rows used of an array aligned with every training row."""
        return values if self.sample is None else values[self.sample.rows]

    @property
    def weights(self) -> np.ndarray | None:
        """Row weights (``None``: every row weighs 1)."""
        return None if self.sample is None else self.sample.weights


@dataclass(frozen=True)
class TextInputs:
    """What the text tasks share.

    Attributes:
        scorer: The text model hooks.
        docs: Documents of every training row.
        groups: Customer of every training row.
        valid_docs: Documents of the validation rows.
        rows: Training rows per target.
        folds: Out-of-fold folds per target (positions within that target's rows), when the
            scorer exposes them.
        n_splits: Out-of-fold folds.
        seed: Seed of the fold split.
        blas_threads: BLAS threads of every task (see
            :func:`training.process_engine.same_blas`).
        counted: Every training document analyzed once, which the folds read their counts
            from (``None``: each fold analyzes its documents; see :func:`count_documents`).
    """

    scorer: TextScorer
    docs: np.ndarray
    groups: np.ndarray
    valid_docs: np.ndarray
    rows: Mapping[str, TargetRows]
    folds: Mapping[str, list[tuple[np.ndarray, np.ndarray]]]
    n_splits: int
    seed: int
    blas_threads: int | None = None
    counted: CountedDocuments | None = None


def text_inputs(
    scorer: TextScorer,
    docs: np.ndarray,
    groups: np.ndarray,
    valid_docs: np.ndarray,
    rows: Mapping[str, TargetRows],
    config: TrainConfig,
    engine: Engine | None = None,
) -> TextInputs:
    """The text tasks' inputs; each target's folds are split as a task of their own.

    With the product's text model, every training document is analyzed once here
    (:func:`count_documents`, about as long as one fold's TF-IDF fit) and each fold of each
    target reads its counts instead of analyzing its documents again.
    """
    folds = {}
    counted = None
    if scorer.folds is not None and counts_documents(scorer):
        engine = engine or LocalEngine()
        parts = dict(
            engine.map(
                count_part,
                list(range(COUNT_PARTS)),
                vectorizer=scorer.make_model()._vectorizer(),
                docs=docs,
            )
        )
        counted = merge_counts([parts[k] for k in range(COUNT_PARTS)])
    if scorer.folds is not None:
        done = (engine or LocalEngine()).map(
            split_folds,
            list(rows),
            scorer=scorer,
            rows=dict(rows),
            groups=groups,
            n_splits=config.text_oof_folds,
            seed=config.seed,
        )
        folds = dict(done)
    return TextInputs(
        scorer,
        docs,
        groups,
        valid_docs,
        dict(rows),
        folds,
        config.text_oof_folds,
        config.seed,
        PIECE_BLAS_THREADS,
        counted,
    )


COUNT_PARTS = 4
"""Runs of training documents analyzed as tasks of their own (:func:`count_part`)."""


def count_part(part: int, *, vectorizer: Any, docs: np.ndarray) -> CountedDocuments:
    """The counts of the ``part``-th of :data:`COUNT_PARTS` consecutive runs of documents."""
    bounds = np.linspace(0, len(docs), COUNT_PARTS + 1).astype(np.int64)
    return count_documents(vectorizer, docs[bounds[part] : bounds[part + 1]])


def split_folds(
    target: str,
    *,
    scorer: TextScorer,
    rows: Mapping[str, TargetRows],
    groups: np.ndarray,
    n_splits: int,
    seed: int,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """The out-of-fold folds of one target's rows (positions within those rows)."""
    used = rows[target]
    return scorer.folds(used.y, used.take(groups), n_splits, seed)


def text_pieces(inputs: TextInputs) -> list[Piece]:
    """Per target: the fit on every row and each fold (or one out-of-fold task).

    The longest pieces come first, so a pool of processes ends them at about the same time.
    """
    pieces = [Piece("text_model", target) for target in inputs.rows]
    for target in inputs.rows:
        if target in inputs.folds:
            pieces += [Piece("text_fold", target, str(k)) for k in range(len(inputs.folds[target]))]
        else:
            pieces.append(Piece("text_oof", target))
    return pieces


def run_text_piece(piece: Piece, inputs: TextInputs) -> Any:
    """Run one text task: a fold's scores, the out-of-fold scores, or the full fit."""
    with same_blas(inputs.blas_threads):
        return _text_piece(piece, inputs)


def _text_piece(piece: Piece, inputs: TextInputs) -> Any:
    used = inputs.rows[piece.target]
    docs = used.take(inputs.docs)
    if piece.kind == "text_fold":
        fit_rows, score_rows = inputs.folds[piece.target][int(piece.name)]
        if inputs.counted is not None:
            positions = used.take(np.arange(len(inputs.docs)))
            return counted_fold_scores(
                inputs.scorer,
                inputs.counted,
                used.y[fit_rows],
                positions[fit_rows],
                positions[score_rows],
            )
        return fold_scores(inputs.scorer, docs, used.y, fit_rows, score_rows)
    if piece.kind == "text_oof":
        scorer = inputs.scorer
        oof = scorer.oof_scores(
            scorer.make_model(),
            docs,
            used.y,
            used.take(inputs.groups),
            n_splits=inputs.n_splits,
            random_state=inputs.seed,
        )
        return positive_scores(oof)
    if piece.kind == "text_model":
        return fit_text_model(inputs.scorer, docs, used.y, inputs.valid_docs)
    raise ValueError(f"not a text piece: {piece.kind}")


def text_scores(inputs: TextInputs, results: Mapping[Piece, Any]) -> dict[str, TextScores]:
    """Each target's text model, out-of-fold training scores and validation scores."""
    out = {}
    for target, used in inputs.rows.items():
        model, valid = results[Piece("text_model", target)]
        if target in inputs.folds:
            train = np.full(len(used.y), np.nan)
            for k, (_, score_rows) in enumerate(inputs.folds[target]):
                train[score_rows] = results[Piece("text_fold", target, str(k))]
        else:
            train = results[Piece("text_oof", target)]
        out[target] = TextScores(model, train, valid)
    return out


@dataclass(frozen=True)
class ModelInputs:
    """What the model tasks share.

    Attributes:
        config: Model settings and seed.
        schema: The model schema (the text score last, when used).
        base: Training and validation matrices of the snapshot columns (every training row).
        train: Training feature frame (every row; for the baselines).
        valid: Validation feature frame.
        rows: Training rows per target.
        text: Text-model scores per target (``None`` without the text model).
        arms: Columns of each ablation arm fitted as its own model.
        baselines: Baseline families to fit.
        blas_threads: BLAS threads of every task (see
            :func:`training.process_engine.same_blas`).
    """

    config: TrainConfig
    schema: FeatureSchema
    base: Matrices
    train: pd.DataFrame
    valid: pd.DataFrame
    rows: Mapping[str, TargetRows]
    text: Mapping[str, TextScores] | None
    arms: Mapping[str, list[str]]
    baselines: tuple[str, ...]
    blas_threads: int | None = None

    def matrices(self, target: str) -> Matrices:
        """The target's model matrices: its rows, plus its text-model score column."""
        used = self.rows[target]
        train = used.take(self.base.train)
        valid = self.base.valid
        if self.text is not None:
            scores = self.text[target]
            train = np.column_stack([train, scores.train.astype(np.float32)])
            valid = np.column_stack([valid, scores.valid.astype(np.float32)])
        return Matrices(self.schema, train, valid)

    def valid_rows(self, target: str, positions: np.ndarray) -> np.ndarray:
        """The target's validation model-matrix rows at ``positions``."""
        rows = self.base.valid[positions]
        if self.text is not None:
            scores = self.text[target].valid[positions].astype(np.float32)
            rows = np.column_stack([rows, scores])
        return rows

    def frames(self, target: str) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The target's training and validation frames (its rows, plus the text score)."""
        used = self.rows[target]
        train = self.train if used.sample is None else self.train.iloc[used.sample.rows]
        valid = self.valid
        if self.text is not None:
            scores = self.text[target]
            train = train.assign(**{TEXT_SCORE: scores.train})
            valid = valid.assign(**{TEXT_SCORE: scores.valid})
        return train, valid


def model_schema(base: FeatureSchema, text: bool) -> FeatureSchema:
    """The base schema, with the text-model score appended as a numeric column when used."""
    if not text:
        return base
    return FeatureSchema(
        (*base.columns, TEXT_SCORE), {**base.kinds, TEXT_SCORE: "numeric"}, base.categories
    )


def model_pieces(inputs: ModelInputs, primary: bool = True) -> list[Piece]:
    """Per target: the primary model (unless trained elsewhere), each arm, each baseline.

    The longest pieces (the boosters) come first, so a pool of processes ends them at about
    the same time.
    """
    pieces = []
    for target in inputs.rows:
        if primary:
            pieces.append(Piece("lightgbm", target))
        pieces += [Piece("arm", target, arm) for arm in inputs.arms]
    for target in inputs.rows:
        pieces += [Piece("baseline", target, name) for name in inputs.baselines]
    return pieces


def run_model_piece(piece: Piece, inputs: ModelInputs) -> Any:
    """Run one model task: ``(booster, raw)`` for the primary model, else raw scores."""
    with same_blas(inputs.blas_threads):
        return _model_piece(piece, inputs)


def _model_piece(piece: Piece, inputs: ModelInputs) -> Any:
    used, config = inputs.rows[piece.target], inputs.config
    if piece.kind == "baseline":
        train, valid = inputs.frames(piece.target)
        return fit_baseline_raw(
            piece.name, inputs.schema, train, used.y, valid, config, used.weights
        )
    matrices = inputs.matrices(piece.target)
    if piece.kind == "lightgbm":
        booster = fit_lightgbm(matrices, used.y, config, used.weights)
        return booster, booster_raw(booster, matrices)
    if piece.kind == "arm":
        subset = matrices.select(inputs.arms[piece.name])
        booster = fit_lightgbm(subset, used.y, config, used.weights)
        return booster_raw(booster, subset)
    raise ValueError(f"not a model piece: {piece.kind}")


def run_pieces(
    engine: Engine, task: Any, pieces: Iterable[Piece], inputs: Any, on_done: Any = None
) -> dict[Piece, Any]:
    """Run pieces on the engine; results by piece (``on_done()`` after each one)."""
    results = {}
    for piece, result in engine.map(task, list(pieces), inputs=inputs):
        results[piece] = result
        if on_done is not None:
            on_done()
    return results


@dataclass(frozen=True)
class ModelResults:
    """One target's fitted pieces: the primary booster and raw validation scores by name."""

    booster: lgb.Booster
    raw: dict[str, np.ndarray]
    arms: dict[str, np.ndarray]


def model_results(inputs: ModelInputs, results: Mapping[Piece, Any]) -> dict[str, ModelResults]:
    """The model tasks' results, per target."""
    out = {}
    for target in inputs.rows:
        booster, primary = results[Piece("lightgbm", target)]
        raw = {"lightgbm": primary}
        raw.update({name: results[Piece("baseline", target, name)] for name in inputs.baselines})
        arms = {arm: results[Piece("arm", target, arm)] for arm in inputs.arms}
        out[target] = ModelResults(booster, raw, arms)
    return out
