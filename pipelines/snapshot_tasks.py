"""The bucket tasks of a snapshot build, run by an engine (``pipelines.engine``) per bucket.

A snapshot is built in two passes over the customer buckets. The first
(:func:`bucket_base`) returns what the global step needs from each bucket: its customers'
ids and opening dates, its regions, and the 30-day contact flags at every date. The driver then
computes the graph family once per date from the global ``edges`` and all flags. The second
(:func:`snapshot_bucket_task`) computes one bucket's features, labels and documents with
:func:`snapshot_bucket`, a pure function of the bucket's tables and the broadcast globals,
and writes them as that bucket's parts of an unpublished snapshot version. Tasks read their
inputs and write their parts themselves, so the driver holds only small results; on a cluster
the work folder must be shared by the workers (a network file system).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pandas as pd

from features.assemble import (
    FeatureConfig,
    SourceTables,
    contact_flags,
    customer_features,
    resolve_tables,
)
from features.identity import account_owners, resolve_contacts
from features.labels import LABELS, horizon_is_observed, make_labels
from features.text import customer_documents
from pipelines.catalog import SnapshotStore
from pipelines.datasets import write_part
from pipelines.raw_tables import read_raw_bucket

EDGE_COLUMNS = ("src", "dst", "kind", "weight", "month")
BASE_COLUMNS: dict[str, tuple[str, ...]] = {
    "customers": ("customer_id", "msisdn", "open_date", "region"),
    "social_accounts": ("account_id", "platform", "followers", "bound_msisdn"),
    "contacts": (
        "customer_id",
        "ts",
        "channel",
        "direction",
        "escalated_flag",
        "social_account_id",
    ),
}
"""The columns :func:`bucket_base` reads: customers, identity resolution and contact flags."""


@dataclass(frozen=True)
class BucketBase:
    """What the global step needs from one bucket.

    Attributes:
        customers: ``customer_id`` and ``open_date`` of the bucket's customers.
        regions: Distinct regions of the bucket's customers.
        flags: Per snapshot date, :func:`features.assemble.contact_flags` of the bucket.
    """

    customers: pd.DataFrame
    regions: frozenset[str]
    flags: dict[date, pd.DataFrame]


@dataclass(frozen=True)
class BucketSummary:
    """What a written bucket reports back: rows, features and positive labels."""

    rows: int
    features: int
    positives: dict[str, int] | None


def bucket_tables(tables: dict[str, pd.DataFrame], regions: tuple[str, ...]) -> SourceTables:
    """One bucket's tables with identity resolved and the base's ``regions`` pinned.

    The bucket holds every row its customers' features need (see :mod:`pipelines.buckets`);
    ``edges`` are left empty, as the graph family comes in precomputed.
    """
    edges = pd.DataFrame({column: [] for column in EDGE_COLUMNS})
    return replace(resolve_tables({**tables, "edges": edges}), regions=regions)


def snapshot_bucket(
    tables: SourceTables,
    as_of: date,
    config: FeatureConfig,
    data_end: pd.Timestamp | None,
    graph: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.Series]:
    """Features (+ labels when the horizon is observed) and documents of the customers in
    ``tables`` (the whole base, or one bucket with the snapshot's ``graph`` features given).

    Returns:
        The feature frame indexed by ``customer_id`` and the documents in the same order.
    """
    frame = customer_features(tables, as_of, config, graph=graph)
    horizon = config.labels.horizon_days
    if data_end is not None and horizon_is_observed(as_of, data_end, horizon):
        labels = make_labels(
            tables.contacts, tables.social_posts, frame.index, as_of, config.labels
        )
        frame = frame.join(labels)
    documents = customer_documents(tables.contacts, as_of, posts=tables.social_posts)
    documents = documents.reindex(frame.index).fillna("")
    return frame, documents


def bucket_base(bucket: int, raw_dir: Path, version: str, dates: list[date]) -> BucketBase:
    """First pass over one bucket: customers, regions and contact flags at every date.

    Reads only :data:`BASE_COLUMNS` (no texts, bills or usage): the second pass reads the
    bucket whole.
    """
    tables = read_raw_bucket(raw_dir, bucket, version, columns=BASE_COLUMNS)
    customers = tables["customers"]
    owners = account_owners(customers, tables["social_accounts"])
    contacts = resolve_contacts(tables["contacts"], owners)
    return BucketBase(
        customers=customers[["customer_id", "open_date"]],
        regions=frozenset(customers["region"].dropna().unique()),
        flags={as_of: contact_flags(contacts, as_of) for as_of in dates},
    )


def snapshot_bucket_task(
    bucket: int,
    raw_dir: Path,
    raw_version: str,
    features_dir: Path,
    snapshot_version: str,
    as_of: date,
    config: FeatureConfig,
    data_end: pd.Timestamp | None,
    regions: tuple[str, ...],
    graph: pd.DataFrame,
) -> BucketSummary:
    """Second pass: one bucket's snapshot, written as its parts of ``snapshot_version``."""
    tables = bucket_tables(read_raw_bucket(raw_dir, bucket, raw_version), regions)
    frame, documents = snapshot_bucket(tables, as_of, config, data_end, graph=graph)
    files = SnapshotStore(features_dir).at(as_of)
    table = frame.reset_index().assign(as_of=pd.Timestamp(as_of))
    write_part(table, files.part("features", bucket, snapshot_version))
    write_part(
        documents.rename("document").reset_index(),
        files.part("documents", bucket, snapshot_version),
    )
    labelled = set(LABELS) <= set(frame.columns)
    return BucketSummary(
        rows=len(frame),
        features=len([column for column in frame.columns if column not in LABELS]),
        positives={name: int(frame[name].sum()) for name in LABELS} if labelled else None,
    )
