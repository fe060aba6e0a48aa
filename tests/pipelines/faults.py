"""Fault injection for file outputs: crash at the k-th file write, optionally as a kill."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from pipelines.datasets import VERSION_PREFIX


class Crash(BaseException):
    """The injected fault (a ``BaseException``, like the signal a kill turns into)."""


class Writes:
    """Counts renames and makes the ``limit``-th one (0-based) and every later one raise."""

    def __init__(self, limit: int | None = None) -> None:
        self.limit = limit
        self.count = 0
        self.crashed = False

    def replace(self, real):
        def replace(src, dst, *args, **kwargs):
            if self.limit is not None and self.count >= self.limit:
                self.crashed = True
                raise Crash(f"crash before write {self.count}")
            self.count += 1
            return real(src, dst, *args, **kwargs)

        return replace

    def until_crash(self, real):
        """``real`` until the crash, a no-op after it (a killed process cleans nothing up)."""

        def call(*args, **kwargs):
            return None if self.crashed else real(*args, **kwargs)

        return call


@contextmanager
def faults(writes: Writes, kill: bool = False) -> Iterator[Writes]:
    """Inject ``writes``' faults; ``kill``: no clean-up runs after the crash (rmtree, unlink)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "replace", writes.replace(os.replace))
        patch.setattr(os, "rename", writes.replace(os.rename))
        if kill:
            patch.setattr(shutil, "rmtree", writes.until_crash(shutil.rmtree))
            patch.setattr(Path, "unlink", writes.until_crash(Path.unlink))
        yield writes


def leftovers(root: Path) -> tuple[list[Path], list[Path]]:
    """Temporary files anywhere under ``root``, and every version folder."""
    temps = sorted(root.rglob(".*.tmp"))
    versions = sorted(root.glob(f"{VERSION_PREFIX}*")) + sorted(root.glob(f"*/{VERSION_PREFIX}*"))
    return temps, versions


def age(paths: list[Path], seconds: float) -> None:
    """Set the modification time of ``paths`` and everything under them ``seconds`` back."""
    stamp = time.time() - seconds
    for path in paths:
        for item in [path, *(path.rglob("*") if path.is_dir() else [])]:
            os.utime(item, (stamp, stamp))
