"""Customer buckets: a stable hash of the customer id splits every per-customer table.

The bucket of an id is ``FNV-1a-64(UTF-8 bytes of the id) mod buckets``: the 64-bit
Fowler-Noll-Vo hash (offset basis 14695981039346656037, prime 1099511628211; each byte is
XOR-ed in, then the hash is multiplied by the prime modulo 2**64). It is a published function of
the bytes alone, so a bucket never changes across processes, machines, Python or pandas versions
(unlike ``hash()``, which is salted per process, or ``pandas.util.hash_array``, whose algorithm
is not a documented contract). :func:`bucket_codes` computes it for a whole column with numpy,
one pass per byte position: 1.1 s for 10M ids of 8 bytes held as Arrow strings, 3.3 s as
Python ``str`` objects (their conversion to Arrow dominates), measured on the 2-core machine.

Which bucket each row of the contract tables lives in (:func:`table_buckets`) follows the
customer: contacts and posts that reach a customer only through a bound social account, and
those accounts themselves, go to that owner's bucket, so one bucket holds every row its
customers' features and labels need. Rows that belong to no customer (an anonymous contact, an
unbound account and its posts) go to the bucket of their own id (a post: its account's id) and
are never joined to a customer. ``edges`` are global and not bucketed.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pyarrow as pa

from features.identity import account_owners

DEFAULT_BUCKETS = 8
"""Buckets of ``procare data ingest`` (right for the demo's thousands of customers)."""

CUSTOMERS_PER_BUCKET = 125_000
"""Suggested bucket size for large bases: one bucket's snapshot then fits in about 1.5 GB."""

MAX_BUCKETS = 4096

FNV_OFFSET = np.uint64(14695981039346656037)
FNV_PRIME = np.uint64(1099511628211)

BUCKETED_TABLES = (
    "customers",
    "bills",
    "usage",
    "service_events",
    "contacts",
    "social_accounts",
    "social_posts",
)
"""Contract tables stored split into customer buckets (``edges`` stay one global file)."""


def suggested_buckets(customers: int) -> int:
    """Buckets for a base of ``customers``: :data:`DEFAULT_BUCKETS` or more, a power of two.

    E.g. 8 up to 1M customers, 16 for 2M, 128 for 10M, 1024 for 100M.
    """
    needed = max(DEFAULT_BUCKETS, math.ceil(customers / CUSTOMERS_PER_BUCKET))
    return min(MAX_BUCKETS, 1 << (needed - 1).bit_length())


def bucket_of(key: str, buckets: int) -> int:
    """The bucket of one id (the reference definition :func:`bucket_codes` vectorizes)."""
    value = int(FNV_OFFSET)
    for byte in key.encode("utf-8"):
        value = ((value ^ byte) * int(FNV_PRIME)) % (1 << 64)
    return value % buckets


def bucket_codes(ids: pd.Series | pd.Index | np.ndarray, buckets: int) -> np.ndarray:
    """The bucket of every id, vectorized (see the module docstring for the hash).

    Args:
        ids: String ids without missing values (object or Arrow strings).
        buckets: Bucket count, 1 to :data:`MAX_BUCKETS`.

    Returns:
        ``int32`` bucket numbers, one per id.

    Raises:
        ValueError: A missing id or a bucket count out of range.
    """
    if not 1 <= buckets <= MAX_BUCKETS:
        raise ValueError(f"buckets must lie in 1..{MAX_BUCKETS}, got {buckets}")
    values = _large_strings(ids)
    if values.null_count:
        raise ValueError(f"{values.null_count} missing ids cannot be bucketed")
    offsets = np.frombuffer(values.buffers()[1], dtype=np.int64)[values.offset :][: len(values) + 1]
    data = values.buffers()[2]
    data = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)
    data = data[offsets[0] : offsets[-1]]
    lengths = np.diff(offsets)
    width = int(lengths.max(initial=0))
    if len(data) == len(values) * width:
        matrix = data.reshape(len(values), width)
    else:
        matrix = np.zeros((len(values), width), dtype=np.uint8)
        rows = np.repeat(np.arange(len(values)), lengths)
        matrix[rows, np.arange(len(data)) - np.repeat(offsets[:-1] - offsets[0], lengths)] = data
    hashes = np.full(len(values), FNV_OFFSET, dtype=np.uint64)
    for position in range(width):
        mixed = (hashes ^ matrix[:, position]) * FNV_PRIME
        hashes = np.where(lengths > position, mixed, hashes)
    return (hashes % np.uint64(buckets)).astype(np.int32)


def _large_strings(ids: pd.Series | pd.Index | np.ndarray) -> pa.LargeStringArray:
    """``ids`` as one Arrow ``large_string`` array (Arrow-backed columns without a copy)."""
    if isinstance(ids, pd.Series | pd.Index) and ids.dtype == "string[pyarrow]":
        return pa.array(ids).cast(pa.large_string())
    return pa.array(np.asarray(ids, dtype=object), type=pa.large_string(), from_pandas=True)


def _first_owner(tables: dict[str, pd.DataFrame]) -> pd.Series:
    """Owner customer of each bound account (the first, should a number belong to several)."""
    if "social_accounts" not in tables:
        return pd.Series(dtype=object)
    owners = account_owners(tables["customers"], tables["social_accounts"])
    owners = owners.drop_duplicates("account_id")
    return pd.Series(
        owners["customer_id"].to_numpy(dtype=object),
        index=pd.Index(owners["account_id"].to_numpy(dtype=object)),
    )


def _key(frame: pd.DataFrame, *candidates: pd.Series) -> pd.Series:
    """The first non-missing of ``candidates`` per row (all aligned with ``frame``)."""
    key = pd.Series(np.full(len(frame), None, dtype=object), index=frame.index)
    for candidate in reversed(candidates):
        values = candidate.to_numpy(dtype=object, na_value=None)
        key = key.where(pd.isna(values), values)
    return key


def table_buckets(tables: dict[str, pd.DataFrame], buckets: int) -> dict[str, np.ndarray]:
    """The bucket of every row of each table of :data:`BUCKETED_TABLES` present in ``tables``.

    Args:
        tables: Normalized contract tables (``customers`` and ``social_accounts`` needed for
            accounts, contacts and posts).
        buckets: Bucket count.

    Returns:
        One ``int32`` array per table, aligned with its rows.
    """
    owner = _first_owner(tables)
    codes = {}
    for name in ("customers", "bills", "usage", "service_events"):
        if name in tables:
            codes[name] = bucket_codes(tables[name]["customer_id"], buckets)
    if "social_accounts" in tables:
        accounts = tables["social_accounts"]
        key = _key(accounts, accounts["account_id"].map(owner), accounts["account_id"])
        codes["social_accounts"] = bucket_codes(key, buckets)
    if "contacts" in tables:
        contacts = tables["contacts"]
        key = _key(
            contacts,
            contacts["customer_id"],
            contacts["social_account_id"].map(owner),
            contacts["contact_id"],
        )
        codes["contacts"] = bucket_codes(key, buckets)
    if "social_posts" in tables:
        posts = tables["social_posts"]
        key = _key(posts, posts["account_id"].map(owner), posts["account_id"])
        codes["social_posts"] = bucket_codes(key, buckets)
    return codes


def bucket_rows(codes: np.ndarray, buckets: int) -> list[np.ndarray]:
    """Row positions of each bucket, in their original order (one stable sort)."""
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(buckets + 1))
    return [order[start:stop] for start, stop in zip(bounds[:-1], bounds[1:], strict=True)]
