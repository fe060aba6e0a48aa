"""Contacts received live through ``/events/contact``, shared by every worker of the service.

Each service worker is its own process. If live contacts stayed in the memory of the worker
that received them, a customer complaining on the hotline, then on WeChat, then on Weibo could
have each event answered by a different worker, and none would see three channels: the
early-warning rule would miss exactly the case it exists for. So live contacts go to one SQLite
file (write-ahead log, so readers never block the writer) that all workers read and write.

A contact id is stored once: a CRM retrying an event does not count it twice. Contacts stamped
before the end of the ingested data are dropped when the store opens: the export holds them
now. The file holds complaint texts, like the ingested tables: it is created readable by its
owner only, and nothing of it is logged.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

logger = logging.getLogger(__name__)

IN_MEMORY = ":memory:"
TABLE = "live_contacts"
TIME_COLUMN = "ts"


def _sql_type(dtype: np.dtype) -> str:
    if dtype.kind in "biuM":
        return "INTEGER"
    if dtype.kind == "f":
        return "REAL"
    return "TEXT"


class LiveContactStore:
    """Live contacts by customer, in one SQLite file (or in memory for a single process).

    Args:
        path: SQLite file (its folder is created), or ``":memory:"``.
        template: The contacts table whose columns and dtypes every stored row has.
    """

    def __init__(self, path: Path | str, template: pd.DataFrame) -> None:
        self.path = path
        self.columns = list(template.columns)
        self.dtypes = template.dtypes.to_dict()
        unsupported = [c for c, d in self.dtypes.items() if not isinstance(d, np.dtype)]
        if unsupported:
            raise TypeError(f"live contacts need numpy dtypes; columns {unsupported} are not")
        if "contact_id" not in self.columns or "customer_id" not in self.columns:
            raise ValueError("live contacts need contact_id and customer_id columns")
        self._lock = threading.Lock()
        self._connection = self._connect(path)

    def _connect(self, path: Path | str) -> sqlite3.Connection:
        if str(path) != IN_MEMORY:
            folder = Path(path).parent
            folder.mkdir(parents=True, exist_ok=True)
            if not Path(path).exists():
                Path(path).touch(mode=0o600)
        connection = sqlite3.connect(
            str(path), timeout=10.0, check_same_thread=False, isolation_level=None
        )
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        columns = ", ".join(
            f'"{name}" {_sql_type(self.dtypes[name])}'
            + (" PRIMARY KEY" if name == "contact_id" else "")
            for name in self.columns
        )
        connection.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} ({columns})")
        connection.execute(f"CREATE INDEX IF NOT EXISTS {TABLE}_customer ON {TABLE} (customer_id)")
        stored = [row[1] for row in connection.execute(f"PRAGMA table_info({TABLE})")]
        if stored != self.columns:
            raise ValueError(
                f"live contact store {path} has columns {stored}, the contacts table has "
                f"{self.columns}; move the file away to start a fresh store"
            )
        return connection

    def _encode(self, record: Mapping[str, Any]) -> tuple:
        values = []
        for name in self.columns:
            value, dtype = record[name], self.dtypes[name]
            if value is None or pd.isna(value):
                values.append(None)
            elif dtype.kind == "M":
                values.append(int(pd.Timestamp(value).value))
            elif dtype.kind in "biu":
                values.append(int(value))
            elif dtype.kind == "f":
                values.append(float(value))
            else:
                values.append(str(value))
        return tuple(values)

    def append(self, contact: pd.DataFrame) -> bool:
        """Store one contact row (contact columns, a customer id); ``False`` if its id is known.

        Raises:
            ValueError: If the row has no customer id or different columns than the contacts.
        """
        if len(contact) != 1:
            raise ValueError("append_contact takes one contact row with a customer_id")
        if list(contact.columns) != self.columns:
            raise ValueError(f"contact columns {list(contact.columns)} differ from {self.columns}")
        return self.append_record(contact.iloc[0].to_dict())

    def append_record(self, record: Mapping[str, Any]) -> bool:
        """Store one contact given as ``{column: value}``; ``False`` if its id is known.

        Raises:
            ValueError: If it has no customer id, or not exactly the contacts' columns.
        """
        if set(record) != set(self.columns):
            raise ValueError(f"contact columns {sorted(record)} differ from {self.columns}")
        customer = record["customer_id"]
        if customer is None or pd.isna(customer):
            raise ValueError("append_contact takes one contact row with a customer_id")
        placeholders = ", ".join("?" for _ in self.columns)
        with self._lock:
            cursor = self._connection.execute(
                f"INSERT OR IGNORE INTO {TABLE} VALUES ({placeholders})", self._encode(record)
            )
        return cursor.rowcount == 1

    def rows(self, customer_id: str) -> pd.DataFrame | None:
        """The customer's live contacts in arrival order (``None`` when there are none)."""
        columns = self.columns_of(customer_id)
        return None if columns is None else pd.DataFrame(columns)

    def columns_of(self, customer_id: str) -> dict[str, np.ndarray] | None:
        """The customer's live contacts as ``{column: values}`` arrays with the contacts'
        dtypes, in arrival order (``None`` when there are none)."""
        with self._lock:
            fetched = self._connection.execute(
                f"SELECT * FROM {TABLE} WHERE customer_id = ? ORDER BY rowid", (customer_id,)
            ).fetchall()
        if not fetched:
            return None
        columns = list(zip(*fetched, strict=True))
        return {
            name: self._decode(values, self.dtypes[name])
            for name, values in zip(self.columns, columns, strict=True)
        }

    @staticmethod
    def _decode(values: tuple, dtype: np.dtype) -> np.ndarray:
        if dtype.kind == "M":
            return np.array(values, dtype=np.int64).astype(dtype)
        if dtype.kind == "f":
            return np.array([np.nan if v is None else v for v in values], dtype=dtype)
        return np.array(values, dtype=dtype)

    def drop_before(self, end: pd.Timestamp) -> int:
        """Delete contacts stamped before ``end`` (now part of the ingested data); how many."""
        with self._lock:
            cursor = self._connection.execute(
                f"DELETE FROM {TABLE} WHERE {TIME_COLUMN} < ?", (int(end.value),)
            )
        return cursor.rowcount

    def __len__(self) -> int:
        with self._lock:
            return int(self._connection.execute(f"SELECT COUNT(*) FROM {TABLE}").fetchone()[0])

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._connection.close()


def open_store(
    folder: Path | None, template: pd.DataFrame, covered_until: pd.Timestamp | None = None
) -> LiveContactStore:
    """The shared store in ``folder`` (``contacts.sqlite``), or an in-memory one for ``None``.

    Contacts the ingested data already covers (stamped before ``covered_until``, by default
    the latest contact of ``template``) are dropped.
    """
    path: Path | str = IN_MEMORY if folder is None else Path(folder) / "contacts.sqlite"
    store = LiveContactStore(path, template)
    if covered_until is None and len(template) and TIME_COLUMN in template.columns:
        covered_until = pd.Timestamp(template[TIME_COLUMN].max())
    if covered_until is not None:
        covered = store.drop_before(covered_until)
        if covered:
            logger.info("dropped %d live contacts the ingested data now covers", covered)
    if path != IN_MEMORY:
        os.chmod(path, 0o600)
    return store
