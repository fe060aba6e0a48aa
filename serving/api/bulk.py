"""Scoring work cut into chunks, so live events run between the chunks of a large request."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from serving.api.live import score_records
from serving.api.records import RecordError, parse_records

if TYPE_CHECKING:
    from serving.api.state import ServingState

EXPLAIN_COST = 50
"""A row with live reasons (TreeSHAP of both models) costs about as much as this many without."""

_RECORD_FIELD = re.compile(r"^records\[(\d+)\]")


def chunk_rows(chunk_rows: int, explain: bool) -> int:
    """Rows per chunk: ``chunk_rows``, or fewer when reasons are computed (see EXPLAIN_COST)."""
    return max(1, chunk_rows // EXPLAIN_COST) if explain else chunk_rows


def chunks(items: list[Any], size: int) -> list[tuple[int, list[Any]]]:
    """``items`` in consecutive slices of ``size``, each with the position of its first item."""
    return [(start, items[start : start + size]) for start in range(0, len(items), size)]


def shifted(error: RecordError, offset: int) -> RecordError:
    """The error with its record position counted from the start of the whole request."""
    field = _RECORD_FIELD.sub(lambda match: f"records[{int(match[1]) + offset}]", error.field)
    return RecordError(field, error.message)


def _reindexed(items: list[dict[str, Any]], offset: int) -> list[dict[str, Any]]:
    if offset:
        for item in items:
            item["index"] += offset
    return items


def score_record_chunk(
    state: ServingState, records: list[dict[str, Any]], explain: bool, offset: int = 0
) -> list[dict[str, Any]]:
    """Result items of one chunk of ``records`` (request positions from ``offset``).

    Raises:
        RecordError: A record does not fit the models (positions counted in the request).
    """
    try:
        batch = parse_records(
            records,
            state.champions.input_columns,
            state.categorical_columns,
            state.feature_columns,
        )
    except RecordError as exc:
        raise shifted(exc, offset) from None
    return _reindexed(score_records(state, batch, explain), offset)


def lookup_chunk(
    state: ServingState, customer_ids: list[str], offset: int = 0
) -> list[dict[str, Any]]:
    """Result items of a lookup of some ids by id (request positions from ``offset``)."""
    return _reindexed(state.scores.lookup(customer_ids), offset)
