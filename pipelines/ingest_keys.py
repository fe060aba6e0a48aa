"""What a chunked ingest keeps about the whole export: unique keys and each row's bucket.

Uniqueness needs every row of a table: :class:`UniqueKeys` keeps one 64-bit hash per row of
the key columns (8 bytes a row), finds the hashes seen more than once, and re-reads only those
rows' keys to let pandera judge them exactly as it would on the whole table (equal keys have
equal hashes; a rare hash collision between different keys is dropped at that step).

:class:`BucketRouter` gives every row of a chunk the bucket
:func:`pipelines.buckets.table_buckets` gives it in the whole table: the customer's, found for
accounts, their contacts and posts through the account owners of the whole export.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
import pandera.pandas as pa

from features.identity import account_owners
from pipelines.buckets import bucket_codes, bucket_rows
from pipelines.contract import TABLES

OWNER_COLUMNS = {
    "customers": ["customer_id", "msisdn"],
    "social_accounts": ["account_id", "bound_msisdn", "platform", "followers"],
}
"""Columns of the whole export the bucket of accounts, contacts and posts depends on."""


def row_hashes(frame: pd.DataFrame) -> np.ndarray:
    """One ``uint64`` per row; rows hash alike whether hashed whole or in chunks."""
    return pd.util.hash_pandas_object(frame, index=False).to_numpy()


class UniqueKeys:
    """Hashes of one table's unique key, chunk by chunk, then its duplicated rows.

    Args:
        table: Contract table name (its ``unique`` columns are the key).
    """

    def __init__(self, table: str):
        self.columns = list(TABLES[table].unique)
        self._hashes: list[np.ndarray] = []

    def add(self, frame: pd.DataFrame) -> None:
        """Remember the key hash of every row of a normalized chunk."""
        if self.columns:
            self._hashes.append(row_hashes(frame[self.columns]))

    def failures(self, read_keys: Callable[[int, list[str]], pd.DataFrame]) -> pd.DataFrame | None:
        """Pandera's uniqueness failure cases for the whole table, or ``None`` if unique.

        Args:
            read_keys: ``read_keys(chunk, columns)`` returns that chunk's key columns again.

        Returns:
            Failure cases indexed by row in the whole table, as validating the whole table
            would report them.
        """
        if not self._hashes:
            return None
        everything = np.sort(np.concatenate(self._hashes))
        repeated = np.unique(everything[1:][everything[1:] == everything[:-1]])
        del everything
        if not len(repeated):
            return None
        suspects = []
        start = 0
        for chunk, hashes in enumerate(self._hashes):
            positions = np.flatnonzero(np.isin(hashes, repeated))
            if len(positions):
                keys = read_keys(chunk, self.columns).take(positions)
                keys.index = pd.RangeIndex(start, start + len(hashes))[positions]
                suspects.append(keys)
            start += len(hashes)
        schema = pa.DataFrameSchema(unique=self.columns)
        try:
            schema.validate(pd.concat(suspects), lazy=True)
        except pa.errors.SchemaErrors as errors:
            return errors.failure_cases
        return None


def _first_present(*candidates: pd.Series) -> pd.Series:
    key = candidates[0].astype(object)
    for candidate in candidates[1:]:
        key = key.where(key.notna(), candidate.astype(object))
    return key


class BucketRouter:
    """The bucket of each row of a chunk, as in the whole export.

    Args:
        customers: ``customer_id`` and ``msisdn`` of every customer, in export order.
        social_accounts: :data:`OWNER_COLUMNS` of every social account, in export order.
        buckets: Bucket count.
    """

    def __init__(self, customers: pd.DataFrame, social_accounts: pd.DataFrame, buckets: int):
        owners = account_owners(customers, social_accounts).drop_duplicates("account_id")
        self.owner = pd.Series(
            owners["customer_id"].to_numpy(dtype=object),
            index=pd.Index(owners["account_id"].to_numpy(dtype=object)),
        )
        self.buckets = buckets

    def codes(self, table: str, frame: pd.DataFrame) -> np.ndarray:
        """``int32`` bucket of every row of a chunk of ``table`` (a bucketed table)."""
        if table == "social_accounts":
            key = _first_present(frame["account_id"].map(self.owner), frame["account_id"])
        elif table == "contacts":
            key = _first_present(
                frame["customer_id"],
                frame["social_account_id"].map(self.owner),
                frame["contact_id"],
            )
        elif table == "social_posts":
            key = _first_present(frame["account_id"].map(self.owner), frame["account_id"])
        else:
            key = frame["customer_id"]
        return bucket_codes(key, self.buckets)

    def rows(self, table: str, frame: pd.DataFrame) -> Sequence[np.ndarray]:
        """Row positions of each bucket in a chunk, in chunk order."""
        return bucket_rows(self.codes(table, frame), self.buckets)
