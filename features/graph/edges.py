"""From the contract ``edges`` table to sparse adjacency matrices over the customer base.

Point in time: an edge row is known once its ``month`` has ended (``months_known_at``); only the
``lookback_months`` complete months before ``as_of`` are used. Customers are numbered by their
position in ``customer_ids``; rows naming ids outside it, self-loops, unknown kinds and
non-positive weights are dropped with a logged count. Duplicate (src, dst, kind, month) rows
count once (the largest weight). A family plan is symmetric, so (a, b) and (b, a) in the same
month are one row.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from scipy import sparse

from features.core.timeline import months_known_at, snapshot_end
from features.vocabulary import EDGE_KINDS

logger = logging.getLogger(__name__)

EDGE_COLUMNS = ["src", "dst", "kind", "weight", "month"]
KINDS = list(EDGE_KINDS)
CONTACT_KINDS = ["call", "sms", "family_plan"]
_FAMILY = KINDS.index("family_plan")
_FOLLOW = KINDS.index("follow")


@dataclass(frozen=True)
class EdgeArrays:
    """Cleaned edge rows as integer customer positions.

    Attributes:
        src: Position of the source customer.
        dst: Position of the destination customer.
        kind: Index into ``KINDS``.
        weight: Positive weight of the row.
    """

    src: np.ndarray
    dst: np.ndarray
    kind: np.ndarray
    weight: np.ndarray


@dataclass(frozen=True)
class SocialGraph:
    """Sparse matrices of one snapshot, rows and columns in ``customer_ids`` order.

    Attributes:
        contact: Symmetric weighted adjacency of calls, SMS and family plans (CSR).
        family: Symmetric 0/1 adjacency of family-plan members (CSR).
        follow: Directed 0/1 adjacency, row follows column (CSR).
    """

    contact: sparse.csr_array
    family: sparse.csr_array
    follow: sparse.csr_array

    @property
    def size(self) -> int:
        """Number of customers (nodes)."""
        return self.contact.shape[0]


def customer_index(customer_ids: pd.Index | pd.Series) -> pd.Index:
    """Unique string index of the customer base, named ``customer_id``.

    Raises:
        ValueError: The ids are not unique.
    """
    index = pd.Index(customer_ids, name="customer_id")
    if not (pd.api.types.is_object_dtype(index) or pd.api.types.is_string_dtype(index)):
        index = index.astype(str)
    if not index.is_unique:
        raise ValueError("customer_ids: ids must be unique")
    return index


def _is_arrow_string(dtype: object) -> bool:
    if isinstance(dtype, pd.StringDtype):
        return dtype.storage != "python"
    return isinstance(dtype, pd.ArrowDtype) and (
        pa.types.is_string(dtype.pyarrow_dtype) or pa.types.is_large_string(dtype.pyarrow_dtype)
    )


def lookup_positions(values: pd.Series, keys: pd.Index) -> np.ndarray:
    """Position of each value in the unique string ``keys``; -1 for unknown or null values.

    Categorical columns are looked up once per category, Arrow-backed strings (what the
    synthetic world and pyarrow readers produce) with ``pyarrow.compute.index_in``, which is
    about four times faster than pandas hashing of Arrow strings.
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        category_positions = lookup_positions(pd.Series(values.cat.categories), keys)
        codes = values.cat.codes.to_numpy()
        return np.where(codes >= 0, category_positions[codes], -1)
    if _is_arrow_string(values.dtype):
        column = pa.array(values.array)
        value_set = pa.array(np.asarray(keys, dtype=object), type=column.type, from_pandas=True)
        found = pc.index_in(column, value_set=value_set)
        return pc.fill_null(found, -1).to_numpy(zero_copy_only=False).astype(np.int64)
    if not (pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values)):
        values = values.astype(str).where(values.notna())
    return keys.get_indexer(values)


def _month_window(
    months: pd.Series, as_of: str | pd.Timestamp, lookback_months: int
) -> tuple[np.ndarray, np.ndarray]:
    codes, uniques = pd.factorize(months)
    distinct = pd.DataFrame({"month": pd.DatetimeIndex(uniques)})
    known = months_known_at(distinct, "month", as_of)
    cutoff = snapshot_end(as_of) - pd.DateOffset(months=lookback_months)
    recent = known.index[known["month"] + pd.offsets.MonthBegin(1) > cutoff]
    keep = np.zeros(len(uniques) + 1, dtype=bool)
    keep[recent] = True
    return keep[codes], codes


def window_mask(months: pd.Series, as_of: str | pd.Timestamp, lookback_months: int) -> np.ndarray:
    """Rows whose month has ended by ``as_of`` and is one of the last ``lookback_months``.

    The rule is evaluated once per distinct month with ``months_known_at``.
    """
    return _month_window(months, as_of, lookback_months)[0]


def _warn(count: int, what: str) -> None:
    if count:
        logger.warning("edges: ignored %d row(s) %s", count, what)


def clean_edges(
    edges: pd.DataFrame,
    index: pd.Index,
    as_of: str | pd.Timestamp,
    lookback_months: int,
) -> EdgeArrays:
    """Select the point-in-time edge rows of a snapshot and encode them as positions.

    Args:
        edges: Contract ``edges`` table (src, dst, kind, weight, month).
        index: Customer base from :func:`customer_index`.
        as_of: Snapshot date.
        lookback_months: Number of complete months to use.

    Returns:
        The kept rows as integer arrays.

    Raises:
        ValueError: A required column is missing.
    """
    missing = [name for name in EDGE_COLUMNS if name not in edges.columns]
    if missing:
        raise ValueError(f"edges: missing required column(s) {', '.join(missing)}")
    months = edges["month"]
    if not pd.api.types.is_datetime64_any_dtype(months):
        months = pd.to_datetime(months)
    in_window, month_code = _month_window(months, as_of, lookback_months)
    frame = edges.loc[in_window, EDGE_COLUMNS]
    month_code = month_code[in_window]
    src = lookup_positions(frame["src"], index)
    dst = lookup_positions(frame["dst"], index)
    kind = lookup_positions(frame["kind"], pd.Index(KINDS))
    weight = pd.to_numeric(frame["weight"], errors="coerce").to_numpy(dtype=float)

    known = (src >= 0) & (dst >= 0)
    _warn(int((~known).sum()), "with customer ids outside customer_ids")
    valid_kind = kind >= 0
    _warn(int((known & ~valid_kind).sum()), "with an unknown kind")
    positive = np.isfinite(weight) & (weight > 0)
    _warn(int((known & valid_kind & ~positive).sum()), "with a missing or non-positive weight")
    loop = src == dst
    _warn(int((known & valid_kind & positive & loop).sum()), "that are self-loops")
    keep = known & valid_kind & positive & ~loop

    src, dst, kind = src[keep], dst[keep], kind[keep]
    weight, month_code = weight[keep], month_code[keep]
    family = kind == _FAMILY
    src, dst = (
        np.where(family, np.minimum(src, dst), src),
        np.where(family, np.maximum(src, dst), dst),
    )
    return _drop_duplicates(EdgeArrays(src, dst, kind, weight), month_code)


def _row_keys(rows: EdgeArrays, month_code: np.ndarray) -> np.ndarray:
    """One int64 per (src, dst, kind, month)."""
    size = int(max(rows.src.max(), rows.dst.max())) + 1
    months = int(month_code.max()) + 1
    pair = rows.src.astype(np.int64) * size + rows.dst
    if size * size * len(KINDS) * months >= 2**63:
        pair = pd.factorize(pair)[0].astype(np.int64)
    return (pair * len(KINDS) + rows.kind) * months + month_code


def _drop_duplicates(rows: EdgeArrays, month_code: np.ndarray) -> EdgeArrays:
    if rows.src.size == 0:
        return rows
    key = _row_keys(rows, month_code)
    ordered = np.sort(key)
    if not (ordered[1:] == ordered[:-1]).any():
        return rows
    order = np.lexsort((rows.weight, key))
    ordered = key[order]
    last = np.concatenate([ordered[1:] != ordered[:-1], [True]])
    kept = np.sort(order[last])
    _warn(int(key.size - kept.size), "duplicating (src, dst, kind, month); kept the largest weight")
    return EdgeArrays(rows.src[kept], rows.dst[kept], rows.kind[kept], rows.weight[kept])


def _square(rows: np.ndarray, cols: np.ndarray, data: np.ndarray, size: int) -> sparse.csr_array:
    matrix = sparse.coo_array((data, (rows, cols)), shape=(size, size)).tocsr()
    matrix.sum_duplicates()
    return matrix


def adjacency_pattern(matrix: sparse.csr_array) -> sparse.csr_array:
    """The 0/1 matrix with the same stored entries as ``matrix``."""
    ones = np.ones_like(matrix.data)
    return sparse.csr_array((ones, matrix.indices, matrix.indptr), shape=matrix.shape)


def build_graph(rows: EdgeArrays, size: int, family_plan_weight: float) -> SocialGraph:
    """Sum the cleaned rows into the snapshot's sparse matrices.

    Args:
        rows: Output of :func:`clean_edges`.
        size: Number of customers.
        family_plan_weight: Tie strength of one family-plan month.

    Returns:
        The contact, family and follow matrices.
    """
    contact = rows.kind != _FOLLOW
    src, dst = rows.src[contact], rows.dst[contact]
    family = rows.kind[contact] == _FAMILY
    weight = np.where(family, rows.weight[contact] * family_plan_weight, rows.weight[contact])
    both_src = np.concatenate([src, dst])
    both_dst = np.concatenate([dst, src])
    contact_matrix = _square(both_src, both_dst, np.concatenate([weight, weight]), size)
    family_matrix = adjacency_pattern(
        _square(
            both_src[np.tile(family, 2)],
            both_dst[np.tile(family, 2)],
            np.ones(2 * int(family.sum())),
            size,
        )
    )
    follow = ~contact
    follow_matrix = adjacency_pattern(
        _square(rows.src[follow], rows.dst[follow], np.ones(int(follow.sum())), size)
    )
    return SocialGraph(contact_matrix, family_matrix, follow_matrix)
