"""Schemas of the files one stage hands to the next: snapshots, score files, outreach plans.

Each file is checked where it is read back, as stored (before any index is set), so a stale or
hand-edited file fails with its path, the column, the rule and how many rows broke it, instead of
a wrong score or a ``KeyError`` deep in a later stage. Every check is vectorized: the service
reads a whole base's scores (a million customers) at start-up.
"""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from features.catalog import all_features
from features.labels import LABELS
from features.registry import Dtype
from features.vocabulary import TARGETS, TEAMS
from pipelines.violations import Violation

RISK_TIERS = ("high", "medium", "low")
"""Tiers of ``serving.scoring.score.risk_tiers``."""
PLAN_GROUPS = ("outreach", "holdout")
"""Groups of ``outreach.policy.plan_outreach``."""
TEXT_SCORE = "txt_model_score"
"""The text-model column (``training.text_score.TEXT_SCORE``), checked when a file holds it."""
SILENT_COLUMNS = frozenset({"document", "reasons", "reasons_zh"})
"""Columns whose values never appear in an error (complaint tokens, long reason texts)."""

_DTYPE_RULE = "dtype("


class StageFileError(ValueError):
    """A file written by an earlier stage breaks its schema (stale or edited by hand)."""

    def __init__(self, path: Path, violations: list[Violation]):
        self.path = Path(path)
        self.violations = violations
        lines = [v.describe() for v in violations]
        super().__init__(
            f"{self.path} breaks its schema ({len(violations)} violation(s)); rebuild it with "
            "the command that wrote it instead of editing it:\n  " + "\n  ".join(lines)
        )


def _kind_check(kind: Dtype) -> pa.Check:
    """Whether a column holds values of a registry dtype (counts bad rows where it can)."""

    def check(series: pd.Series) -> bool | pd.Series:
        dtype = series.dtype
        if kind == "category":
            return isinstance(dtype, pd.CategoricalDtype)
        if pd.api.types.is_bool_dtype(dtype):
            return kind == "bool"
        if not pd.api.types.is_numeric_dtype(dtype):
            return False
        if kind == "bool":
            return series.isin((0, 1))
        if kind == "int" and pd.api.types.is_float_dtype(dtype):
            return series == np.floor(series)
        return True

    return pa.Check(check, element_wise=False, name=f"{_DTYPE_RULE}{kind})")


def _is_text(series: pd.Series) -> bool:
    """Text values, nulls aside (the null scan runs only when the fast test fails)."""
    return pd.api.types.is_string_dtype(series) or pd.api.types.is_string_dtype(series.dropna())


def _text_check() -> pa.Check:
    # ``ignore_na=False``: pandera's null handling scans an object column twice more per check,
    # which is most of the cost of a million-row file; nulls are reported by ``not null``.
    return pa.Check(_is_text, element_wise=False, ignore_na=False, name=f"{_DTYPE_RULE}str)")


def _one_of(values: tuple[str, ...]) -> pa.Check:
    return pa.Check(
        lambda series: series.isin([*values, None]),
        element_wise=False,
        ignore_na=False,
        name=f"isin({list(values)})",
    )


def _label_check() -> pa.Check:
    return pa.Check(
        lambda series: pd.api.types.is_bool_dtype(series) or series.isin((0, 1)),
        element_wise=False,
        name="isin([0, 1])",
    )


def _text(required: bool = True, *checks: pa.Check, unique: bool = False) -> pa.Column:
    return pa.Column(None, [_text_check(), *checks], required=required, unique=unique)


def _number(kind: Dtype = "float", required: bool = True, *checks: pa.Check) -> pa.Column:
    return pa.Column(None, [_kind_check(kind), *checks], required=required)


def _probability(required: bool = True) -> pa.Column:
    return _number("float", required, pa.Check.in_range(0, 1))


def _customer_id() -> pa.Column:
    return _text(True, unique=True)


@lru_cache(maxsize=2)
def features_schema(require_all: bool = False) -> pa.DataFrameSchema:
    """A snapshot's ``features.parquet``: registered features with their registry dtype.

    Features may be missing (NaN) for a customer; labels, when the horizon was observed, are
    0/1 without nulls; the text-model score, when present, lies in [0, 1].

    Args:
        require_all: Every registered feature must be present. Off when reading snapshots:
            a family can be absent when its source tables are (DESIGN §4), and training reads
            snapshots of a registry subset (``train(specs=...)``).
    """
    columns = {"customer_id": _customer_id()}
    for spec in all_features():
        columns[spec.name] = pa.Column(
            None, _kind_check(spec.dtype), nullable=True, required=require_all
        )
    for label in LABELS:
        columns[label] = pa.Column(None, _label_check(), required=False)
    columns[TEXT_SCORE] = _probability(required=False)
    return pa.DataFrameSchema(columns, name="features", strict=False)


@lru_cache(maxsize=1)
def documents_schema() -> pa.DataFrameSchema:
    """A snapshot's ``documents.parquet``: one masked token string per customer."""
    return pa.DataFrameSchema(
        {"customer_id": _customer_id(), "document": _text()}, name="documents"
    )


@lru_cache(maxsize=1)
def scores_schema() -> pa.DataFrameSchema:
    """A score file: both probabilities per customer; tier, action, team and reasons if held.

    ``reasons`` is only checked to be text here: checking a million JSON texts (even just their
    brackets) doubled the check's cost, so their JSON is checked where it is parsed
    (:func:`parse_json_column`), and the service parses only the rows it answers with.
    """
    return pa.DataFrameSchema(
        {
            "customer_id": _customer_id(),
            **{f"p_{target}": _probability() for target in TARGETS},
            "risk_tier": _text(False, _one_of(RISK_TIERS)),
            "action": _text(False),
            "action_zh": _text(False),
            "action_en": _text(False),
            "team": _text(False, _one_of(TEAMS)),
            "reasons": _text(False),
        },
        name="scores",
    )


@lru_cache(maxsize=1)
def plan_schema() -> pa.DataFrameSchema:
    """An outreach plan (``plan.parquet``) as :func:`pipelines.outreach_io.write_plan` writes it."""
    return pa.DataFrameSchema(
        {
            "customer_id": _customer_id(),
            "group": _text(True, _one_of(PLAN_GROUPS)),
            "team": _text(True, _one_of(TEAMS)),
            "rank": _number("int", True, pa.Check.ge(1)),
            "action": _text(),
            "action_zh": _text(),
            "action_en": _text(),
            **{f"p_{target}": _probability() for target in TARGETS},
            "expected_avoided_repeat": _probability(),
            "expected_avoided_escalation": _probability(),
            "net_value": _number(),
            "holdout_seed": _number("int"),
            "risk_tier": _text(False, _one_of(RISK_TIERS)),
            "reasons": _text(False),
            "reasons_zh": _text(False),
        },
        name="plan",
    )


def check_file(table: pd.DataFrame, schema: pa.DataFrameSchema, path: Path) -> None:
    """Check a file's table, as read (flat, before any index is set), against its schema.

    Args:
        table: The file's rows.
        schema: One of the schemas of this module.
        path: The file, named in the error.

    Raises:
        StageFileError: Naming the file, each broken column and rule, and how many rows broke it.
    """
    try:
        schema.validate(table, lazy=True, inplace=True)
    except pa.errors.SchemaErrors as errors:
        raise StageFileError(path, _violations(table, errors.failure_cases, path)) from None


def _violations(table: pd.DataFrame, failures: pd.DataFrame, path: Path) -> list[Violation]:
    failures = failures.assign(
        column=failures["column"].astype(object).where(failures["column"].notna(), None),
        check=failures["check"].astype(str),
    )
    missing = failures["check"] == "column_in_dataframe"
    failures.loc[missing, "column"] = failures.loc[missing, "failure_case"]
    failures["column"] = failures["column"].fillna("*").astype(str)
    wrong_type = set(failures.loc[failures["check"].str.startswith(_DTYPE_RULE), "column"])
    ids = table["customer_id"].to_numpy() if "customer_id" in table else None
    violations = []
    for (column, check), group in failures.groupby(["column", "check"], sort=False):
        if column in wrong_type and not check.startswith(_DTYPE_RULE):
            continue
        rows = [int(i) for i in group["index"] if pd.notna(i)]
        rule = _RULE_NAMES.get(check, check)
        silent = column in SILENT_COLUMNS or column == "customer_id"
        examples = _examples(rows, group["failure_case"].tolist(), ids, silent)
        count = len(rows) if rows else len(table)
        violations.append(Violation(path.name, column, rule, count, examples))
    return violations


_RULE_NAMES = {
    "column_in_dataframe": "missing column",
    "field_uniqueness": "unique",
    "not_nullable": "not null",
}


def _examples(
    rows: list[int], values: list[object], ids: np.ndarray | None, silent: bool, limit: int = 5
) -> tuple[str, ...]:
    """The first distinct offending rows, named by customer id when the file has one."""
    out: dict[str, None] = {}
    for row, value in zip(rows, values, strict=False):
        where = f"customer {ids[row]!r}" if ids is not None else f"row {row + 1}"
        out[where if silent else f"{where}: {value!r}"] = None
        if len(out) == limit:
            break
    return tuple(out)


def check_snapshot_meta(meta: dict, as_of: date, rows: int, path: Path) -> None:
    """A snapshot's ``meta.json`` describes the snapshot read with it.

    Raises:
        StageFileError: If its ``as_of`` or ``rows`` disagree with the folder and features.
    """
    expected = {"as_of": as_of.isoformat(), "rows": rows}
    broken = [
        Violation(path.name, key, f"equals {value!r}", 1, (f"found {meta.get(key)!r}",))
        for key, value in expected.items()
        if meta.get(key) != value
    ]
    if broken:
        raise StageFileError(path, broken)


def check_same_customers(documents: pd.Index, features: pd.Index, path: Path) -> None:
    """The documents of a snapshot belong to exactly the customers of its features.

    Raises:
        StageFileError: Naming how many customers the two files do not share.
    """
    if documents.equals(features):
        return
    odd = documents.symmetric_difference(features)
    rule = "same customers, in the same order, as features.parquet"
    examples = tuple(f"customer {c!r}" for c in odd[:5])
    raise StageFileError(path, [Violation(path.name, "customer_id", rule, len(odd), examples)])


def parse_json_column(values: pd.Series, path: Path) -> list[object]:
    """Parse a column of JSON texts (e.g. ``reasons``, indexed by customer id) back to objects.

    Raises:
        StageFileError: If some texts do not parse.
    """
    parsed, bad = [], []
    for position, text in enumerate(values):
        try:
            parsed.append(json.loads(text))
        except (TypeError, ValueError):
            bad.append(position)
    if bad:
        examples = tuple(f"customer {values.index[row]!r}" for row in bad[:5])
        broken = Violation(path.name, str(values.name), "valid JSON", len(bad), examples)
        raise StageFileError(path, [broken])
    return parsed
