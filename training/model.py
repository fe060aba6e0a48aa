"""The model artifact of one target: everything scoring needs, in one picklable object."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd

from features.assemble import FeatureConfig
from features.registry import FeatureSpec
from features.sources import availability
from training.calibration import Calibrator
from training.feature_schema import FEW_ROWS, FeatureSchema, FrameValues
from training.scoring_config import ScoringConfig
from training.text_score import TEXT_SCORE, positive_scores

Documents = pd.Series | Sequence[str] | None


@dataclass(frozen=True)
class Reason:
    """One reason code: a feature that pushed the customer's risk up.

    Attributes:
        feature: Column name.
        value: The customer's value (category label for categoricals).
        contribution: LightGBM contribution to the log-odds (before calibration).
        zh: Chinese phrase from the feature registry.
        en: English phrase from the feature registry.
    """

    feature: str
    value: Any
    contribution: float
    zh: str
    en: str


def _scalar(value: Any) -> Any:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    return value.item() if isinstance(value, np.generic) else value


def _few_documents(frame: pd.DataFrame, documents: pd.Series) -> np.ndarray | None:
    """``documents.reindex(frame.index).fillna("").astype(str)`` for a few rows of plain
    strings, without building Series; ``None`` when that is not the case."""
    if (
        len(frame) > FEW_ROWS
        or documents.dtype != object
        or type(documents.index) is not pd.Index
        or not documents.index.is_unique
    ):
        return None
    values = documents.to_numpy()
    out = np.empty(len(frame), dtype=object)
    for row, position in enumerate(documents.index.get_indexer(frame.index)):
        value = values[position] if position >= 0 else ""
        if type(value) is not str:
            if value is not None and not (type(value) is float and np.isnan(value)):
                return None
            value = ""
        out[row] = value
    return out


SMALL_BATCH = 1_000
"""Below this many rows LightGBM predicts on one thread: starting its OpenMP thread team cost
about 8 ms per call on this 2-core machine, against 0.05 ms for one row on one thread."""


def _threads(rows: int) -> dict[str, int]:
    return {"num_threads": 1} if rows < SMALL_BATCH else {}


class ProcareModel:
    """Scores one target for a feature frame plus the customers' complaint documents.

    Args:
        target: Label the model predicts.
        schema: Input schema (model columns, kinds, pinned categories).
        booster: Fitted LightGBM booster over the schema's columns.
        calibrator: Fitted calibrator of the booster's raw log-odds.
        specs: Feature registry entries of the schema's columns (reason codes).
        text_model: Fitted text model producing ``txt_model_score``, or ``None`` when the
            model does not use it.
        metadata: Free-form provenance (training window, config digest, ...).
        feature_config: Feature and label configuration of the snapshots the model was trained
            on (``None`` when the snapshots did not record it).
        scoring: How its scores become tiers, reasons and actions, chosen at training time
            (``None`` for models trained before models carried one: the defaults apply).
    """

    feature_config: FeatureConfig | None = None
    scoring: ScoringConfig | None = None

    def __init__(
        self,
        target: str,
        schema: FeatureSchema,
        booster: lgb.Booster,
        calibrator: Calibrator,
        specs: Mapping[str, FeatureSpec],
        text_model: Any | None = None,
        metadata: Mapping[str, Any] | None = None,
        feature_config: FeatureConfig | None = None,
        scoring: ScoringConfig | None = None,
    ) -> None:
        self.target = target
        self.schema = schema
        self.booster = booster
        self.calibrator = calibrator
        self.specs = dict(specs)
        self.text_model = text_model
        self.metadata = dict(metadata or {})
        self.feature_config = feature_config
        self.scoring = scoring

    def carried_configs(self) -> dict[str, Any]:
        """The feature and scoring configurations the model carries, as JSON-ready dicts."""
        return {
            "feature_config": (
                None if self.feature_config is None else self.feature_config.model_dump(mode="json")
            ),
            "scoring": None if self.scoring is None else self.scoring.model_dump(mode="json"),
        }

    def data_availability(self) -> dict[str, list[str]]:
        """Missing tables, source families available and absent, label parts unobservable
        (:func:`features.sources.availability`); without a recorded config, every table."""
        return availability(
            [] if self.feature_config is None else self.feature_config.missing_tables
        )

    @property
    def derived_columns(self) -> list[str]:
        """Model columns computed inside the model (the text score)."""
        return [TEXT_SCORE] if TEXT_SCORE in self.schema.columns else []

    @property
    def input_columns(self) -> list[str]:
        """Columns a feature frame must have, exactly."""
        return [c for c in self.schema.columns if c != TEXT_SCORE]

    def _documents(self, frame: pd.DataFrame, documents: Documents) -> np.ndarray:
        if documents is None:
            return np.full(len(frame), "", dtype=object)
        if isinstance(documents, pd.Series):
            few = _few_documents(frame, documents)
            if few is not None:
                return few
            aligned = documents.reindex(frame.index)
            return aligned.fillna("").astype(str).to_numpy(dtype=object)
        docs = np.asarray(list(documents), dtype=object)
        if len(docs) != len(frame):
            raise ValueError(f"{len(docs)} documents for {len(frame)} feature rows")
        return docs

    def _text_scores(self, frame: pd.DataFrame, documents: Documents) -> np.ndarray:
        if self.text_model is None:
            raise ValueError(f"model uses {TEXT_SCORE} but carries no text model")
        return _text_scores([self], self._documents(frame, documents))[0]

    def _derived(self, frame: pd.DataFrame, documents: Documents) -> dict[str, np.ndarray]:
        """Checks ``frame`` against the schema; the derived columns' values."""
        self.schema.check(frame, derived=self.derived_columns)
        if not self.derived_columns:
            return {}
        return {TEXT_SCORE: self._text_scores(frame, documents)}

    def model_frame(self, frame: pd.DataFrame, documents: Documents = None) -> pd.DataFrame:
        """The frame with derived columns added, after checking it against the schema.

        Raises:
            ValueError: When columns are missing or unexpected (named in the message).
        """
        derived = self._derived(frame, documents)
        return frame.assign(**derived) if derived else frame

    def raw_score(self, frame: pd.DataFrame, documents: Documents = None) -> np.ndarray:
        """Uncalibrated log-odds of the booster."""
        return self.score(frame, documents)[0]

    def predict_proba(self, frame: pd.DataFrame, documents: Documents = None) -> np.ndarray:
        """Calibrated probability of the target per row of ``frame``.

        Args:
            frame: Exactly the model's input columns (see :attr:`input_columns`), any order.
            documents: Masked complaint documents per customer: a Series aligned by index with
                ``frame`` (missing customers count as no text), a sequence in row order, or
                ``None`` for no text at all.

        Raises:
            ValueError: When columns are missing or unexpected (named in the message).
        """
        return self.calibrator.predict(self.raw_score(frame, documents))

    def explain(
        self, frame: pd.DataFrame, documents: Documents = None, top_k: int = 3
    ) -> list[list[Reason]]:
        """Top reasons per row from LightGBM's own contributions (``pred_contrib``).

        Only features that push the score up are reasons; a row may get fewer than ``top_k``.
        """
        return self.score(frame, documents, explain=True, top_k=top_k)[1]

    def score(
        self,
        frame: pd.DataFrame,
        documents: Documents = None,
        explain: bool = False,
        top_k: int = 3,
    ) -> tuple[np.ndarray, list[list[Reason]]]:
        """Raw log-odds and (when ``explain``) the top reasons of every row, in one pass.

        The frame is checked, the text model run and the matrix built once for both, which is
        what the real-time path needs.

        Returns:
            Uncalibrated log-odds per row (see :meth:`predict_proba` for probabilities) and the
            reasons per row (empty lists when ``explain`` is false).

        Raises:
            ValueError: When columns are missing or unexpected (named in the message).
        """
        return score_models([(self, frame)], documents, explain=explain, top_k=top_k)[0]

    def _score_matrix(
        self,
        matrix: np.ndarray,
        frame: pd.DataFrame,
        derived: dict[str, np.ndarray],
        explain: bool,
        top_k: int,
        rows: FrameValues | None = None,
    ) -> tuple[np.ndarray, list[list[Reason]]]:
        raw = np.asarray(
            self.booster.predict(matrix, raw_score=True, **_threads(len(matrix))),
            dtype=np.float64,
        )
        if not explain:
            return raw, [[] for _ in range(len(frame))]
        return raw, self._reasons(matrix, frame, derived, top_k, rows)

    def _reasons(
        self,
        matrix: np.ndarray,
        frame: pd.DataFrame,
        derived: dict[str, np.ndarray],
        top_k: int,
        rows: FrameValues | None = None,
    ) -> list[list[Reason]]:
        """Top ``top_k`` positive contributions per row (``rows``: the frame's values, when
        already converted)."""
        contrib = self.booster.predict(matrix, pred_contrib=True, **_threads(len(matrix)))
        contrib = np.asarray(contrib)[:, : len(self.schema.columns)]
        k = min(top_k, contrib.shape[1])
        top = np.argsort(-contrib, axis=1, kind="stable")[:, :k]
        columns = self.schema.columns
        used = {columns[c] for c in np.unique(top)}
        values = {
            name: (
                np.asarray(derived[name], dtype=object)
                if name in derived
                else frame[name].to_numpy(dtype=object)
                if rows is None
                else rows.column(name)
            )
            for name in used
        }
        picked = np.take_along_axis(contrib, top, axis=1).tolist()
        reasons: list[list[Reason]] = []
        for row, (picks, contributions) in enumerate(zip(top.tolist(), picked, strict=True)):
            row_reasons = []
            for col, value in zip(picks, contributions, strict=True):
                if value <= 0:
                    break
                name = columns[col]
                shown = _scalar(values[name][row])
                spec = self.specs.get(name) or FeatureSpec(name, "structured", name, name)
                row_reasons.append(
                    Reason(name, shown, value, spec.reason(shown, "zh"), spec.reason(shown, "en"))
                )
            reasons.append(row_reasons)
        return reasons


def _text_scores(models: Sequence[ProcareModel], documents: np.ndarray) -> list[np.ndarray]:
    """The text score of each model for the same documents (one vectorization per distinct
    :class:`features.text.TextRiskModel` vectorizer)."""
    if not len(documents):
        return [np.asarray([], dtype=np.float64) for _ in models]
    probabilities: list[np.ndarray | None] = [None] * len(models)
    if len(models) > 1:
        from features.text.risk_model import TextRiskModel, predict_proba_many

        shared = [i for i, m in enumerate(models) if type(m.text_model) is TextRiskModel]
        if len(shared) > 1:
            together = predict_proba_many([models[i].text_model for i in shared], documents)
            for i, proba in zip(shared, together, strict=True):
                probabilities[i] = proba
    return [
        np.asarray(
            positive_scores(model.text_model.predict_proba(documents) if proba is None else proba),
            dtype=np.float64,
        )
        for model, proba in zip(models, probabilities, strict=True)
    ]


def score_models(
    jobs: Sequence[tuple[ProcareModel, pd.DataFrame]],
    documents: Documents = None,
    explain: bool = False,
    top_k: int = 3,
    values: FrameValues | None = None,
) -> list[tuple[np.ndarray, list[list[Reason]]]]:
    """:meth:`ProcareModel.score` of several models, each on its frame, sharing common work.

    Models with equal schemas given the same frame check it and build the model matrix once
    (only the derived text-score column differs); the documents are aligned once per frame and
    vectorized once per distinct text vectorizer; a few rows become Python values once, for the
    matrix and the reasons. The results are those of each model's own :meth:`ProcareModel.score`.

    Args:
        jobs: ``(model, frame)`` pairs; each frame holds exactly its model's input columns.
        documents: Masked complaint documents (see :meth:`ProcareModel.predict_proba`).
        explain: Also compute the reasons.
        top_k: Most reasons per row.
        values: One of the frames already converted (used by the jobs on that frame).

    Returns:
        Per job, in order: raw log-odds and reasons per row.

    Raises:
        ValueError: When a frame's columns are missing or unexpected (named in the message).
    """
    groups: list[tuple[FeatureSchema, pd.DataFrame]] = []
    group_of: list[int] = []
    for model, frame in jobs:
        group = next(
            (
                g
                for g, (schema, seen) in enumerate(groups)
                if seen is frame and (schema is model.schema or schema == model.schema)
            ),
            None,
        )
        if group is None:
            model.schema.check(frame, derived=model.derived_columns)
            groups.append((model.schema, frame))
            group = len(groups) - 1
        group_of.append(group)
    derived: list[dict[str, np.ndarray]] = [{} for _ in jobs]
    by_frame: dict[int, list[int]] = {}
    for i, (model, frame) in enumerate(jobs):
        if model.derived_columns:
            if model.text_model is None:
                raise ValueError(f"model uses {TEXT_SCORE} but carries no text model")
            by_frame.setdefault(id(frame), []).append(i)
    for members in by_frame.values():
        model, frame = jobs[members[0]]
        scores = _text_scores([jobs[i][0] for i in members], model._documents(frame, documents))
        for i, score in zip(members, scores, strict=True):
            derived[i] = {TEXT_SCORE: score}
    results: list[tuple[np.ndarray, list[list[Reason]]]] = []
    matrices: dict[int, tuple[np.ndarray, FrameValues | None]] = {}
    for i, (model, frame) in enumerate(jobs):
        if not len(frame):
            results.append((np.empty(0, dtype=np.float64), []))
            continue
        group = group_of[i]
        if group in matrices:
            matrix, rows = matrices[group]
            for column, computed in derived[i].items():
                matrix[:, model.schema.columns.index(column)] = computed
        else:
            rows = values if values is not None and values.frame is frame else None
            matrix, rows = _model_matrix(model.schema, frame, derived[i], rows)
            matrices[group] = matrix, rows
        results.append(model._score_matrix(matrix, frame, derived[i], explain, top_k, rows))
    return results


def _model_matrix(
    schema: FeatureSchema,
    frame: pd.DataFrame,
    derived: dict[str, np.ndarray],
    rows: FrameValues | None,
) -> tuple[np.ndarray, FrameValues | None]:
    if len(frame) > FEW_ROWS:
        return schema.to_matrix(frame, derived), None
    rows = rows or FrameValues.of(frame)
    return schema.values_matrix(rows, derived), rows if rows.unique_columns else None
