"""The serving index: what the service looks up per customer, sorted by id on disk.

The service answers for one customer at a time: its snapshot features and document (reasons on
demand), its source rows and contact-free features (a live contact event recomputes its
features), the owner of a social account. Holding these for the whole base in every worker
costs memory that grows with the base (15 GB a worker at 1M customers). Instead
:func:`build_serving_index` writes them once per served snapshot, bucket by bucket, as parts
sorted by key (:mod:`pipelines.sorted_parts`), and :class:`ServingIndex` reads one customer's
rows in milliseconds, so a worker's memory no longer depends on the size of the base.

Tables of the index (keyed by ``customer_id`` unless said):

- ``customers``, ``bills``, ``usage``, ``service_events``, ``contacts``, ``social_posts``,
  ``owners``: the ingested tables with identity resolved (as the snapshot build sees them), one
  part per raw bucket;
- ``contact_free``: account, billing and usage features of every customer on the day after the
  snapshot (the day a service started on a nightly snapshot answers events for);
- ``accounts`` (keyed by ``account_id``, one part): the customer each bound account belongs to;
- ``features``, ``documents``: the served snapshot, one part per snapshot bucket.

The index is rebuilt when the published raw tables or snapshot change (their versions are in
its ``meta.json``); building takes a lock so that several processes build it once.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
from rich.progress import Progress

from features import graph as graph_family
from features.structured import contact_free_features
from pipelines.buckets import bucket_codes
from pipelines.catalog import RawTables, ServingIndexFiles, ServingIndexStore, SnapshotStore
from pipelines.datasets import publish_version, read_pointer, staged_version
from pipelines.ingest_files import private_folder, write_private_text
from pipelines.raw_tables import INGEST_HINT, raw_buckets, read_raw_bucket
from pipelines.snapshot import read_snapshot, read_snapshot_bucket
from pipelines.snapshot_tasks import bucket_tables
from pipelines.sorted_parts import SortedParts, write_sorted

logger = logging.getLogger(__name__)

INDEX_FORMAT = 2
"""Layout version of the index; an index of another format is rebuilt."""

CUSTOMER_TABLES = (
    "customers",
    "bills",
    "usage",
    "service_events",
    "contacts",
    "social_posts",
    "owners",
)
"""Resolved source tables indexed by customer (see :class:`features.assemble.SourceTables`)."""

GRAPH_COLUMNS: tuple[str, ...] = tuple(spec.name for spec in graph_family.FEATURES)
"""The graph family's columns of a snapshot (computed once per snapshot for the whole base)."""


class IndexSourceError(FileNotFoundError):
    """The raw tables or the snapshot the index is built from are missing or unusable."""


def _sources(raw_dir: Path, features_dir: Path, as_of: date) -> dict:
    raw_version = RawTables(raw_dir).version
    if raw_version is None:
        raise IndexSourceError(f"{INGEST_HINT}: no tables in customer buckets in {raw_dir}")
    snapshot = SnapshotStore(features_dir).at(as_of)
    meta = read_pointer(snapshot.meta)
    if meta is None:
        raise IndexSourceError(
            f"no snapshot at {snapshot.folder}: run `procare features build --as-of "
            f"{as_of.isoformat()}`"
        )
    return {
        "format": INDEX_FORMAT,
        "as_of": as_of.isoformat(),
        "raw_version": raw_version,
        "raw_buckets": raw_buckets(raw_dir),
        "snapshot_version": meta.get("version"),
        "snapshot_rows": meta.get("rows"),
        "snapshot_buckets": int(meta.get("buckets") or 1),
    }


def _is_current(meta: dict | None, sources: dict) -> bool:
    return meta is not None and all(meta.get(key) == value for key, value in sources.items())


@contextlib.contextmanager
def _build_lock(folder: Path) -> Iterator[None]:
    private_folder(folder)
    with open(folder / ".build.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _regions(raw_dir: Path, version: str, buckets: int) -> tuple[str, ...]:
    store = RawTables(raw_dir)
    found: set[str] = set()
    for bucket in range(buckets):
        regions = pd.read_parquet(store.part("customers", bucket, version), columns=["region"])
        found |= set(regions["region"].dropna().unique())
    return tuple(sorted(found))


def _check_bucket(frame: pd.DataFrame, key: str, bucket: int, buckets: int, name: str) -> None:
    ids = frame[key].dropna()
    wrong = int((bucket_codes(ids.astype(str).to_numpy(dtype=object), buckets) != bucket).sum())
    if wrong:
        raise ValueError(
            f"{name} part {bucket}: {wrong} rows belong to another bucket (the raw tables "
            f"were not split by customer): {INGEST_HINT}"
        )


def _index_raw_bucket(
    raw_dir: Path, sources: dict, bucket: int, regions: tuple[str, ...], folder: Path
) -> tuple[pd.DataFrame, pd.Timestamp | None]:
    """Write one raw bucket's parts; return its owners and its latest contact time."""
    files = ServingIndexFiles(folder.parent)
    version = folder.name
    tables = bucket_tables(read_raw_bucket(raw_dir, bucket, sources["raw_version"]), regions)
    for name in CUSTOMER_TABLES:
        frame = getattr(tables, name)
        _check_bucket(frame, "customer_id", bucket, sources["raw_buckets"], name)
        write_sorted(frame, "customer_id", _made(files.part(name, bucket, version)))
    day = date.fromisoformat(sources["as_of"]) + timedelta(days=1)
    contact_free = contact_free_features(
        tables.customers,
        tables.bills,
        tables.usage,
        tables.service_events,
        day,
        regions=list(regions) or None,
    )
    target = _made(files.part("contact_free", bucket, version))
    write_sorted(contact_free.reset_index(), "customer_id", target, one_row_per_key=True)
    times = tables.contacts["ts"]
    latest = pd.Timestamp(times.max()) if len(times) and times.notna().any() else None
    return tables.owners[["account_id", "customer_id"]], latest


def _made(path: Path) -> Path:
    private_folder(path.parent)
    return path


def _index_snapshot(features_dir: Path, as_of: date, buckets: int, folder: Path) -> None:
    """Write the snapshot's parts (an older snapshot without buckets as one part)."""
    files = ServingIndexFiles(folder.parent)
    bucketed = bool((read_pointer(SnapshotStore(features_dir).at(as_of).meta) or {}).get("buckets"))
    for bucket in range(buckets):
        snapshot = (
            read_snapshot_bucket(features_dir, as_of, bucket)
            if bucketed
            else read_snapshot(features_dir, as_of)
        )
        frame = snapshot.frame.reset_index()
        _check_bucket(frame, "customer_id", bucket, buckets, "snapshot features")
        for name, table in (
            ("features", frame),
            ("documents", snapshot.documents.rename("document").reset_index()),
        ):
            target = _made(files.part(name, bucket, folder.name))
            write_sorted(table, "customer_id", target, one_row_per_key=True)


def build_serving_index(
    raw_dir: Path, features_dir: Path, index_dir: Path, as_of: date, progress: bool = False
) -> ServingIndexFiles:
    """Build (or keep, when current) the serving index of the snapshot of ``as_of``.

    Raises:
        IndexSourceError: If the raw tables are not ingested in buckets or the snapshot is
            missing (the message names the command to run).
    """
    files = ServingIndexStore(index_dir).at(as_of)
    sources = _sources(raw_dir, features_dir, as_of)
    if _is_current(read_pointer(files.meta), sources):
        return files
    with _build_lock(files.folder):
        if _is_current(read_pointer(files.meta), sources):
            return files
        raw_count, snapshot_count = sources["raw_buckets"], sources["snapshot_buckets"]
        regions = _regions(raw_dir, sources["raw_version"], raw_count)
        with (
            staged_version(files.folder) as folder,
            Progress(disable=not progress, transient=True) as bar,
        ):
            private_folder(folder)
            task = bar.add_task(f"serving index {as_of}", total=raw_count + 1)
            owners, latest = [], []
            for bucket in range(raw_count):
                bucket_owners, bucket_latest = _index_raw_bucket(
                    raw_dir, sources, bucket, regions, folder
                )
                owners.append(bucket_owners)
                latest.append(bucket_latest)
                bar.advance(task)
            write_sorted(
                pd.concat(owners, ignore_index=True),
                "account_id",
                _made(files.part("accounts", 0, folder.name)),
            )
            _index_snapshot(features_dir, as_of, snapshot_count, folder)
            bar.advance(task)
            known = [stamp for stamp in latest if stamp is not None]
            payload = {
                **sources,
                "regions": list(regions),
                "contact_free_day": (as_of + timedelta(days=1)).isoformat(),
                "contacts_end": max(known).isoformat() if known else None,
            }
        publish_version(folder, files.meta, payload, write=write_private_text)
    logger.info("serving index of %s built from raw %s", as_of, sources["raw_version"])
    return files


@dataclass(frozen=True)
class ServingIndex:
    """An open serving index: per-customer lookups without the base in memory.

    Attributes:
        as_of: The served snapshot's date.
        meta: What the index was built from (see :func:`build_serving_index`).
        tables: The resolved source tables by name (:data:`CUSTOMER_TABLES`).
        contact_free: Contact-free features on ``meta["contact_free_day"]``.
        accounts: The owner of each bound social account, by ``account_id``.
        features: The snapshot's feature rows.
        documents: The snapshot's documents.
    """

    as_of: date
    meta: dict
    tables: dict[str, SortedParts]
    contact_free: SortedParts
    accounts: SortedParts
    features: SortedParts
    documents: SortedParts

    @property
    def regions(self) -> tuple[str, ...]:
        """Region categories of the whole base."""
        return tuple(self.meta.get("regions") or ())

    @property
    def contact_free_day(self) -> date:
        """The day :attr:`contact_free` holds features of."""
        return date.fromisoformat(self.meta["contact_free_day"])

    def graph_of(self, customer_id: str) -> pd.DataFrame:
        """One customer's graph features in the snapshot, indexed by ``customer_id`` (no row
        when the customer is not in it)."""
        found = self.features.rows(customer_id).set_index("customer_id")
        return found[[column for column in GRAPH_COLUMNS if column in found.columns]]

    def snapshot_rows(self, customer_ids: list[str]) -> tuple[pd.DataFrame, pd.Series]:
        """Feature rows (indexed by ``customer_id``) and documents of customers of the
        snapshot, in the given order; ids not in the snapshot are left out."""
        frame = self.features.rows_of(customer_ids).set_index("customer_id")
        if len(customer_ids) > 1:
            order = pd.Index(customer_ids, dtype=object, name="customer_id")
            frame = frame.reindex(order[order.isin(frame.index)])
        documents = self.documents_of(list(frame.index))
        if len(frame) > 1:
            documents = documents.reindex(frame.index)
        return frame, documents

    def documents_of(self, customer_ids: list[str]) -> pd.Series:
        """Snapshot documents of customers (``customer_id`` -> text; unknown ids left out)."""
        return self.documents.rows_of(customer_ids).set_index("customer_id")["document"]

    @property
    def contacts_end(self) -> pd.Timestamp | None:
        """The latest contact of the indexed tables."""
        end = self.meta.get("contacts_end")
        return None if end is None else pd.Timestamp(end)


def open_serving_index(index_dir: Path, as_of: date) -> ServingIndex:
    """Open the published index of ``as_of`` (reads only the parts' footers).

    Raises:
        FileNotFoundError: If no index was built for that date.
    """
    files = ServingIndexStore(index_dir).at(as_of)
    meta = read_pointer(files.meta)
    if meta is None:
        raise FileNotFoundError(
            f"no serving index at {files.folder}: `procare serve` builds it on start"
        )

    def parts(name: str, key: str = "customer_id") -> SortedParts:
        return SortedParts(files.parts(name), key)

    return ServingIndex(
        as_of=as_of,
        meta=meta,
        tables={name: parts(name) for name in CUSTOMER_TABLES},
        contact_free=parts("contact_free"),
        accounts=parts("accounts", "account_id"),
        features=parts("features"),
        documents=parts("documents"),
    )
