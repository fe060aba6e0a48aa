"""Shared pieces of the command modules: the consoles, failing with an exit code, tables.

Every expected failure ends in one ``error:`` line (per broken rule for data checks) and exit 1
(bad data or environment) or 2 (bad arguments), never a traceback; messages name the file,
option, table or column and the rule, never a value read from the data.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from pipelines.catalog import DataLayout
    from pipelines.engine import EngineConfig
    from pipelines.violations import Violation
    from training.tracking import TrackingSettings

WORKDIR_HELP = "Data folder holding world/, raw/, features/, scores/, outreach/ and live/."

console = Console(width=None if sys.stdout.isatty() else 140)
err_console = Console(stderr=True, width=None if sys.stderr.isatty() else 140)


def fail(message: str, code: int = 1) -> None:
    """Print ``message`` as an error and exit with ``code`` (1 bad data, 2 bad arguments)."""
    err_console.print(f"[bold red]error:[/] {message}")
    raise typer.Exit(code)


@contextmanager
def writing_to(option: str, folder: Path) -> Iterator[None]:
    """Turn a system ``OSError`` in the block into one line naming the file and the problem.

    Exits 1. An ``OSError`` raised by procare itself (no ``errno``, its own message) passes.

    Args:
        option: The option that chose ``folder``, e.g. ``--raw-dir``.
        folder: Where the block writes.
    """
    try:
        yield
    except OSError as exc:
        if exc.errno is None:
            raise
        problem = exc.strerror or type(exc).__name__
        target = Path(exc.filename) if exc.filename else folder
        if _inside(target, folder):
            fail(f"cannot write to {option} {folder}: {problem} ({target})")
        fail(f"{target}: {problem}")


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(Path(folder).resolve())


def violation_lines(violations: Iterable[Violation]) -> str:
    """Broken rules as table, column, rule and row count (never the offending values)."""
    return "".join(f"\n  {v.table}.{v.column}: {v.rule} — {v.count} row(s)" for v in violations)


def existing_tracking() -> TrackingSettings:
    """The MLflow settings of the environment, refusing (exit 1) a store that does not exist.

    For commands that read the registry: a mistyped ``MLFLOW_TRACKING_URI`` must not create a
    new, empty store and answer from it.
    """
    from training.tracking import MissingStoreError, TrackingSettings

    settings = TrackingSettings.from_env()
    try:
        settings.require_store()
    except MissingStoreError as exc:
        fail(str(exc))
    return settings


def workdir_option() -> Any:
    """The ``--workdir`` option of every command that reads or writes data.

    Its value is ``None`` when omitted: the catalog's default folder (``data``), so the
    default is spelled in one place and ``--help`` does not import the catalog.
    """
    return typer.Option(None, "--workdir", show_default="data", help=WORKDIR_HELP)


def folder_option(area: str, description: str) -> Any:
    """An option overriding one area's folder (``None``: ``<workdir>/<area>``)."""
    return typer.Option(None, show_default=f"<workdir>/{area}", help=description)


class EngineChoice(StrEnum):
    """``--engine`` values (see ``pipelines.engine``)."""

    LOCAL = "local"
    DASK = "dask"


def engine_option() -> Any:
    """``--engine``: where bucket tasks run."""
    return typer.Option(
        EngineChoice.LOCAL,
        "--engine",
        help="local: this process, one bucket after another (memory of one bucket); "
        "dask: a Dask cluster (--scheduler, or a LocalCluster of --workers processes).",
    )


def scheduler_option() -> Any:
    """``--scheduler``: a running Dask scheduler's address."""
    return typer.Option(
        None, "--scheduler", help="Dask scheduler address (tcp://host:8786) for --engine dask."
    )


def workers_option() -> Any:
    """``--workers``: processes of the LocalCluster started by ``--engine dask``."""
    return typer.Option(
        2, "--workers", min=1, max=256, help="LocalCluster workers (--engine dask, no scheduler)."
    )


def engine_config(engine: EngineChoice, scheduler: str | None, workers: int) -> EngineConfig:
    """The engine the three options ask for; ``--scheduler`` implies ``--engine dask``."""
    from pipelines.engine import EngineConfig

    kind = "dask" if scheduler else engine.value
    return EngineConfig(kind=kind, scheduler=scheduler, workers=workers)


def data_layout(workdir: Path | None, **folders: Path | None) -> DataLayout:
    """The data catalog of ``workdir``, with the given folders overriding their areas."""
    from pipelines.catalog import DataLayout

    return DataLayout(workdir=workdir, **folders)


def rows_table(title: str, rows: dict[str, int]) -> Table:
    """A two-column table of row counts per table."""
    table = Table(title=title)
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, count in rows.items():
        table.add_row(name, f"{count:,}")
    return table


def parse_dates(values: list[str], option: str) -> list[date]:
    """ISO dates of an option; a bad value exits 2 naming the option."""
    try:
        return [date.fromisoformat(value) for value in values]
    except ValueError as exc:
        fail(f"{option}: {exc} (expected YYYY-MM-DD)", code=2)


def optional_date(value: str | None, option: str) -> date | None:
    """One optional ISO date of an option."""
    return parse_dates([value], option)[0] if value else None


def frame_table(title: str, frame, float_format: str = "{:.3f}") -> Table:
    """A DataFrame as a rich table (floats formatted, missing values as a dash)."""
    table = Table(title=title)
    for column in frame.columns:
        table.add_column(str(column), justify="left" if frame[column].dtype == object else "right")
    for _, row in frame.iterrows():
        cells = []
        for value in row:
            if isinstance(value, float):
                cells.append("—" if value != value else float_format.format(value))
            else:
                cells.append("—" if value is None else str(value))
        table.add_row(*cells)
    return table
