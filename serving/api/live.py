"""Live scoring with the champion models: feature records and freshly computed feature rows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from serving.api.lookup import result_items
from serving.api.records import RecordBatch
from serving.scoring.score import score_customers

if TYPE_CHECKING:
    from serving.api.state import ServingState


def score_frame(
    state: ServingState,
    frame: pd.DataFrame,
    documents: pd.Series | None,
    explain: bool,
) -> pd.DataFrame:
    """Scores, tiers, actions and (optionally) reasons of a feature frame, as in batch scoring."""
    return score_customers(state.champions, frame, documents, state.scoring, explain=explain)


def record_documents(state: ServingState, batch: RecordBatch) -> pd.Series:
    """Per record: its own document, else the snapshot document of its customer id, else ""."""
    wanted = [
        customer_id
        for customer_id, given in zip(batch.customer_ids, batch.documents, strict=True)
        if given is None and customer_id is not None
    ]
    known = state.documents_of(list(dict.fromkeys(wanted))) if wanted else pd.Series(dtype=object)
    looked_up = known.reindex(pd.Index(batch.customer_ids, dtype=object)).to_numpy(dtype=object)
    documents = [
        given if given is not None else (found if isinstance(found, str) else "")
        for given, found in zip(batch.documents, looked_up, strict=True)
    ]
    return pd.Series(documents, index=batch.frame.index, dtype=object)


def score_records(state: ServingState, batch: RecordBatch, explain: bool) -> list[dict[str, Any]]:
    """Result items of validated records, in request order."""
    scored = score_frame(state, batch.frame, record_documents(state, batch), explain)
    scored.index = pd.Index(batch.customer_ids, dtype=object)
    return result_items(scored, list(range(len(scored))), "live")
