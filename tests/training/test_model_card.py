"""The model card says which data the model was trained on, including missing tables."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from features.assemble import FeatureConfig
from training.model_card import render_model_card
from training.split import SnapshotWindow


def card(feature_config: FeatureConfig | None) -> str:
    configs = {
        "feature_config": None if feature_config is None else feature_config.model_dump(),
        "scoring": None,
    }
    return render_model_card(
        "escalation",
        SnapshotWindow((date(2026, 7, 31),), date(2026, 8, 31)),
        {"train": 100, "valid": 100},
        {"pr_auc": 0.3, "base_rate": 0.05},
        pd.DataFrame({"model": ["lightgbm"], "pr_auc": [0.3]}),
        None,
        pd.DataFrame(columns=["feature", "family", "gain", "mean_abs_contribution"]),
        "sigmoid",
        "pr_auc",
        configs=configs,
    )


def test_a_card_with_every_table_lists_every_family_and_no_missing_table():
    text = card(FeatureConfig())
    assert "- missing optional tables: none" in text
    assert (
        "- feature families available: structured, text, text_posts, identity_accounts, "
        "identity_posts, graph" in text
    )
    assert "label parts unavailable" not in text


@pytest.mark.parametrize(
    ("missing", "absent", "label"),
    [
        (["edges"], "graph", False),
        (["social_posts"], "text_posts, identity_posts", True),
        (
            ["social_accounts", "social_posts", "edges"],
            "text_posts, identity_accounts, identity_posts, graph",
            True,
        ),
    ],
)
def test_a_card_names_missing_tables_absent_families_and_the_label_part(missing, absent, label):
    text = card(FeatureConfig(missing_tables=missing))
    assert f"- missing optional tables: {', '.join(missing)}" in text
    assert f"(left out, not zero-filled): {absent}" in text
    assert ("label parts unavailable: escalation.viral_post" in text) is label


def test_a_card_without_a_recorded_config_says_so():
    assert "not recorded by the training snapshots" in card(None)
