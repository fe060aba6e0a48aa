"""Atomic file writes: a crash leaves the previous good file, never a half-written one."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; rename it over ``target`` only on success.

    Args:
        target: Final file path.

    Yields:
        A temporary path in the same directory (same filesystem, so the rename is atomic).
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    os.chmod(tmp, 0o666 & ~_current_umask())
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def write_parquet_atomic(frame: pd.DataFrame, target: Path) -> Path:
    """Write ``frame`` to ``target`` as Parquet atomically.

    Args:
        frame: Data to write.
        target: Destination ``.parquet`` path.

    Returns:
        The destination path.
    """
    with atomic_path(Path(target)) as tmp:
        frame.to_parquet(tmp, index=False)
    return Path(target)


def write_text_atomic(text: str, target: Path) -> Path:
    """Write ``text`` (UTF-8) to ``target`` atomically."""
    with atomic_path(Path(target)) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(target)
