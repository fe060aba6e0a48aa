"""Validate normalized tables against the contract with pandera, across tables.

A table can be validated whole or chunk by chunk: :class:`FailureTally` folds pandera's failure
cases of each chunk into one list of violations that does not depend on how the table was cut
(counts summed, the first examples by row number, violations in the schema's order), provided
each chunk carries its rows' positions in the whole table as its index. Uniqueness needs every
row at once, so a chunked validation leaves it out (``unique=False``) and checks the keys apart
(see :mod:`pipelines.ingest_keys`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import pandera.pandas as pa

from pipelines.contract import TABLES, pii_columns, table_schema
from pipelines.violations import Violation, examples_from

EXAMPLES = 5
"""First offending rows shown per violation."""

_UNIQUENESS = "multiple_fields_uniqueness"
_UNNUMBERED_CHECKS = {"not_nullable": -3, "dtype": -2}


def data_end_of(tables: dict[str, pd.DataFrame]) -> pd.Timestamp | None:
    """The end of the data: the last instant of the latest bill month.

    Returns:
        ``None`` when there are no bills to date the export.
    """
    bills = tables.get("bills")
    if bills is None or "bill_month" not in bills or bills["bill_month"].dropna().empty:
        return None
    return data_end_from_month(pd.Timestamp(bills["bill_month"].max()))


def data_end_from_month(last_month: pd.Timestamp | None) -> pd.Timestamp | None:
    """The last instant of ``last_month`` (the latest bill month), ``None`` without bills."""
    if last_month is None or pd.isna(last_month):
        return None
    return pd.Timestamp(last_month) + pd.offsets.MonthBegin(1) - pd.Timedelta(microseconds=1)


def referenced_keys() -> list[str]:
    """Every ``"table.column"`` some foreign key references, sorted."""
    return sorted(
        {
            rule.references
            for table in TABLES.values()
            for rule in table.columns.values()
            if rule.references
        }
    )


def known_keys_of(tables: dict[str, pd.DataFrame]) -> dict[str, pd.Index]:
    """Every key that foreign keys reference, e.g. ``"customers.customer_id"`` -> its ids."""
    keys: dict[str, pd.Index] = {}
    for reference in referenced_keys():
        table_name, column = reference.split(".")
        frame = tables.get(table_name)
        if frame is not None and column in frame:
            keys[reference] = pd.Index(frame[column].dropna().unique())
    return keys


@dataclass
class _Tally:
    rank: tuple[int, int, int, str]
    rows: int = 0
    examples: list[tuple[int, object]] = field(default_factory=list)


class FailureTally:
    """The violations of one table, folded from pandera failure cases chunk by chunk.

    A violation counts its offending rows (a failure without a row, such as a wrong column
    dtype, counts once however many chunks report it), shows the first :data:`EXAMPLES` rows by
    row number, and violations are ordered as the schema declares them: table-level rules
    (uniqueness, then table checks), then each column in contract order (missing values, dtype,
    then its checks).
    """

    def __init__(self, table: str):
        self.table = table
        self._positions = {col: i for i, col in enumerate(TABLES[table].columns)}
        self._pii = set(pii_columns()[table])
        self._tallies: dict[tuple[str, str], _Tally] = {}

    def add(self, failures: pd.DataFrame) -> None:
        """Fold in pandera's ``failure_cases`` of one chunk (index = rows in the whole table)."""
        failures = failures.assign(
            column=failures["column"].fillna("*").astype(str),
            check=failures["check"].astype(str),
            check_number=pd.to_numeric(failures["check_number"], errors="coerce"),
        )
        keys = ["schema_context", "column", "check"]
        for (context, column, check), group in failures.groupby(keys, sort=False):
            tally = self._tallies.get((column, check))
            if tally is None:
                tally = _Tally(self._rank(str(context), column, check, group["check_number"]))
                self._tallies[(column, check)] = tally
            located = group[group["index"].notna()]
            tally.rows += len(located)
            rows = pd.to_numeric(located["index"]).astype("int64").to_numpy() + 1
            firsts = pd.Series(located["failure_case"].to_numpy(), index=rows)
            firsts = firsts.sort_index(kind="stable").iloc[:EXAMPLES]
            merged = tally.examples + list(zip(firsts.index.tolist(), firsts.tolist(), strict=True))
            tally.examples = sorted(merged, key=lambda pair: pair[0])[:EXAMPLES]

    @property
    def empty(self) -> bool:
        """Whether no failure was folded in yet."""
        return not self._tallies

    def violations(self) -> list[Violation]:
        """The violations folded so far, in schema order."""
        out = []
        ordered = sorted(self._tallies.items(), key=lambda item: item[1].rank)
        for (column, check), tally in ordered:
            rule = check
            if check == _UNIQUENESS:
                rule = f"unique({', '.join(TABLES[self.table].unique)})"
            rows = [row for row, _ in tally.examples]
            values = [value for _, value in tally.examples]
            examples = examples_from(rows, values, column in self._pii, limit=EXAMPLES)
            out.append(Violation(self.table, column, rule, tally.rows or 1, examples))
        return out

    def _rank(
        self, context: str, column: str, check: str, numbers: pd.Series
    ) -> tuple[int, int, int, str]:
        number = numbers.dropna()
        if len(number):
            order = int(number.iloc[0])
        elif check == _UNIQUENESS:
            order = -4
        else:
            order = _UNNUMBERED_CHECKS.get(check.split("(")[0], -1)
        level = 0 if context == "DataFrameSchema" else 1
        return (level, self._positions.get(column, -1), order, check)


def chunk_schema(
    table: str,
    known_keys: dict[str, pd.Index] | None,
    data_end: pd.Timestamp | None,
    unique: bool = True,
) -> pa.DataFrameSchema:
    """The table's schema; without its uniqueness rule when ``unique`` is false."""
    schema = table_schema(table, known_keys=known_keys, data_end=data_end)
    if not unique:
        schema.unique = None
    return schema


def collect_failures(schema: pa.DataFrameSchema, frame: pd.DataFrame, tally: FailureTally) -> None:
    """Validate ``frame`` (lazily, every rule) and fold its failures into ``tally``."""
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        tally.add(errors.failure_cases)


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
        tally = FailureTally(name)
        collect_failures(chunk_schema(name, keys, data_end), frame, tally)
        violations.extend(tally.violations())
    return violations
