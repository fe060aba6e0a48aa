"""Stack snapshots into training rows and pick the model columns from the feature registry."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from features.labels import LABELS
from features.registry import FeatureSpec
from pipelines.snapshot import Snapshot


@dataclass(frozen=True)
class StackedRows:
    """Rows of one or more snapshots, one row per customer and snapshot.

    Attributes:
        frame: Features and labels with a RangeIndex.
        documents: Masked complaint documents per row ("" for none).
        customer_id: Customer of each row (the group for out-of-fold text scores).
        as_of: Snapshot date of each row (datetime64[D]).
    """

    frame: pd.DataFrame
    documents: np.ndarray
    customer_id: np.ndarray
    as_of: np.ndarray

    def labels(self, target: str) -> np.ndarray:
        """Boolean labels of ``target``."""
        return self.frame[target].to_numpy(dtype=bool)


def stack_snapshots(snapshots: list[Snapshot]) -> StackedRows:
    """Concatenate snapshots; categoricals with different category lists become strings."""
    documents, ids, dates = [], [], []
    for snapshot in snapshots:
        docs = snapshot.documents.reindex(snapshot.frame.index).fillna("")
        documents.append(docs.astype(str).to_numpy(dtype=object))
        ids.append(snapshot.frame.index.astype(str).to_numpy(dtype=object))
        dates.append(np.full(len(snapshot.frame), np.datetime64(snapshot.as_of, "D")))
    if len(snapshots) == 1:
        frame = snapshots[0].frame.reset_index(drop=True)
    else:
        frame = pd.concat([snapshot.frame for snapshot in snapshots], ignore_index=True)
    return StackedRows(frame, np.concatenate(documents), np.concatenate(ids), np.concatenate(dates))


def feature_columns(frame: pd.DataFrame, specs: Mapping[str, FeatureSpec]) -> list[str]:
    """The feature columns of a snapshot frame (everything but the labels), in frame order.

    Raises:
        ValueError: Naming columns the feature registry does not know.
    """
    columns = [c for c in frame.columns if c not in LABELS]
    unknown = [c for c in columns if c not in specs]
    if unknown:
        raise ValueError(
            f"feature columns without a FeatureSpec in the registry: {unknown}; declare them in "
            "their family's FEATURES"
        )
    return columns


def frame_fingerprint(frame: pd.DataFrame) -> str:
    """SHA-256 of a frame's values, index and column names (order-sensitive)."""
    digest = hashlib.sha256()
    digest.update("\x1f".join(map(str, frame.columns)).encode())
    digest.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    return digest.hexdigest()


def snapshot_fingerprint(snapshot: Snapshot) -> str:
    """Fingerprint of one snapshot: its ``meta.json`` fingerprint when present, else hashes."""
    return snapshot.meta.get("fingerprint") or (
        frame_fingerprint(snapshot.frame)
        + frame_fingerprint(snapshot.documents.to_frame("document"))
    )


def combine_fingerprints(parts: Mapping[date, str]) -> str:
    """Fingerprint of a set of snapshots from their own fingerprints (in the mapping's order)."""
    digest = hashlib.sha256()
    for as_of, part in parts.items():
        digest.update(f"{as_of.isoformat()}:{part}".encode())
    return digest.hexdigest()[:16]


def data_fingerprint(snapshots: list[Snapshot]) -> str:
    """Fingerprint of a set of snapshots: ``meta.json`` fingerprints when present, else hashes."""
    return combine_fingerprints({s.as_of: snapshot_fingerprint(s) for s in snapshots})
