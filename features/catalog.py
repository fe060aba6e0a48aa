"""The feature registry: every feature of every family, in one table."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from features import graph, identity, structured, text
from features.registry import FeatureSpec
from features.sources import SOURCE_FAMILIES, families_absent


def all_features() -> list[FeatureSpec]:
    """Every registered feature, in family order (structured, text, identity, graph)."""
    return [*structured.FEATURES, *text.FEATURES, *identity.FEATURES, *graph.FEATURES]


def feature_specs() -> dict[str, FeatureSpec]:
    """Registered features by column name."""
    return {spec.name: spec for spec in all_features()}


def registry_table() -> pd.DataFrame:
    """The registry as a table (name, family, dtype, descriptions), e.g. for docs or MLflow."""
    return pd.DataFrame(
        [
            {
                "name": spec.name,
                "family": spec.family,
                "dtype": spec.dtype,
                "description_en": spec.description_en,
                "description_zh": spec.description_zh,
            }
            for spec in all_features()
        ]
    )


def source_family_columns(specs: Iterable[FeatureSpec] | None = None) -> dict[str, list[str]]:
    """The columns of each source family (:data:`features.sources.SOURCE_FAMILIES`).

    Args:
        specs: Registry entries to sort into source families (default: every registered one).

    Returns:
        Source family name -> its columns among ``specs``, in registry order. A family naming
        its columns gets those; the others get the remaining columns of their registry family.
    """
    specs = list(all_features() if specs is None else specs)
    named = {column for family in SOURCE_FAMILIES for column in family.columns}
    columns: dict[str, list[str]] = {}
    for family in SOURCE_FAMILIES:
        if family.columns:
            wanted = set(family.columns)
            columns[family.name] = [spec.name for spec in specs if spec.name in wanted]
        else:
            columns[family.name] = [
                spec.name
                for spec in specs
                if spec.family == family.family and spec.name not in named
            ]
    return columns


def absent_columns(missing_tables: Iterable[str]) -> list[str]:
    """Registered feature columns left out of a snapshot when ``missing_tables`` are missing."""
    by_family = source_family_columns()
    return [column for name in families_absent(missing_tables) for column in by_family[name]]
