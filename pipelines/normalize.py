"""Coerce raw table columns to the contract's types and to naive Asia/Shanghai time."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from pipelines.contract import TABLES, ColumnRule
from pipelines.violations import Violation, examples_from

logger = logging.getLogger(__name__)

LOCAL_TZ = "Asia/Shanghai"
TRUE_WORDS = frozenset({"true", "t", "1", "yes", "y", "是", "真"})
FALSE_WORDS = frozenset({"false", "f", "0", "no", "n", "否", "假"})
_OFFSET_SUFFIX = r"(?:Z|[+-]\d{2}:?\d{2})$"


def _to_local_naive(values: pd.Series) -> pd.Series:
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        return values.dt.tz_convert(LOCAL_TZ).dt.tz_localize(None).astype("datetime64[ns]")
    if pd.api.types.is_datetime64_dtype(values):
        return values.astype("datetime64[ns]")
    text = values.astype("string").str.strip()
    aware = text.str.contains(_OFFSET_SUFFIX, regex=True, na=False)
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    if (~aware).any():
        out[~aware] = pd.to_datetime(text[~aware], errors="coerce", format="mixed")
    if aware.any():
        parsed = pd.to_datetime(text[aware], errors="coerce", format="mixed", utc=True)
        out[aware] = parsed.dt.tz_convert(LOCAL_TZ).dt.tz_localize(None)
    return out


def _to_bool(values: pd.Series) -> pd.Series:
    if pd.api.types.is_bool_dtype(values):
        return values
    words = values.astype("string").str.strip().str.lower()
    out = pd.Series(np.nan, index=values.index, dtype="object")
    out[words.isin(TRUE_WORDS)] = True
    out[words.isin(FALSE_WORDS)] = False
    if out.notna().all():
        return out.astype(bool)
    return out


def whole_numbers(values: pd.Series) -> bool:
    """Whether every present value of a float column is a whole number (text ids read as floats)."""
    present = values.dropna()
    return bool((present == np.floor(present)).all())


def _to_str(values: pd.Series, integral: bool | None = None) -> pd.Series:
    if pd.api.types.is_float_dtype(values) and (
        whole_numbers(values) if integral is None else integral
    ):
        values = values.astype("Int64")
    out = values.astype("string").str.strip()
    out = out.mask(out == "")
    return out.astype(object).where(out.notna(), None)


def _present(values: pd.Series) -> pd.Series:
    """Whether each raw value holds something (typed values need no text check)."""
    typed = (
        pd.api.types.is_numeric_dtype(values)
        or pd.api.types.is_bool_dtype(values)
        or pd.api.types.is_datetime64_any_dtype(values)
    )
    if typed:
        return values.notna()
    return values.notna() & (values.astype("string").str.strip() != "")


def coerce_column(values: pd.Series, rule: ColumnRule, integral: bool | None = None) -> pd.Series:
    """Coerce one raw column to its contract kind; unparseable values become missing.

    Args:
        values: Raw column (text from CSV, or typed from Parquet).
        rule: The contract rule of the column.
        integral: For a text column stored as floats, whether the whole column holds whole
            numbers (they are then written without ``.0``); ``None`` decides from ``values``.
            A chunk of a table passes the whole table's answer so it reads like the whole.

    Returns:
        The coerced column.
    """
    if rule.kind == "str":
        return _to_str(values, integral)
    if rule.kind in ("float", "int"):
        numbers = pd.to_numeric(values, errors="coerce")
        if rule.kind == "int" and numbers.notna().all() and (numbers == np.floor(numbers)).all():
            return numbers.astype("int64")
        return numbers.astype("float64")
    if rule.kind == "bool":
        return _to_bool(values)
    stamps = _to_local_naive(values)
    if rule.kind == "month":
        stamps = stamps.dt.to_period("M").dt.to_timestamp()
    return stamps


_MSISDN_SEPARATORS = r"[\s\-()（）.·]"
_MSISDN_PREFIX = r"^(?:\+86|0086|86)(?=1\d{10}$)"


def normalize_msisdn(values: pd.Series) -> pd.Series:
    """Mobile numbers in the contract's 11-digit form.

    Operators' exports write ``+86 138 0013 8000``, ``0086-138-0013-8000``,
    ``(+86)13800138000`` or ``86 13800138000``: separators are removed, then a country prefix
    in front of an 11-digit number starting with 1 is dropped. Anything else is left for the
    contract's pattern check to reject (it is not a mainland mobile number).
    """
    present = values.notna().to_numpy()
    if not present.any():
        return values
    text = values[present].astype(str).str.replace(_MSISDN_SEPARATORS, "", regex=True)
    normalized = values.copy()
    normalized[present] = text.str.replace(_MSISDN_PREFIX, "", regex=True).to_numpy()
    return normalized


def normalize_table(
    table: str,
    raw: pd.DataFrame,
    first_row: int = 0,
    integral: dict[str, bool] | None = None,
) -> tuple[pd.DataFrame, list[Violation]]:
    """Select the contract columns of a raw table and coerce their types.

    Args:
        table: Contract table name.
        raw: The table as read from the source file, or one chunk of it.
        first_row: Position of ``raw``'s first row in the whole table (0 for a whole table);
            example row numbers in violations count from the whole table's start.
        integral: Per text column stored as floats, whether the whole table holds whole
            numbers there (see :func:`coerce_column`); needed only when ``raw`` is a chunk.

    Returns:
        The normalized table and the violations found while coercing (missing columns,
        values that cannot be parsed as their type). Extra columns are dropped with a warning.
    """
    contract = TABLES[table]
    violations: list[Violation] = []
    missing = [col for col in contract.columns if col not in raw.columns]
    for col in missing:
        violations.append(Violation(table, col, "missing column", len(raw)))
    extra = [col for col in raw.columns if col not in contract.columns]
    if extra:
        logger.warning("%s: ignoring %d extra column(s): %s", table, len(extra), ", ".join(extra))
    if missing:
        return raw, violations

    out = {}
    for col, rule in contract.columns.items():
        coerced = coerce_column(raw[col], rule, (integral or {}).get(col))
        if rule.msisdn:
            coerced = normalize_msisdn(pd.Series(coerced, index=raw.index))
        out[col] = coerced
        if rule.kind == "str":
            continue  # blank text is missing, never unparseable
        broken = _present(raw[col]) & pd.Series(coerced).isna()
        if broken.any():
            rows = (np.flatnonzero(broken.to_numpy()) + 1 + first_row).tolist()
            violations.append(
                Violation(
                    table,
                    col,
                    f"not a valid {rule.kind}",
                    int(broken.sum()),
                    examples_from(rows, raw.loc[broken, col].tolist(), rule.pii),
                )
            )
    return pd.DataFrame(out, index=raw.index).reset_index(drop=True), violations
