"""Input checks, customer-id encoding and numpy column access shared by the structured families.

The families read each table column once as a numpy array and work on row positions, so one
customer's handful of rows costs little more than the fixed price of a few numpy calls.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionArray

from features.registry import FeatureSpec


def require_columns(
    frame: pd.DataFrame,
    table: str,
    columns: Iterable[str],
    timestamp_columns: Iterable[str] = (),
) -> pd.DataFrame:
    """Check that ``frame`` has the contract columns the features need.

    Args:
        frame: Input table.
        table: Contract table name, used in the error message.
        columns: Required column names.
        timestamp_columns: Required columns that must hold ``datetime64`` values. An empty
            table's columns often have no type yet; they are given ``datetime64[ns]``.

    Returns:
        ``frame``, or for an empty table a copy with typed timestamp columns.

    Raises:
        ValueError: A column is missing, or a timestamp column of a non-empty table is not
            ``datetime64``.
    """
    missing = [name for name in columns if name not in frame.columns]
    if missing:
        raise ValueError(f"{table}: missing required column(s) {', '.join(missing)}")
    untyped = [
        name for name in timestamp_columns if not pd.api.types.is_datetime64_any_dtype(frame[name])
    ]
    if untyped and len(frame):
        name = untyped[0]
        raise ValueError(
            f"{table}.{name}: expected datetime64 values, got dtype {frame[name].dtype}"
        )
    if untyped:
        frame = frame.astype(dict.fromkeys(untyped, "datetime64[ns]"))
    return frame


def customer_index(customer_ids: Iterable[str]) -> pd.Index:
    """Unique string index of the customers to score, named ``customer_id``.

    Raises:
        ValueError: The ids are not unique.
    """
    index = customer_ids if isinstance(customer_ids, pd.Index) else pd.Index(customer_ids)
    if not (pd.api.types.is_object_dtype(index) or pd.api.types.is_string_dtype(index)):
        index = index.astype(str)
    if index.name != "customer_id":
        index = index.rename("customer_id")
    if not index.is_unique:
        raise ValueError("customers.customer_id: ids must be unique")
    return index


def customer_codes(
    ids: pd.Series, index: pd.Index, rows: np.ndarray | slice = slice(None)
) -> np.ndarray:
    """Position in ``index`` of the customer of each row at ``rows``; -1 for unknown or null ids."""
    if not (pd.api.types.is_object_dtype(ids) or pd.api.types.is_string_dtype(ids)):
        ids = ids.astype(str).where(ids.notna())
    return index_positions(index, take(ids, rows))


SMALL_MATCH = 4_096
"""Up to this many value-key pairs, :func:`index_positions` compares instead of hashing."""


def index_positions(index: pd.Index, values: np.ndarray | ExtensionArray) -> np.ndarray:
    """``index.get_indexer(values)`` for a unique ``index``: position of each value, else -1.

    A few values against a few ``str`` keys (one customer online) are compared with ``==``,
    which for ``str`` keys matches exactly what the hash lookup matches, at a fraction of the
    fixed cost of ``get_indexer``.
    """
    if (
        isinstance(values, np.ndarray)
        and values.dtype == object
        and len(index) * len(values) <= SMALL_MATCH
        and index.inferred_type == "string"
    ):
        keys = np.asarray(index, dtype=object)
        try:
            equal = np.asarray(values[:, None] == keys[None, :], dtype=bool)
        except (TypeError, ValueError):
            pass
        else:
            return np.where(equal.any(axis=1), equal.argmax(axis=1), -1).astype(np.intp)
    return index.get_indexer(values)


def take(series: pd.Series, rows: np.ndarray | slice) -> np.ndarray | ExtensionArray:
    """The values of ``series`` at positions ``rows``, without building a Series."""
    if isinstance(series.dtype, np.dtype):
        return series.to_numpy()[rows]
    return series.array[rows]


def equal_mask(series: pd.Series, rows: np.ndarray | slice, value: object) -> np.ndarray:
    """``series == value`` at positions ``rows`` as booleans (missing values are not equal)."""
    values = take(series, rows)
    if isinstance(values, np.ndarray) and values.dtype == object:
        try:
            return np.asarray(values == value, dtype=bool)
        except (TypeError, ValueError):
            pass
    return np.asarray(take(series == value, rows))


def category_codes(series: pd.Series, rows: np.ndarray | slice, categories: pd.Index) -> np.ndarray:
    """Position in ``categories`` of the value at each of ``rows`` (-1 for other or missing values).

    Equals ``pd.Categorical(values, categories).codes`` as int64, without building the
    Categorical.
    """
    values = series.to_numpy()[rows]
    if values.dtype == object:
        return index_positions(categories, values).astype(np.int64)
    return pd.Categorical(values, dtype=pd.CategoricalDtype(categories)).codes.astype(np.int64)


def stamp_values(stamps: pd.Series) -> np.ndarray:
    """The naive ``datetime64`` values of a timestamp column, for the point-in-time masks.

    Raises:
        TypeError: The column holds timezone-aware timestamps, which the naive snapshot bounds of
            ``features.core.timeline`` cannot be compared with.
    """
    if not (isinstance(stamps.dtype, np.dtype) and stamps.dtype.kind == "M"):
        raise TypeError(f"Invalid comparison between dtype={stamps.dtype} and Timestamp")
    return stamps.to_numpy()


def months_back(months: np.ndarray, last_month: np.datetime64, count: int) -> np.ndarray:
    """Whole months from each row's month back to ``last_month`` (0 = that month).

    Rows outside the ``count`` months ending with ``last_month`` get -1. Any date inside a month
    stands for the month.
    """
    last = np.datetime64(last_month, "M")
    bounds = np.arange(last - (count - 1), last + 2).astype("datetime64[ns]")
    slot = np.searchsorted(bounds, np.asarray(months, dtype="datetime64[ns]"), side="right") - 1
    return np.where((slot >= 0) & (slot < count), count - 1 - slot, -1)


def float_values(
    series: pd.Series, rows: np.ndarray | slice, nan: float | None = 0.0
) -> np.ndarray:
    """``series`` at positions ``rows`` as float64, missing values replaced by ``nan``."""
    if isinstance(series.dtype, np.dtype) and series.dtype.kind in "fiub":
        values = series.to_numpy()[rows].astype(np.float64, copy=False)
    else:
        values = series.to_numpy(dtype=np.float64, na_value=np.nan)[rows]
    if nan is not None:
        values = np.where(np.isnan(values), nan, values)
    return values


def flag_values(series: pd.Series, rows: np.ndarray | slice) -> np.ndarray:
    """``series`` at positions ``rows`` as booleans, missing values False."""
    if pd.api.types.is_bool_dtype(series.dtype) and isinstance(series.dtype, np.dtype):
        return series.to_numpy()[rows]
    return series.iloc[rows].astype("boolean").fillna(False).to_numpy(dtype=bool)


def day_number(stamps: pd.Series | np.ndarray | pd.Timestamp) -> np.ndarray | int:
    """Calendar day number (days since 1970-01-01) of naive timestamps."""
    if isinstance(stamps, pd.Timestamp):
        return int(np.datetime64(stamps.to_datetime64(), "D").astype(np.int64))
    if isinstance(stamps, pd.Series):
        stamps = stamps.to_numpy(dtype="datetime64[ns]")
    return stamps.astype("datetime64[ns]").astype("datetime64[D]").astype(np.int64)


def feature_frame(
    columns: Mapping[str, np.ndarray | pd.Categorical],
    index: pd.Index,
    features: Sequence[FeatureSpec],
) -> pd.DataFrame:
    """The declared ``features`` of ``columns`` as one frame on ``index``, in declared order.

    The arrays become the frame's columns without a copy: each must be freshly computed (not a
    view of an input table).
    """
    return pd.DataFrame(
        {spec.name: columns[spec.name] for spec in features}, index=index, copy=False
    )


def frame_columns(
    frame: pd.DataFrame, names: Sequence[str], rows: np.ndarray | None = None
) -> dict[str, np.ndarray | ExtensionArray]:
    """Fresh copies of the columns ``names`` of ``frame`` (at positions ``rows``), by name.

    Numpy columns stay numpy arrays of their dtype, other columns stay extension arrays.
    """
    if rows is None and len(frame) <= SHORT_FRAME and frame.columns.is_unique:
        return _short_frame_columns(frame, names)
    columns: dict[str, np.ndarray | ExtensionArray] = {}
    for name in names:
        values = frame[name]
        if isinstance(values.dtype, np.dtype):
            array = values.to_numpy()
            columns[name] = array.copy() if rows is None else array[rows]
        else:
            columns[name] = values.array.copy() if rows is None else values.array.take(rows)
    return columns


SHORT_FRAME = 16
"""Up to this many rows, :func:`frame_columns` reads a frame's values at once."""


def _short_frame_columns(
    frame: pd.DataFrame, names: Sequence[str]
) -> dict[str, np.ndarray | ExtensionArray]:
    """:func:`frame_columns` of a short frame: one object array instead of a Series per column.

    Numeric and boolean values convert to Python or numpy scalars and back exactly.
    """
    values = frame.iloc[0].to_numpy()[None] if len(frame) == 1 else None
    if values is None or values.dtype != object:
        values = frame.to_numpy(dtype=object)
    dtypes = list(frame.dtypes)
    position = {name: i for i, name in enumerate(frame.columns)}
    columns: dict[str, np.ndarray | ExtensionArray] = {}
    for name in names:
        dtype = dtypes[position[name]]
        if isinstance(dtype, np.dtype) and dtype.kind in "biuf":
            columns[name] = values[:, position[name]].astype(dtype)
        elif isinstance(dtype, np.dtype):
            columns[name] = frame[name].to_numpy(copy=True)
        else:
            columns[name] = frame[name].array.copy()
    return columns
