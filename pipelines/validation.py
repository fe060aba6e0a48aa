"""Validate normalized tables against the contract with pandera, across tables."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from pipelines.contract import TABLES, pii_columns, table_schema
from pipelines.violations import Violation, examples_from


def data_end_of(tables: dict[str, pd.DataFrame]) -> pd.Timestamp | None:
    """The end of the data: the last instant of the latest bill month.

    Returns:
        ``None`` when there are no bills to date the export.
    """
    bills = tables.get("bills")
    if bills is None or "bill_month" not in bills or bills["bill_month"].dropna().empty:
        return None
    last_month = pd.Timestamp(bills["bill_month"].max())
    return last_month + pd.offsets.MonthBegin(1) - pd.Timedelta(microseconds=1)


def known_keys_of(tables: dict[str, pd.DataFrame]) -> dict[str, pd.Index]:
    """Every key that foreign keys reference, e.g. ``"customers.customer_id"`` -> its ids."""
    referenced = {
        rule.references
        for table in TABLES.values()
        for rule in table.columns.values()
        if rule.references
    }
    keys: dict[str, pd.Index] = {}
    for reference in sorted(referenced):
        table_name, column = reference.split(".")
        frame = tables.get(table_name)
        if frame is not None and column in frame:
            keys[reference] = pd.Index(frame[column].dropna().unique())
    return keys


def _violations_from_failures(table: str, failures: pd.DataFrame) -> list[Violation]:
    pii = set(pii_columns()[table])
    violations = []
    failures = failures.assign(
        column=failures["column"].fillna("*").astype(str),
        check=failures["check"].astype(str),
    )
    for (column, check), group in failures.groupby(["column", "check"], sort=False):
        rows = [int(i) + 1 for i in group["index"] if pd.notna(i)]
        values = group["failure_case"].tolist()
        count = len(group) if rows else 1
        if check == "multiple_fields_uniqueness":
            check = f"unique({', '.join(TABLES[table].unique)})"
        violations.append(
            Violation(table, column, check, count, examples_from(rows, values, column in pii))
        )
    return violations


def validate_tables(tables: dict[str, pd.DataFrame]) -> list[Violation]:
    """Check every table against its schema, foreign keys and the data's end.

    Args:
        tables: Normalized tables by name (see :func:`pipelines.normalize.normalize_table`).

    Returns:
        All violations found (empty when the data honours the contract).
    """
    keys = known_keys_of(tables)
    data_end = data_end_of(tables)
    violations: list[Violation] = []
    for name, frame in tables.items():
        schema = table_schema(name, known_keys=keys, data_end=data_end)
        try:
            schema.validate(frame, lazy=True)
        except pa.errors.SchemaErrors as errors:
            violations.extend(_violations_from_failures(name, errors.failure_cases))
    return violations
