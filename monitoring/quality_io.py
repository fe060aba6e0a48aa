"""Read the ingested tables for the data-quality check: one part at a time, checked columns only.

PII columns are never read; each table is read part by part (a customer bucket, or the one
file of a global table) with a column projection, so memory holds one part plus the recent
window's rows.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import pandas as pd

from monitoring.config import QualityConfig
from monitoring.data_quality import (
    QUALITY_COLUMNS,
    QualityWindow,
    bucket_stats,
    merge_stats,
    period_counts,
    table_quality,
)
from pipelines.catalog import RawTables
from pipelines.contract import TABLES, TableContract

logger = logging.getLogger(__name__)

MONTHLY_KINDS = ("month",)
MONTHLY_TABLES = ("bills",)
"""Tables dated by a timestamp but produced once a month (their volume is counted by month)."""


def table_period(contract: TableContract) -> str | None:
    """``day``, ``month`` or ``None`` (no time column) for a contract table."""
    if contract.time_column is None:
        return None
    kind = contract.columns[contract.time_column].kind
    return "month" if kind in MONTHLY_KINDS or contract.name in MONTHLY_TABLES else "day"


def checked_columns(contract: TableContract) -> tuple[list[str], list[str]]:
    """Numeric columns (range check) and nullable columns (null rates), PII left out."""
    numeric, nullable = [], []
    for name, rule in contract.columns.items():
        if rule.pii or name == contract.time_column:
            continue
        if rule.kind in ("float", "int"):
            numeric.append(name)
        if rule.nullable:
            nullable.append(name)
    return numeric, nullable


def _parts(store: RawTables, name: str) -> list[Path]:
    location = store.table(name)
    if not location.exists():
        raise FileNotFoundError(
            f"{location} is missing: run `procare data ingest SOURCE_DIR` first"
        )
    return sorted(location.glob("part-*.parquet")) if location.is_dir() else [location]


def data_quality(
    raw_dir: Path, as_of: date, config: QualityConfig | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Data quality of every ingested contract table around ``as_of``.

    Returns:
        One row per table (:data:`monitoring.data_quality.QUALITY_COLUMNS`, ``late_rows``
        missing), and the rows per period (``table``, ``period``, ``rows``) the next run
        compares with to find late-arriving rows.

    Raises:
        FileNotFoundError: When the tables were not ingested.
    """
    config = config or QualityConfig()
    store = RawTables(raw_dir)
    rows, counts = [], []
    for name, contract in TABLES.items():
        if not store.has(name):
            logger.info("table %s was not ingested (optional): no quality check", name)
            continue
        window = QualityWindow.of(as_of, table_period(contract), config)
        numeric, nullable = checked_columns(contract)
        time = [contract.time_column] if contract.time_column else []
        columns = list(dict.fromkeys([*time, *numeric, *nullable]))
        parts = [
            bucket_stats(
                pd.read_parquet(path, columns=columns),
                contract.time_column,
                window,
                numeric,
                nullable,
            )
            for path in _parts(store, name)
        ]
        stats = merge_stats(parts)
        rows.append(table_quality(name, stats, window, config))
        per_period = period_counts(stats, window)
        counts.append(
            pd.DataFrame({"table": name, "period": per_period.index, "rows": per_period.values})
        )
    table = pd.DataFrame(rows, columns=list(QUALITY_COLUMNS))
    filled = [c for c in counts if len(c)]
    counted = (
        pd.concat(filled, ignore_index=True)
        if filled
        else pd.DataFrame(columns=["table", "period", "rows"])
    )
    return table, counted
