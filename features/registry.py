"""One registry of every feature: name, family, bilingual description, dtype and reason phrase.

Each family module declares a module-level ``FEATURES: list[FeatureSpec]``; :func:`all_features`
collects them. The scoring service and the reason codes read this registry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from features.vocabulary import FEATURE_FAMILIES, LANGUAGES

Family = Literal[FEATURE_FAMILIES]
Dtype = Literal["float", "int", "bool", "category"]


@dataclass(frozen=True)
class FeatureSpec:
    """Description of one model feature.

    Attributes:
        name: Column name in the feature table.
        family: Feature family that computes it.
        description_en: What the feature measures, in English.
        description_zh: What the feature measures, in Chinese.
        dtype: Logical dtype of the column.
        reason_en: Readable reason phrase with a ``{value}`` placeholder, shown when the feature
            drives a score up, e.g. ``"bill is {value:.0%} above the 3-month mean"``.
        reason_zh: The same phrase in Chinese, e.g. ``"账单较近三月均值上涨 {value:.0%}"``.
    """

    name: str
    family: Family
    description_en: str
    description_zh: str
    dtype: Dtype = "float"
    reason_en: str = ""
    reason_zh: str = ""

    def reason(self, value: object, lang: Literal[LANGUAGES] = "zh") -> str:
        """Render the reason phrase for a feature value, falling back to the description."""
        template = self.reason_zh if lang == "zh" else self.reason_en
        fallback = self.description_zh if lang == "zh" else self.description_en
        if not template:
            return f"{fallback}: {value}"
        try:
            return template.format(value=value)
        except (ValueError, TypeError):
            return f"{fallback}: {value}"
