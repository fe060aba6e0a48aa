"""Score frames (as made by ``serving.scoring.score.score_customers``) as API result items."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from serving.scoring.score import reason_list, score_customers
from training.champions import ChampionModels, ScoringConfig

SMALL_LOOKUP = 32
"""Up to this many ids are looked up one by one (cheaper than building an index)."""

SCORE_COLUMNS = (
    "p_repeat_contact",
    "p_escalation",
    "risk_tier",
    "action",
    "action_zh",
    "action_en",
    "team",
    "reasons",
)


def _not_precomputed(reasons: np.ndarray) -> np.ndarray:
    """Rows whose reasons batch scoring left out (JSON ``null`` as stored, or ``None``)."""
    return np.asarray(reasons == "null", dtype=bool) | pd.isna(reasons)


def _columns(scores: pd.DataFrame) -> dict[str, np.ndarray]:
    return {name: scores[name].to_numpy(dtype=object) for name in SCORE_COLUMNS}


def _items(
    ids: np.ndarray,
    columns: dict[str, np.ndarray],
    rows: np.ndarray | list[int],
    indices: np.ndarray | list[int],
    source: str,
) -> list[dict[str, Any]]:
    p_repeat, p_escalation = columns["p_repeat_contact"], columns["p_escalation"]
    tier, action, action_zh, action_en, team, reasons = (
        columns[name]
        for name in ("risk_tier", "action", "action_zh", "action_en", "team", "reasons")
    )
    return [
        {
            "index": int(index),
            "customer_id": None if pd.isna(ids[row]) else str(ids[row]),
            "p_repeat_contact": float(p_repeat[row]),
            "p_escalation": float(p_escalation[row]),
            "risk_tier": tier[row],
            "action": {
                "code": action[row],
                "zh": action_zh[row],
                "en": action_en[row],
                "team": team[row],
            },
            "reasons": reason_list(reasons[row]),
            "source": source,
            "error": None,
        }
        for row, index in zip(rows, indices, strict=True)
    ]


def result_items(
    scores: pd.DataFrame, indices: np.ndarray | list[int], source: str
) -> list[dict[str, Any]]:
    """One ``CustomerScore`` dict per row of ``scores``.

    Args:
        scores: Rows of a score frame (index customer_id, the :data:`SCORE_COLUMNS`).
        indices: Request position of each row.
        source: ``"snapshot"`` or ``"live"``.
    """
    ids = scores.index.to_numpy(dtype=object)
    return _items(ids, _columns(scores), range(len(scores)), indices, source)


def error_item(index: int, customer_id: str | None, code: str, message: str) -> dict[str, Any]:
    """A ``CustomerScore`` dict carrying a per-item error."""
    return {
        "index": index,
        "customer_id": customer_id,
        "p_repeat_contact": None,
        "p_escalation": None,
        "risk_tier": None,
        "action": None,
        "reasons": [],
        "source": None,
        "error": {"code": code, "message": message},
    }


@dataclass(frozen=True)
class ScoreTable:
    """Batch scores of one snapshot, looked up by customer id.

    Attributes:
        as_of: Snapshot date.
        frame: Scores indexed by customer_id (``reasons`` as lists of dicts or their JSON text;
            ``None``/``null``: not precomputed, see ``ScoringConfig.reasons_for_tiers``).
        versions: Model name/version/alias per target that produced them.
        explain: Scores the given customers of this snapshot with reasons (as batch scoring
            would, see :func:`snapshot_explainer`): a lookup of a customer
            without precomputed reasons answers with its result. ``None``: such customers are
            answered without reasons.
    """

    as_of: date
    frame: pd.DataFrame
    versions: dict[str, dict[str, str]]
    explain: Callable[[list[str]], pd.DataFrame] | None = field(default=None, compare=False)
    _ids: np.ndarray = field(init=False, repr=False)
    _columns: dict[str, np.ndarray] = field(init=False, repr=False)
    _unexplained: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        missing = [c for c in SCORE_COLUMNS if c not in self.frame.columns]
        if missing:
            raise ValueError(f"score table of {self.as_of} lacks columns {missing}")
        if not self.frame.index.is_unique:
            raise ValueError(f"score table of {self.as_of} repeats customer ids")
        object.__setattr__(self, "_ids", self.frame.index.to_numpy(dtype=object))
        object.__setattr__(self, "_columns", _columns(self.frame))
        object.__setattr__(self, "_unexplained", _not_precomputed(self._columns["reasons"]))

    def __len__(self) -> int:
        return len(self.frame)

    def lookup(self, customer_ids: list[str]) -> list[dict[str, Any]]:
        """Result items in request order; unknown ids get a per-item error."""
        positions = self._positions(customer_ids)
        found = np.flatnonzero(positions >= 0)
        items: list[dict[str, Any]] = [{}] * len(customer_ids)
        scored = _items(self._ids, self._columns, positions[found], found, "snapshot")
        for position, item in zip(found, scored, strict=True):
            items[position] = item
        if self.explain is not None:
            missing = found[self._unexplained[positions[found]]]
            if missing.size:
                ids = [customer_ids[position] for position in missing]
                explained = result_items(self.explain(ids), missing, "snapshot")
                for position, item in zip(missing, explained, strict=True):
                    items[position] = item
        for position in np.flatnonzero(positions < 0):
            items[position] = error_item(
                int(position),
                customer_ids[position],
                "unknown_customer",
                f"customer_ids[{position}] is not in the scored snapshot {self.as_of.isoformat()}",
            )
        return items

    def needs_explaining(self, customer_ids: list[str]) -> bool:
        """Whether a lookup of these ids computes reasons on demand (~5 ms per customer and
        target: callers answering on an event loop may move such lookups to a worker thread)."""
        if self.explain is None:
            return False
        positions = self._positions(customer_ids)
        return bool(self._unexplained[positions[positions >= 0]].any())

    def _positions(self, customer_ids: list[str]) -> np.ndarray:
        """Row of each id, -1 when unknown (hash lookups; one call per id for a few ids)."""
        index = self.frame.index
        if len(customer_ids) > SMALL_LOOKUP:
            return index.get_indexer(pd.Index(customer_ids, dtype=object))
        positions = np.empty(len(customer_ids), dtype=np.intp)
        for i, customer_id in enumerate(customer_ids):
            try:
                positions[i] = index.get_loc(customer_id)
            except KeyError:
                positions[i] = -1
        return positions

    def row(self, customer_id: str) -> pd.Series | None:
        """The scores of one customer, or ``None``."""
        position = self.frame.index.get_indexer(pd.Index([customer_id], dtype=object))[0]
        return None if position < 0 else self.frame.iloc[position]


def snapshot_explainer(
    champions: ChampionModels,
    snapshot_rows: Callable[[list[str]], tuple[pd.DataFrame, pd.Series]],
    scoring: ScoringConfig,
) -> Callable[[list[str]], pd.DataFrame]:
    """Scores customers of the served snapshot with reasons, from their snapshot rows.

    The lookup by id uses it for customers whose reasons batch scoring did not precompute: the
    same models, features, documents and configuration give what scoring the whole base with
    reasons would have given them (about 5 ms per customer and target).

    Args:
        champions: The champion models.
        snapshot_rows: Feature rows (indexed by ``customer_id``) and documents of the given
            customers of the served snapshot, in their order.
        scoring: Tiers, actions and reason settings.
    """

    def explain(customer_ids: list[str]) -> pd.DataFrame:
        frame, documents = snapshot_rows(customer_ids)
        return score_customers(champions, frame, documents, scoring, explain=True)

    return explain
