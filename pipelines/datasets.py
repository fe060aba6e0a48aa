"""Bucketed Parquet datasets and their one-step publication.

A bucketed dataset is a folder of ``part-<bucket>.parquet`` files, one per customer bucket,
all with the same Arrow schema. A multi-file output (the raw tables of an ingest, the files of
a snapshot) is written into a fresh version folder ``v-<time>-<random>`` that nothing points
to yet; a small JSON pointer (the raw manifest, the snapshot's ``meta.json``) naming the version
is then replaced atomically (:func:`publish_version`), and only then is the version it replaced
removed. Readers find the files through the pointer only (see :mod:`pipelines.catalog`), so they
see the previous output or the new one whole, never a part of one. A failed build removes its own
version folder.

A killed run cleans nothing up: it leaves temporary files (``.<name>.<random>.tmp`` of
:func:`pipelines.storage.atomic_path`) and unpublished version folders. :func:`clean_stale`
removes them at the start of every writing stage, under one rule: a temporary file, or a version
folder no pointer names, is stale once nothing in it changed for :data:`STALE_AFTER` (an hour). A
run that is still writing touches its files far more often than that, so a concurrent run's work
is never taken; a published version is never taken whatever its age.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.storage import TEMP_SUFFIX, atomic_path, write_text_atomic

logger = logging.getLogger(__name__)

VERSION_PREFIX = "v-"

STALE_AFTER = timedelta(hours=1)
"""Age after which an unpublished version folder or a temporary file is a killed run's leftover."""


def part_name(bucket: int) -> str:
    """File name of one bucket's part, ``part-00003.parquet``."""
    return f"part-{bucket:05d}.parquet"


def new_version() -> str:
    """A fresh version folder name, ordered by creation time."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    return f"{VERSION_PREFIX}{stamp}-{uuid.uuid4().hex[:8]}"


def arrow_schema(frame: pd.DataFrame) -> pa.Schema:
    """The Arrow schema every part of ``frame``'s dataset is written with."""
    return pa.Schema.from_pandas(frame, preserve_index=False)


def write_part(frame: pd.DataFrame, path: Path, schema: pa.Schema | None = None) -> Path:
    """Write one part atomically (with ``schema`` when given, so all parts agree)."""
    table = pa.Table.from_pandas(frame, schema=schema, preserve_index=False)
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp)
    return path


def write_buckets(frame: pd.DataFrame, rows: Sequence[np.ndarray], folder: Path) -> dict[int, Path]:
    """Write ``frame`` split into buckets: part ``b`` holds ``frame.iloc[rows[b]]``.

    Every bucket gets a part (possibly empty), all with the schema of the whole frame.
    """
    schema = arrow_schema(frame)
    return {
        bucket: write_part(frame.take(positions), Path(folder) / part_name(bucket), schema)
        for bucket, positions in enumerate(rows)
    }


def read_parts(paths: Sequence[Path], columns: Sequence[str] | None = None) -> pd.DataFrame:
    """The parts concatenated in the given order (empty parts add no rows)."""
    columns = list(columns) if columns is not None else None
    frames = [pd.read_parquet(path, columns=columns) for path in paths]
    filled = [frame for frame in frames if len(frame)] or frames[:1]
    if len(filled) == 1:
        return filled[0]
    return pd.concat(filled, ignore_index=True)


def read_pointer(path: Path) -> dict | None:
    """A JSON pointer (manifest or meta), or ``None`` when absent."""
    path = Path(path)
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def remove_versions(root: Path, keep: str | None) -> None:
    """Delete every version folder under ``root`` except ``keep``.

    This also deletes a concurrent run's unpublished version; :func:`publish_version` removes
    only the version it replaced and stale leftovers.
    """
    for folder in Path(root).glob(f"{VERSION_PREFIX}*"):
        if folder.name != keep and folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def staged_version(root: Path) -> Iterator[Path]:
    """A new, unpublished version folder under ``root``; removed if the block fails.

    Stale leftovers of killed runs under ``root`` are removed first (:func:`clean_stale`).
    """
    clean_stale(root)
    folder = Path(root) / new_version()
    folder.mkdir(parents=True)
    try:
        yield folder
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        logger.warning("removed the unpublished %s after a failure", folder)
        raise


def publish_version(
    folder: Path,
    pointer: Path,
    payload: dict,
    write: Callable[[str, Path], object] = write_text_atomic,
) -> None:
    """Publish a staged version folder: replace its ``pointer`` (written last, atomically).

    The pointer gets ``payload`` plus ``"version": folder.name``. Then the version the pointer
    named before is removed, and stale leftovers next to it (:func:`clean_stale`); a concurrent
    run's unpublished version is left alone.

    Args:
        folder: The version folder, written whole (see :func:`staged_version`).
        pointer: The JSON pointer next to it (``_manifest.json``, ``meta.json``).
        payload: What the pointer records besides the version.
        write: Writes the pointer's text atomically (e.g. an owner-only writer).

    Raises:
        OSError: If the pointer cannot be written; ``folder`` is then removed and the previous
            version stays published.
    """
    folder, pointer = Path(folder), Path(pointer)
    previous = _named_version(pointer)
    try:
        write(json.dumps({**payload, "version": folder.name}, indent=2), pointer)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        logger.warning("removed the unpublished %s: its pointer was not written", folder)
        raise
    if previous is not None and previous != folder.name:
        shutil.rmtree(folder.parent / previous, ignore_errors=True)
    with contextlib.suppress(OSError):
        clean_stale(folder.parent)


def _named_version(pointer: Path) -> str | None:
    try:
        version = (read_pointer(pointer) or {}).get("version")
    except (OSError, ValueError):
        return None
    return version if isinstance(version, str) else None


def _published_names(folder: Path) -> set[str] | None:
    """Versions named by the JSON pointers in ``folder`` (``None``: a pointer is unreadable)."""
    names = set()
    for pointer in folder.glob("*.json"):
        try:
            payload = read_pointer(pointer)
        except (OSError, ValueError):
            return None
        version = payload.get("version") if isinstance(payload, dict) else None
        if isinstance(version, str):
            names.add(version)
    return names


def _last_change(path: Path) -> float:
    """The newest modification time of ``path`` and of everything under it."""
    newest = path.stat().st_mtime
    for folder, subfolders, files in os.walk(path):
        for name in (*subfolders, *files):
            with contextlib.suppress(OSError):
                newest = max(newest, os.stat(os.path.join(folder, name)).st_mtime)
    return newest


def _stale_versions(root: Path, cutoff: float) -> list[Path]:
    """Unpublished version folders under ``root`` or its dated folders, unchanged since cutoff."""
    stale = []
    for parent in (root, *(child for child in root.iterdir() if child.is_dir())):
        versions = [f for f in parent.glob(f"{VERSION_PREFIX}*") if f.is_dir()]
        published = _published_names(parent) if versions else set()
        if published is None:
            logger.warning("left the versions in %s alone: a pointer there is unreadable", parent)
            continue
        stale.extend(f for f in versions if f.name not in published and _last_change(f) < cutoff)
    return stale


def clean_stale(root: Path, max_age: timedelta = STALE_AFTER) -> list[Path]:
    """Remove what killed runs left under ``root``; call it when a writing stage starts.

    Removed: temporary files ``.<name>.<random>.tmp`` anywhere under ``root`` not modified for
    ``max_age``, and version folders ``v-*`` (in ``root`` or a folder directly under it) that no
    JSON pointer next to them names (``"version"``) and in which nothing changed for
    ``max_age``. A published version is never removed, nor anything a running writer touched
    within ``max_age``; when a pointer cannot be read, that folder's versions are left alone.

    Args:
        root: An area of the work folder (raw tables, snapshots, scores, outreach).
        max_age: How long a leftover must have been untouched.

    Returns:
        What was removed.
    """
    root = Path(root)
    if not root.is_dir():
        return []
    cutoff = time.time() - max_age.total_seconds()
    removed = []
    for folder in _stale_versions(root, cutoff):
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    for temp in root.rglob(f".*{TEMP_SUFFIX}"):
        with contextlib.suppress(OSError):
            if temp.is_file() and temp.stat().st_mtime < cutoff:
                temp.unlink()
                removed.append(temp)
    if removed:
        logger.info("removed %d leftovers of killed runs under %s", len(removed), root)
    return removed
