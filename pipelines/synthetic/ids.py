"""String ids and id columns as compact Arrow-backed pandas arrays."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

STRING_DTYPE = "string[pyarrow]"


def format_ids(
    prefix: str, numbers: np.ndarray, width: int, mask: np.ndarray | None = None
) -> pa.Array:
    """Ids like ``C0000042`` for integer ``numbers`` (missing where ``mask``)."""
    digits = pc.utf8_lpad(
        pc.cast(pa.array(np.asarray(numbers, dtype=np.int64)), pa.string()), width, "0"
    )
    ids = pc.binary_join_element_wise(prefix, digits, "")
    if mask is not None and mask.any():
        ids = pc.if_else(pa.array(mask), pa.nulls(len(ids), pa.string()), ids)
    return ids


def id_width(count: int, minimum: int = 7) -> int:
    return max(minimum, len(str(max(int(count), 1))))


def take_ids(ids: pa.Array, index: np.ndarray) -> pd.arrays.ArrowStringArray:
    """Id column for positions ``index`` into ``ids``; negative positions become missing."""
    index = np.asarray(index, dtype=np.int64)
    missing = index < 0
    positions = pa.array(np.where(missing, 0, index), mask=missing if missing.any() else None)
    return pd.arrays.ArrowStringArray(ids.take(positions))


def string_column(values: np.ndarray | list) -> pd.arrays.ArrowStringArray:
    """A nullable Arrow string column from Python strings (``None`` for missing)."""
    return pd.arrays.ArrowStringArray(pa.array(values, type=pa.string(), from_pandas=True))
