"""The model artifact of one target: everything scoring needs, in one picklable object."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd

from features.registry import FeatureSpec
from training.calibration import Calibrator
from training.feature_schema import FeatureSchema
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
    """

    def __init__(
        self,
        target: str,
        schema: FeatureSchema,
        booster: lgb.Booster,
        calibrator: Calibrator,
        specs: Mapping[str, FeatureSpec],
        text_model: Any | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        self.target = target
        self.schema = schema
        self.booster = booster
        self.calibrator = calibrator
        self.specs = dict(specs)
        self.text_model = text_model
        self.metadata = dict(metadata or {})

    @property
    def derived_columns(self) -> list[str]:
        """Model columns computed inside the model (the text score)."""
        return [TEXT_SCORE] if TEXT_SCORE in self.schema.columns else []

    @property
    def input_columns(self) -> list[str]:
        """Columns a feature frame must have, exactly."""
        derived = set(self.derived_columns)
        return [c for c in self.schema.columns if c not in derived]

    def _documents(self, frame: pd.DataFrame, documents: Documents) -> np.ndarray:
        if documents is None:
            return np.full(len(frame), "", dtype=object)
        if isinstance(documents, pd.Series):
            aligned = documents.reindex(frame.index)
            return aligned.fillna("").astype(str).to_numpy(dtype=object)
        docs = np.asarray(list(documents), dtype=object)
        if len(docs) != len(frame):
            raise ValueError(f"{len(docs)} documents for {len(frame)} feature rows")
        return docs

    def _text_scores(self, frame: pd.DataFrame, documents: Documents) -> np.ndarray:
        if self.text_model is None:
            raise ValueError(f"model uses {TEXT_SCORE} but carries no text model")
        docs = self._documents(frame, documents)
        scores = positive_scores(self.text_model.predict_proba(docs)) if len(docs) else []
        return np.asarray(scores, dtype=np.float64)

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
        derived = self._derived(frame, documents)
        if not len(frame):
            return np.empty(0, dtype=np.float64), []
        matrix = self.schema.to_matrix(frame, derived)
        raw = np.asarray(
            self.booster.predict(matrix, raw_score=True, **_threads(len(matrix))),
            dtype=np.float64,
        )
        if not explain:
            return raw, [[] for _ in range(len(frame))]
        return raw, self._reasons(matrix, frame, derived, top_k)

    def _reasons(
        self,
        matrix: np.ndarray,
        frame: pd.DataFrame,
        derived: dict[str, np.ndarray],
        top_k: int,
    ) -> list[list[Reason]]:
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
            )
            for name in used
        }
        reasons: list[list[Reason]] = []
        for row, picks in enumerate(top):
            row_reasons = []
            for col in picks:
                value = float(contrib[row, col])
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
