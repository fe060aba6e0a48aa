"""Per-customer aggregation on integer customer codes (numpy, no Python loops).

Every function takes ``codes`` (row -> customer position, all >= 0) and returns one value per
customer position ``0 .. size - 1``; customers without rows get ``fill``.
"""

from __future__ import annotations

import numpy as np


def group_count(codes: np.ndarray, size: int, mask: np.ndarray | None = None) -> np.ndarray:
    """Number of rows (where ``mask``) per customer."""
    if mask is not None:
        codes = codes[mask]
    return np.bincount(codes, minlength=size).astype(np.int64)


def group_sum(
    codes: np.ndarray, values: np.ndarray, size: int, mask: np.ndarray | None = None
) -> np.ndarray:
    """Sum of ``values`` (where ``mask``, NaN ignored) per customer."""
    values = np.asarray(values, dtype=np.float64)
    keep = ~np.isnan(values) if mask is None else mask & ~np.isnan(values)
    summed = np.bincount(codes[keep], weights=values[keep], minlength=size)
    return summed.astype(np.float64, copy=False)


def group_max(
    codes: np.ndarray,
    values: np.ndarray,
    size: int,
    fill: float | np.ndarray = np.nan,
    mask: np.ndarray | None = None,
) -> np.ndarray:
    """Largest non-NaN value per customer; ``fill`` where there is none."""
    return _reduce(np.fmax, codes, values, size, fill, mask)


def group_min(
    codes: np.ndarray,
    values: np.ndarray,
    size: int,
    fill: float | np.ndarray = np.nan,
    mask: np.ndarray | None = None,
) -> np.ndarray:
    """Smallest non-NaN value per customer; ``fill`` where there is none."""
    return _reduce(np.fmin, codes, values, size, fill, mask)


def _reduce(
    ufunc: np.ufunc,
    codes: np.ndarray,
    values: np.ndarray,
    size: int,
    fill: float | np.ndarray,
    mask: np.ndarray | None,
) -> np.ndarray:
    values = np.asarray(values, dtype=np.float64)
    if mask is not None:
        codes, values = codes[mask], values[mask]
    out = np.full(size, np.nan)
    ufunc.at(out, codes, values)
    return np.where(np.isnan(out), fill, out)


def safe_ratio(numerator: np.ndarray, denominator: np.ndarray, default: float) -> np.ndarray:
    """``numerator / denominator`` where the denominator is positive, else ``default``."""
    ok = denominator > 0
    out = np.full(np.shape(numerator), default, dtype=np.float64)
    np.divide(numerator, denominator, out=out, where=ok)
    return np.where(np.isnan(out), default, out)
