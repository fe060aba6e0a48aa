"""Input checks and customer-id encoding shared by the structured feature families."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd


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


def customer_codes(ids: pd.Series, index: pd.Index) -> np.ndarray:
    """Position of each row's customer in ``index``; -1 for unknown or null ids."""
    values = ids
    if not (pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values)):
        values = values.astype(str).where(ids.notna())
    return index.get_indexer(values)


def months_back(months: pd.Series, last_month: pd.Timestamp, count: int) -> np.ndarray:
    """Whole months from each row's month back to ``last_month`` (0 = that month).

    Rows outside the ``count`` months ending with ``last_month`` get -1. Any date inside a month
    stands for the month.
    """
    first = last_month.to_period("M").to_timestamp() - pd.DateOffset(months=count - 1)
    bounds = pd.date_range(first, periods=count + 1, freq="MS").to_numpy()
    slot = np.searchsorted(bounds, months.to_numpy(dtype="datetime64[ns]"), side="right") - 1
    return np.where((slot >= 0) & (slot < count), count - 1 - slot, -1)


def float_values(
    series: pd.Series, rows: np.ndarray | slice, nan: float | None = 0.0
) -> np.ndarray:
    """``series`` at positions ``rows`` as float64, missing values replaced by ``nan``."""
    if pd.api.types.is_float_dtype(series.dtype) and isinstance(series.dtype, np.dtype):
        values = series.to_numpy()[rows].astype(np.float64, copy=False)
    else:
        values = series.to_numpy(dtype=np.float64, na_value=np.nan)[rows]
    if nan is not None:
        values = np.where(np.isnan(values), nan, values)
    return values


def day_number(stamps: pd.Series | pd.Timestamp) -> np.ndarray | int:
    """Calendar day number (days since 1970-01-01) of naive timestamps."""
    if isinstance(stamps, pd.Timestamp):
        return int(np.datetime64(stamps.to_datetime64(), "D").astype(np.int64))
    return stamps.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]").astype(np.int64)


def rule_positions(
    frame: pd.DataFrame,
    rule: Callable[..., pd.DataFrame],
    column: str,
    as_of: str | pd.Timestamp,
    *args: int,
) -> np.ndarray:
    """Positions of the rows a ``features.timeline`` rule keeps, without copying the table.

    Args:
        frame: Table to filter.
        rule: A timeline rule such as ``known_at`` or ``in_last_days``.
        column: Time column the rule reads.
        as_of: Snapshot date.
        *args: Further arguments of the rule (e.g. the window length in days).

    Returns:
        Sorted integer positions into ``frame``.
    """
    probe = pd.DataFrame({column: frame[column].to_numpy()}, copy=False)
    return rule(probe, column, as_of, *args).index.to_numpy()


def rule_mask(
    frame: pd.DataFrame,
    rule: Callable[..., pd.DataFrame],
    column: str,
    as_of: str | pd.Timestamp,
    *args: int,
) -> np.ndarray:
    """Boolean mask over ``frame``'s rows of what a ``features.timeline`` rule keeps."""
    mask = np.zeros(len(frame), dtype=bool)
    mask[rule_positions(frame, rule, column, as_of, *args)] = True
    return mask
