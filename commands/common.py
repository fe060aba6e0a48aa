"""Shared pieces of the command modules: the consoles, failing with an exit code, tables."""

from __future__ import annotations

import sys
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

WORKDIR_HELP = "Data folder holding world/, raw/, features/, scores/, outreach/ and live/."

console = Console(width=None if sys.stdout.isatty() else 140)
err_console = Console(stderr=True, width=None if sys.stderr.isatty() else 140)


def fail(message: str, code: int = 1) -> None:
    """Print ``message`` as an error and exit with ``code`` (1 bad data, 2 bad arguments)."""
    err_console.print(f"[bold red]error:[/] {message}")
    raise typer.Exit(code)


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
