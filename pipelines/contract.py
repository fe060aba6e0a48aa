"""The data contract: the eight input tables, their columns, types and rules.

The contract is declared once as :data:`TABLES`; :func:`table_schema` turns a table's declaration
into a pandera schema, with foreign keys and the data's end date bound at validation time.
:data:`REQUIRED_TABLES` must be in every export; :data:`OPTIONAL_TABLES` (social accounts, posts,
edges; declared with the feature families they feed in :mod:`features.sources`) may be left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import pandas as pd
import pandera.pandas as pa

from features.sources import OPTIONAL_TABLES
from features.vocabulary import (
    CATEGORIES,
    CHANNELS,
    CUSTOMER_STATUSES,
    DIRECTIONS,
    EDGE_KINDS,
    EVENT_TYPES,
    PLAN_TYPES,
    PLATFORMS,
)

Kind = Literal["str", "float", "int", "bool", "timestamp", "month"]

MSISDN_PATTERN = r"^1\d{10}$"


@dataclass(frozen=True)
class ColumnRule:
    """One contract column.

    Attributes:
        kind: Logical type; ingest coerces raw values to it.
        nullable: Whether missing values are allowed.
        checks: Extra pandera checks (ranges, enums, patterns).
        references: ``"table.column"`` this column is a foreign key to, if any.
        pii: Whether the column holds personal data (never logged).
        msisdn: Whether the column holds mobile numbers, which ingest brings to the 11-digit
            form (``+86 138…``, ``0086…`` and separators are accepted) before checking them.
    """

    kind: Kind
    nullable: bool = False
    checks: tuple[pa.Check, ...] = ()
    references: str | None = None
    pii: bool = False
    msisdn: bool = False


@dataclass(frozen=True)
class TableContract:
    """One contract table: its columns, its unique key and its point-in-time column."""

    name: str
    columns: dict[str, ColumnRule]
    unique: tuple[str, ...] = ()
    time_column: str | None = None
    extra_checks: tuple[pa.Check, ...] = field(default_factory=tuple)


def _non_negative(kind: Kind = "float", nullable: bool = False) -> ColumnRule:
    return ColumnRule(kind, nullable=nullable, checks=(pa.Check.ge(0),))


def _one_of(values: tuple[str, ...], nullable: bool = False) -> ColumnRule:
    return ColumnRule("str", nullable=nullable, checks=(pa.Check.isin(list(values)),))


TABLES: dict[str, TableContract] = {
    "customers": TableContract(
        name="customers",
        columns={
            "customer_id": ColumnRule("str"),
            "msisdn": ColumnRule(
                "str", checks=(pa.Check.str_matches(MSISDN_PATTERN),), pii=True, msisdn=True
            ),
            "open_date": ColumnRule("timestamp"),
            "plan_type": _one_of(PLAN_TYPES),
            "monthly_fee": _non_negative(),
            "region": ColumnRule("str"),
            "vip_level": ColumnRule("int", checks=(pa.Check.in_range(0, 3),)),
            "autopay": ColumnRule("bool"),
            "status": _one_of(CUSTOMER_STATUSES),
        },
        unique=("customer_id",),
        time_column="open_date",
    ),
    "bills": TableContract(
        name="bills",
        columns={
            "customer_id": ColumnRule("str", references="customers.customer_id"),
            "bill_month": ColumnRule("month"),
            "issued_at": ColumnRule("timestamp"),
            "amount_due": _non_negative(),
            "amount_paid": _non_negative(),
            "overdue_amount": _non_negative(),
            "data_overage_fee": _non_negative(),
            "voice_overage_fee": _non_negative(),
            "vas_fee": _non_negative(),
            "roaming_fee": _non_negative(),
            "adjustment_amount": ColumnRule("float"),
        },
        unique=("customer_id", "bill_month"),
        time_column="issued_at",
    ),
    "usage": TableContract(
        name="usage",
        columns={
            "customer_id": ColumnRule("str", references="customers.customer_id"),
            "usage_month": ColumnRule("month"),
            "data_gb": _non_negative(),
            "voice_minutes": _non_negative(),
            "sms_count": _non_negative("int"),
            "dropped_call_rate": ColumnRule("float", checks=(pa.Check.in_range(0, 1),)),
            "avg_download_mbps": _non_negative(),
            "outage_minutes": _non_negative(),
        },
        unique=("customer_id", "usage_month"),
        time_column="usage_month",
    ),
    "service_events": TableContract(
        name="service_events",
        columns={
            "event_id": ColumnRule("str"),
            "customer_id": ColumnRule("str", references="customers.customer_id"),
            "ts": ColumnRule("timestamp"),
            "event_type": _one_of(EVENT_TYPES),
            "amount": ColumnRule("float", nullable=True),
        },
        unique=("event_id",),
        time_column="ts",
    ),
    "contacts": TableContract(
        name="contacts",
        columns={
            "contact_id": ColumnRule("str"),
            "customer_id": ColumnRule("str", nullable=True, references="customers.customer_id"),
            "ts": ColumnRule("timestamp"),
            "channel": _one_of(CHANNELS),
            "direction": _one_of(DIRECTIONS),
            "category": _one_of(CATEGORIES),
            "text": ColumnRule("str", nullable=True, pii=True),
            "ticket_id": ColumnRule("str", nullable=True),
            "resolved": ColumnRule("bool"),
            "handle_seconds": _non_negative("int"),
            "transfers": _non_negative("int"),
            "csat": ColumnRule("float", nullable=True, checks=(pa.Check.in_range(1, 5),)),
            "escalated_flag": ColumnRule("bool"),
            "social_account_id": ColumnRule(
                "str", nullable=True, references="social_accounts.account_id"
            ),
        },
        unique=("contact_id",),
        time_column="ts",
    ),
    "social_accounts": TableContract(
        name="social_accounts",
        columns={
            "account_id": ColumnRule("str"),
            "platform": _one_of(PLATFORMS),
            "followers": _non_negative("int"),
            "bound_msisdn": ColumnRule(
                "str",
                nullable=True,
                checks=(pa.Check.str_matches(MSISDN_PATTERN),),
                pii=True,
                msisdn=True,
            ),
            "nickname": ColumnRule("str", nullable=True, pii=True),
        },
        unique=("account_id",),
    ),
    "social_posts": TableContract(
        name="social_posts",
        columns={
            "post_id": ColumnRule("str"),
            "account_id": ColumnRule("str", references="social_accounts.account_id"),
            "ts": ColumnRule("timestamp"),
            "text": ColumnRule("str", pii=True),
            "reposts": _non_negative("int"),
            "comments": _non_negative("int"),
            "mentions_brand": ColumnRule("bool"),
        },
        unique=("post_id",),
        time_column="ts",
    ),
    "edges": TableContract(
        name="edges",
        columns={
            "src": ColumnRule("str", references="customers.customer_id"),
            "dst": ColumnRule("str", references="customers.customer_id"),
            "kind": _one_of(EDGE_KINDS),
            "weight": ColumnRule("float", checks=(pa.Check.gt(0),)),
            "month": ColumnRule("month"),
        },
        unique=("src", "dst", "kind", "month"),
        time_column="month",
        extra_checks=(
            pa.Check(
                lambda df: df["src"] != df["dst"],
                name="src_differs_from_dst",
                error="an edge must join two different customers",
            ),
        ),
    ),
}

TABLE_ORDER: tuple[str, ...] = tuple(TABLES)

REQUIRED_TABLES: tuple[str, ...] = tuple(
    name for name in TABLE_ORDER if name not in OPTIONAL_TABLES
)
"""Tables every export must hold; a missing one fails the ingest naming it."""

PANDAS_DTYPES: dict[Kind, str] = {
    "str": "object",
    "float": "float64",
    "int": "int64",
    "bool": "bool",
    "timestamp": "datetime64[ns]",
    "month": "datetime64[ns]",
}


def pii_columns() -> dict[str, list[str]]:
    """Columns that hold personal data, per table (never logged, never shown in errors)."""
    return {
        name: [col for col, rule in table.columns.items() if rule.pii]
        for name, table in TABLES.items()
    }


def _string_dtype_check() -> pa.Check:
    return pa.Check(
        lambda series: pd.api.types.is_string_dtype(series) or series.isna().all(),
        element_wise=False,
        name="dtype('str')",
        error="expected text values",
    )


def _foreign_key_check(reference: str, known: pd.Index) -> pa.Check:
    return pa.Check(
        lambda series: series.isna() | series.isin(known),
        name=f"foreign_key({reference})",
        error=f"value not found in {reference}",
    )


def _not_after_check(data_end: pd.Timestamp) -> pa.Check:
    return pa.Check(
        lambda series: series.isna() | (series <= data_end),
        name=f"not_after_data_end({data_end:%Y-%m-%d %H:%M})",
        error=f"timestamp after the end of the data ({data_end})",
    )


def table_schema(
    table: str,
    known_keys: dict[str, pd.Index] | None = None,
    data_end: pd.Timestamp | None = None,
) -> pa.DataFrameSchema:
    """Build the pandera schema of one contract table.

    Args:
        table: Table name, one of :data:`TABLES`.
        known_keys: ``"table.column"`` -> the keys that exist there, for foreign-key checks.
            Foreign keys without an entry are not checked.
        data_end: The end of the data; timestamps after it are rejected.

    Returns:
        A pandera ``DataFrameSchema`` that coerces nothing and checks everything.
    """
    contract = TABLES[table]
    known_keys = known_keys or {}
    columns: dict[str, pa.Column] = {}
    for name, rule in contract.columns.items():
        checks = list(rule.checks)
        if rule.references and rule.references in known_keys:
            checks.append(_foreign_key_check(rule.references, known_keys[rule.references]))
        if data_end is not None and rule.kind in ("timestamp", "month"):
            checks.append(_not_after_check(data_end))
        if rule.kind == "str":
            checks.insert(0, _string_dtype_check())
        columns[name] = pa.Column(
            None if rule.kind == "str" else PANDAS_DTYPES[rule.kind],
            checks=checks,
            nullable=rule.nullable,
            required=True,
        )
    return pa.DataFrameSchema(
        columns,
        name=table,
        unique=list(contract.unique) or None,
        checks=list(contract.extra_checks),
        strict=False,
        coerce=False,
    )
