"""Baselines: the early-warning rules on the real column names, and the sklearn families."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.training.world import SNAPSHOTS, SPECS, customer_frame, snapshot_rows
from training.baselines import BASELINES, make_baseline, rule_score, sklearn_input
from training.config import BaselineParams
from training.evaluate import roc_auc
from training.feature_schema import FeatureSchema


def test_escalation_rule_flags_mentions_or_three_channels():
    frame = pd.DataFrame(
        {
            "ct_distinct_channels_30d": [0, 3, 2, 1],
            "txt_escalation_intent_any_30d": [False, False, True, False],
            "txt_model_score": [0.9, 0.9, 0.9, 0.9],
        }
    )
    np.testing.assert_array_equal(rule_score("escalation", frame), [0, 1, 1, 0])


def test_repeat_rule_ranks_by_recent_inbound_contacts():
    frame = pd.DataFrame({"ct_inbound_30d": [0, 5, 2]})
    np.testing.assert_array_equal(rule_score("repeat_contact", frame), [0, 5, 2])


def test_rules_name_the_columns_they_miss():
    with pytest.raises(ValueError, match="ct_inbound_30d"):
        rule_score("repeat_contact", pd.DataFrame({"x": [1]}))
    with pytest.raises(ValueError, match="txt_escalation_intent_any_30d"):
        rule_score("escalation", pd.DataFrame({"ct_distinct_channels_30d": [1]}))


@pytest.mark.parametrize("name", BASELINES)
def test_sklearn_baselines_learn_the_signal_with_categoricals(name):
    frame, _, _ = snapshot_rows(customer_frame(1500, seed=5), SNAPSHOTS[0], seed=5)
    features = frame.drop(columns=["repeat_contact", "escalation"])
    columns = list(features.columns)
    schema = FeatureSchema.from_frames([features], columns, {c: SPECS[c].dtype for c in columns})
    y = frame["repeat_contact"].to_numpy()
    model = make_baseline(name, schema, BaselineParams(mlp_max_iter=40), seed=0)
    model.fit(sklearn_input(schema, features.iloc[:1000]), y[:1000])
    unseen = features.iloc[1000:].assign(acct_region="nowhere")
    prob = model.predict_proba(sklearn_input(schema, unseen))[:, 1]
    assert roc_auc(y[1000:], prob) > 0.62


def test_unknown_baseline_is_refused():
    schema = FeatureSchema.from_frames([pd.DataFrame({"x": [1.0]})], ["x"])
    with pytest.raises(ValueError, match="unknown baseline"):
        make_baseline("svm", schema, BaselineParams(), seed=0)
