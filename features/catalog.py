"""The feature registry: every feature of every family, in one table."""

from __future__ import annotations

import pandas as pd

from features import graph, identity, structured, text
from features.registry import FeatureSpec


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
