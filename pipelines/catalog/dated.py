"""Dated folders (``as_of=<YYYY-MM-DD>``) and the store of one dated output per snapshot date."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Generic, Protocol, TypeVar

PARTITION = "as_of="
"""Prefix of a dated folder, ``as_of=<YYYY-MM-DD>``."""


def present(path: Path) -> bool:
    """Whether a location is published (a file, or a folder of parts)."""
    return path.exists()


def dated_folder(root: Path, as_of: date) -> Path:
    """The folder of ``as_of`` under ``root``."""
    return Path(root) / f"{PARTITION}{as_of.isoformat()}"


def folder_dates(root: Path) -> list[date]:
    """Dates of the dated folders under ``root``, oldest first."""
    return sorted(
        date.fromisoformat(folder.name.removeprefix(PARTITION))
        for folder in Path(root).glob(f"{PARTITION}*")
    )


class DatedFiles(Protocol):
    """The files of one dated folder, published once its main file exists."""

    @property
    def published(self) -> bool: ...


FilesT = TypeVar("FilesT", bound=DatedFiles)


@dataclass(frozen=True)
class DatedStore(Generic[FilesT]):
    """Outputs kept in one ``as_of=<date>`` folder per snapshot date (snapshots, scores)."""

    root: Path
    files: Callable[[Path], FilesT]

    def at(self, as_of: date) -> FilesT:
        """The files of ``as_of``."""
        return self.files(dated_folder(self.root, as_of))

    def available(self) -> list[date]:
        """Dates whose outputs are published, oldest first."""
        return [as_of for as_of in folder_dates(self.root) if self.at(as_of).published]
