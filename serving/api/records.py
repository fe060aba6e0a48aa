"""Feature records sent by a CRM: checked column by column, turned into a model frame.

Errors name the record and the feature, never a value; a key that is not a feature is named
only when it looks like a feature name (lower-case letters, digits and underscores), since a
client may put anything in a key.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

import numpy as np
import pandas as pd

from serving.api.schemas import (
    MAX_CATEGORY_CHARS,
    MAX_DOCUMENT_CHARS,
    MAX_FEATURE_MAGNITUDE,
    MAX_ID_CHARS,
)

CUSTOMER_ID = "customer_id"
DOCUMENT = "document"
RESERVED_KEYS = (CUSTOMER_ID, DOCUMENT)
RESERVED_LIMITS = {CUSTOMER_ID: (1, MAX_ID_CHARS), DOCUMENT: (0, MAX_DOCUMENT_CHARS)}
_FEATURE_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")


class RecordError(ValueError):
    """A record does not fit the models; ``field`` names where (e.g. ``records[3].bill_shock``)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class RecordBatch:
    """Validated records.

    Attributes:
        frame: Feature columns, one row per record, index = request position.
        customer_ids: Per record, the given customer id or ``None``.
        documents: Per record, the given document or ``None`` (then looked up by id).
    """

    frame: pd.DataFrame
    customer_ids: list[str | None]
    documents: list[str | None]


def _first(mask: np.ndarray) -> int:
    return int(np.flatnonzero(mask)[0])


def _is_nested(values: pd.Series) -> np.ndarray:
    return values.map(lambda v: isinstance(v, dict | list | tuple)).to_numpy(dtype=bool)


def _lengths(values: pd.Series) -> np.ndarray:
    """Characters of each string value, 0 for anything else."""
    return values.map(lambda v: len(v) if isinstance(v, str) else 0).to_numpy(dtype=np.int64)


def _check_finite(values: pd.Series, column: str) -> pd.Series:
    numbers = values.to_numpy(dtype=np.float64, na_value=np.nan)
    bad = np.isinf(numbers) | (np.abs(np.nan_to_num(numbers)) > MAX_FEATURE_MAGNITUDE)
    if bad.any():
        raise RecordError(
            f"records[{_first(bad)}].{column}",
            f"expected a finite number of at most {MAX_FEATURE_MAGNITUDE:.0e} in absolute value",
        )
    return values


def _numeric(values: pd.Series, column: str) -> pd.Series:
    if pd.api.types.is_bool_dtype(values):
        return values
    if pd.api.types.is_numeric_dtype(values):
        return _check_finite(values, column)
    texts = values.map(lambda v: isinstance(v, str | dict | list | tuple)).to_numpy(dtype=bool)
    if texts.any():
        row = _first(texts)
        raise RecordError(f"records[{row}].{column}", "expected a number, true/false or null")
    numbers = pd.to_numeric(values.map(lambda v: np.nan if v is None else float(v)))
    return _check_finite(numbers, column)


def _categorical(values: pd.Series, column: str) -> pd.Series:
    if pd.api.types.is_object_dtype(values):
        nested = _is_nested(values)
        if nested.any():
            raise RecordError(f"records[{_first(nested)}].{column}", "expected a string or null")
        long = _lengths(values) > MAX_CATEGORY_CHARS
        if long.any():
            raise RecordError(
                f"records[{_first(long)}].{column}", f"longer than {MAX_CATEGORY_CHARS} characters"
            )
    return values.astype("string").astype(object).where(values.notna(), None)


def _reserved(frame: pd.DataFrame, key: str) -> list[str | None]:
    if key not in frame.columns:
        return [None] * len(frame)
    values = frame[key]
    bad = values.map(lambda v: v is not None and not isinstance(v, str)).to_numpy(dtype=bool)
    bad &= values.notna().to_numpy(dtype=bool)
    if bad.any():
        raise RecordError(f"records[{_first(bad)}].{key}", "expected a string or null")
    shortest, longest = RESERVED_LIMITS[key]
    lengths = _lengths(values)
    wrong = ((lengths < shortest) | (lengths > longest)) & values.notna().to_numpy(dtype=bool)
    if wrong.any():
        raise RecordError(
            f"records[{_first(wrong)}].{key}",
            f"expected {shortest} to {longest} characters",
        )
    return [None if pd.isna(v) else str(v) for v in values.to_numpy(dtype=object)]


def _uniform_frame(records: Sequence[dict[str, Any]]) -> pd.DataFrame | None:
    """The records as a frame when all of them have the same keys (the usual case), else None."""
    keys = records[0].keys()
    if not all(record.keys() == keys for record in records):
        return None
    columns = list(keys)
    if len(columns) < 2:
        return pd.DataFrame.from_records(list(records), columns=columns)
    return pd.DataFrame(list(map(itemgetter(*columns), records)), columns=columns)


def _check_every_record_complete(
    records: Sequence[dict[str, Any]], required: list[str], present: pd.Index
) -> None:
    not_required = [c for c in present if c not in set(required)]
    required_keys = np.fromiter(
        (len(r) - sum(key in r for key in not_required) for r in records),
        dtype=np.int64,
        count=len(records),
    )
    short = required_keys < len(required)
    if short.any():
        row = _first(short)
        absent = next(c for c in required if c not in records[row])
        raise RecordError(f"records[{row}].{absent}", "missing feature")


def parse_records(
    records: Sequence[dict[str, Any]],
    required: Sequence[str],
    categorical: Collection[str],
    optional: Collection[str] = (),
) -> RecordBatch:
    """Check records against the model's columns and build the feature frame.

    Every record must hold every ``required`` column (``null`` means a missing value); other
    keys must be registered features (``optional``) or the reserved ``customer_id`` and
    ``document``. Numeric columns take numbers, true/false or null; categorical columns take
    strings or null (unseen categories count as missing, as in training).

    Args:
        records: The request's records.
        required: Model input columns.
        categorical: Columns the model treats as categories.
        optional: Further accepted feature columns (e.g. the whole feature registry).

    Returns:
        The validated batch.

    Raises:
        RecordError: Naming the first offending record and key.
    """
    required = list(required)
    extra = [c for c in optional if c not in set(required)]
    allowed = set(required) | set(extra) | set(RESERVED_KEYS)
    frame = _uniform_frame(records) if records else None
    uniform = frame is not None
    if not uniform:
        frame = pd.DataFrame.from_records(list(records))
    unknown = [c for c in frame.columns if c not in allowed]
    if unknown:
        has_key = np.fromiter((unknown[0] in r for r in records), dtype=bool, count=len(records))
        record = f"records[{_first(has_key)}]"
        if isinstance(unknown[0], str) and _FEATURE_NAME.fullmatch(unknown[0]):
            raise RecordError(f"{record}.{unknown[0]}", "unknown feature")
        raise RecordError(record, "holds a key that is not a feature name")
    missing = [c for c in required if c not in frame.columns]
    if missing:
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        raise RecordError(f"records[0].{missing[0]}", f"missing feature{more}")
    if not uniform:
        _check_every_record_complete(records, required, frame.columns)
    columns = {}
    for column in [*required, *(c for c in extra if c in frame.columns)]:
        values = frame[column]
        columns[column] = (
            _categorical(values, column) if column in categorical else _numeric(values, column)
        )
    features = pd.DataFrame(columns, index=pd.RangeIndex(len(frame)))
    return RecordBatch(features, _reserved(frame, CUSTOMER_ID), _reserved(frame, DOCUMENT))
