"""The early-warning rule: one definition for the rule baseline, the backtest and live alerts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from features.early_warning import (
    CHANNELS_COLUMN,
    CONTACTS_COLUMN,
    MENTIONS_COLUMN,
    MIN_CHANNELS,
    STANCE_COLUMNS,
    mentions_escalation,
    mentions_escalation_stances,
    on_many_channels,
    rule_mentions,
    rule_score,
    stance_triggers,
    warning_flags,
)


def test_flags_mentions_or_three_channels():
    mentions = np.array([0.0, 1.0, np.nan, 0.0, 2.0])
    channels = np.array([2, 0, 2, 3, 5])
    assert warning_flags(mentions, channels).tolist() == [False, True, False, True, True]
    assert MIN_CHANNELS == 3
    assert on_many_channels([2, 3], min_channels=2).tolist() == [True, True]


def test_scalar_inputs_for_one_live_event():
    assert bool(mentions_escalation(True)) is True
    assert bool(mentions_escalation(False)) is False
    assert bool(on_many_channels(MIN_CHANNELS - 1)) is False
    assert bool(on_many_channels(MIN_CHANNELS)) is True


def test_rule_score_ranks_contacts_and_flags_escalation():
    frame = pd.DataFrame(
        {
            CONTACTS_COLUMN: [4, 0, 1],
            CHANNELS_COLUMN: [3, 1, 2],
            MENTIONS_COLUMN: pd.array([0, None, 1], dtype="Int64"),
        },
        index=pd.Index(["a", "b", "c"], name="customer_id"),
    )
    repeat = rule_score("repeat_contact", frame)
    assert repeat.dtype == np.float64
    assert repeat.tolist() == [4.0, 0.0, 1.0]
    assert rule_score("escalation", frame).tolist() == [1.0, 0.0, 1.0]


def test_rule_score_names_missing_columns():
    with pytest.raises(ValueError, match=MENTIONS_COLUMN):
        rule_score("escalation", pd.DataFrame({CHANNELS_COLUMN: [1]}))
    with pytest.raises(ValueError, match=CONTACTS_COLUMN):
        rule_score("repeat_contact", pd.DataFrame({CHANNELS_COLUMN: [1]}))


def test_training_backtest_and_live_alert_share_the_rule():
    from outreach import lists
    from serving.api.events import EarlyWarningConfig
    from training import baselines, families

    assert baselines.rule_score is rule_score
    assert families.rule_score is rule_score
    assert lists.rule_score is rule_score
    assert EarlyWarningConfig().distinct_channels == MIN_CHANNELS


def test_a_past_escalation_counts_like_a_threat_and_hearsay_does_not() -> None:
    assert mentions_escalation_stances(["done"]) is True
    assert mentions_escalation_stances(["threat"]) is True
    assert mentions_escalation_stances(["hearsay", "negated", "question"]) is False
    assert stance_triggers(["done", "question"]) == ["escalation_done"]


def test_rule_reads_the_stance_columns_when_the_frame_has_them() -> None:
    frame = pd.DataFrame(
        {
            MENTIONS_COLUMN: [False, False, False],
            STANCE_COLUMNS[1]: [True, False, None],
            CHANNELS_COLUMN: [1, 1, 3],
        }
    )
    assert rule_mentions(frame).tolist() == [True, False, False]
    assert rule_score("escalation", frame).tolist() == [1.0, 0.0, 1.0]
