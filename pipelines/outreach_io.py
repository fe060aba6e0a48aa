"""Outreach files: today's plan (CSV + Parquet), backtest and simulation tables, the HTML report.

Layout under the outreach root (default ``data/outreach``; see :mod:`pipelines.catalog`)::

    as_of=<YYYY-MM-DD>/plan.csv, plan.parquet, plan.json      (today's list and its settings)
    as_of=<YYYY-MM-DD>/social_warnings.csv, .parquet           (routed brand posts)
    as_of=<YYYY-MM-DD>/backtest.csv, gain.csv                  (lists made on that snapshot)
    as_of=<YYYY-MM-DD>/report.html
    simulation/effects.csv, per_seed.csv, simulation.json      (latest closed-loop simulation)

Every file is written atomically, and the files of one output as a set
(:func:`pipelines.storage.write_file_set`): the file readers look for is removed first and
written last (``plan.parquet``, ``social_warnings.parquet``, ``backtest.csv``, ``effects.csv``),
so a crash leaves the output missing (re-run the command; ``procare report`` makes a missing plan
itself), never the previous marker next to new companions. Readers read the companions only
through the marker. Each writer first removes stale leftovers of killed runs under the outreach
root (:func:`pipelines.datasets.clean_stale`). The plan CSV is UTF-8 with BOM so Excel opens the
Chinese text; ``reasons`` is stored as JSON text.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd

from pipelines.catalog import OutreachStore, RawTables
from pipelines.datasets import clean_stale
from pipelines.stage_schemas import check_file, parse_json_column, plan_schema
from pipelines.storage import FileWriter, write_file_set, write_text_atomic


def outreach_dir(root: Path, as_of: date) -> Path:
    """Folder of one snapshot's outreach files (see :mod:`pipelines.catalog`)."""
    return OutreachStore(root).at(as_of).folder


def _flat(frame: pd.DataFrame) -> pd.DataFrame:
    table = frame.reset_index()
    if "reasons" in table:
        reasons = table["reasons"]
        table["reasons"] = [json.dumps(r, ensure_ascii=False, default=str) for r in reasons]
        table["reasons_zh"] = [
            "；".join(str(item.get("zh", "")) for item in r) if isinstance(r, list) else ""
            for r in reasons
        ]
    return table


def _csv(table: pd.DataFrame, excel: bool = False) -> FileWriter:
    encoding = "utf-8-sig" if excel else "utf-8"
    return lambda tmp: table.to_csv(tmp, index=False, encoding=encoding)


def _parquet(table: pd.DataFrame) -> FileWriter:
    return lambda tmp: table.to_parquet(tmp, index=False)


def _json(payload: dict) -> FileWriter:
    text = json.dumps(payload, indent=2, ensure_ascii=False, default=str)
    return lambda tmp: tmp.write_text(text, encoding="utf-8")


def _write_set(root: Path, files: dict[str, tuple[Path, FileWriter]]) -> dict[str, Path]:
    """Clean stale leftovers under ``root``, then write ``files`` as a set (the last is the
    marker readers look for)."""
    clean_stale(root)
    write_file_set(list(files.values()))
    return {kind: target for kind, (target, _) in files.items()}


def write_plan(plan: pd.DataFrame, root: Path, as_of: date, meta: dict) -> dict[str, Path]:
    """Write today's list as CSV and Parquet, and its settings (capacity, holdout seed) as JSON.

    ``plan.parquet`` is written last: readers (:func:`read_plan`) take a plan only when it
    exists, so they never pair a list with another run's settings.

    Returns:
        Paths by kind: ``csv``, ``json``, ``parquet``.
    """
    files = OutreachStore(root).at(as_of)
    table = _flat(plan)
    return _write_set(
        root,
        {
            "csv": (files.plan("csv"), _csv(table, excel=True)),
            "json": (files.plan("json"), _json(meta)),
            "parquet": (files.plan("parquet"), _parquet(table)),
        },
    )


def read_plan(root: Path, as_of: date) -> tuple[pd.DataFrame, dict]:
    """Today's list (``reasons`` parsed back) and its settings.

    Raises:
        FileNotFoundError: When no plan was written for ``as_of``.
        StageFileError: When the plan breaks its schema (stale or edited by hand).
    """
    files = OutreachStore(root).at(as_of)
    path = files.plan("parquet")
    if not path.exists():
        raise FileNotFoundError(
            f"no outreach plan at {files.folder}: run `procare outreach plan --as-of {as_of}`"
        )
    table = pd.read_parquet(path)
    check_file(table, plan_schema(), path)
    table = table.set_index("customer_id")
    if "reasons" in table:
        table["reasons"] = parse_json_column(table["reasons"], path)
    table = table.drop(columns=["reasons_zh"], errors="ignore")
    meta = json.loads(files.plan("json").read_text(encoding="utf-8"))
    return table, meta


def write_social_warnings(warnings: pd.DataFrame, root: Path, as_of: date) -> dict[str, Path]:
    """Write routed brand posts (no post text, no nicknames) as CSV and Parquet."""
    files = OutreachStore(root).at(as_of)
    table = warnings.reset_index()
    return _write_set(
        root,
        {
            "csv": (files.social_warnings("csv"), _csv(table, excel=True)),
            "parquet": (files.social_warnings("parquet"), _parquet(table)),
        },
    )


def read_social_warnings(root: Path, as_of: date) -> pd.DataFrame | None:
    """Routed brand posts of ``as_of``, if written."""
    path = OutreachStore(root).at(as_of).social_warnings("parquet")
    return pd.read_parquet(path).set_index("post_id") if path.is_file() else None


def write_backtest(
    table: pd.DataFrame, curves: pd.DataFrame, root: Path, as_of: date
) -> dict[str, Path]:
    """Write the gain curves, then the backtest table (the marker) of lists made on ``as_of``."""
    files = OutreachStore(root).at(as_of)
    return _write_set(
        root, {"gain": (files.gain, _csv(curves)), "backtest": (files.backtest, _csv(table))}
    )


def latest_backtest(root: Path) -> tuple[date, pd.DataFrame, pd.DataFrame] | None:
    """The most recent backtest (snapshot date, table, gain curves), if any."""
    found = OutreachStore(root).backtest_dates()
    if not found:
        return None
    files = OutreachStore(root).at(found[-1])
    return (
        found[-1],
        pd.read_csv(files.backtest),
        pd.read_csv(files.gain),
    )


def write_simulation(
    summary: pd.DataFrame, per_seed: pd.DataFrame, meta: dict, root: Path
) -> dict[str, Path]:
    """Write the per-seed rows, the settings (effect, size, seeds), then the summary (the
    marker :func:`read_simulation` looks for)."""
    files = OutreachStore(root).simulation
    return _write_set(
        root,
        {
            "per_seed": (files.per_seed, _csv(per_seed)),
            "json": (files.meta, _json(meta)),
            "effects": (files.effects, _csv(summary)),
        },
    )


def read_simulation(root: Path) -> tuple[pd.DataFrame, dict] | None:
    """The latest simulation summary and its settings, if any."""
    files = OutreachStore(root).simulation
    if not files.effects.is_file():
        return None
    meta = json.loads(files.meta.read_text(encoding="utf-8"))
    return pd.read_csv(files.effects), meta


def write_report(page: str, root: Path, as_of: date) -> Path:
    """Write the HTML report of ``as_of`` (one file)."""
    clean_stale(root)
    return write_text_atomic(page, OutreachStore(root).at(as_of).report)


def read_social_tables(raw_dir: Path) -> dict[str, pd.DataFrame]:
    """The ingested ``customers``, ``social_accounts`` and ``social_posts`` tables.

    Raises:
        FileNotFoundError: If a table has not been ingested.
    """
    tables = {}
    for name in ("customers", "social_accounts", "social_posts"):
        path = RawTables(raw_dir).table(name)
        if not path.exists():
            raise FileNotFoundError(f"{path} is missing: run `procare data ingest SOURCE_DIR`")
        tables[name] = pd.read_parquet(path)
    return tables
