"""Chunks of bulk work: sizes, positions and record errors counted in the whole request."""

from __future__ import annotations

from serving.api.bulk import EXPLAIN_COST, chunk_rows, chunks, shifted
from serving.api.records import RecordError


def test_chunks_cover_every_item_once_with_their_request_positions():
    parts = chunks(list(range(25)), 10)
    assert [start for start, _ in parts] == [0, 10, 20]
    assert [item for _, part in parts for item in part] == list(range(25))


def test_rows_with_reasons_come_in_smaller_chunks():
    assert chunk_rows(500, explain=False) == 500
    assert chunk_rows(500, explain=True) == 500 // EXPLAIN_COST
    assert chunk_rows(10, explain=True) == 1


def test_a_record_error_names_the_position_in_the_request():
    error = shifted(RecordError("records[3].bill_shock", "expected a number"), 500)
    assert error.field == "records[503].bill_shock"
    assert str(error) == "records[503].bill_shock: expected a number"
    assert shifted(RecordError("records", "empty"), 500).field == "records"
