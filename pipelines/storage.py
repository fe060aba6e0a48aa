"""Atomic file writes: a crash leaves the previous good file, never a half-written one.

Each file is written to a temporary file ``.<name>.<random>.tmp`` next to it and renamed over it.
A killed process leaves that temporary file behind; :func:`pipelines.datasets.clean_stale` removes
such leftovers. Files that belong together are written with :func:`write_file_set`.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pandas as pd

TEMP_SUFFIX = ".tmp"
"""Suffix of the temporary files of :func:`atomic_path` (named ``.<target name>.<random>.tmp``)."""


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
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent
    )
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


FileWriter = Callable[[Path], object]
"""Writes one file's content to the path it is given."""


def write_file_set(files: Sequence[tuple[Path, FileWriter]]) -> list[Path]:
    """Write files that belong together so that no reader ever takes a mix of two runs.

    The last file is the one readers look for (and read the others through): it is removed
    first, then every file is written atomically in the given order, the last one last. A crash
    in between leaves the set unpublished (its last file missing), never the previous last file
    next to new companions. Readers must therefore treat the last file as the set's marker.

    Args:
        files: ``(target, writer)`` pairs; ``writer(tmp)`` writes the content to ``tmp``.

    Returns:
        The targets, in order.
    """
    if not files:
        return []
    Path(files[-1][0]).unlink(missing_ok=True)
    for target, writer in files:
        with atomic_path(Path(target)) as tmp:
            writer(tmp)
    return [Path(target) for target, _ in files]
