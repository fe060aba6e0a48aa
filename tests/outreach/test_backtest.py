"""Backtest of the outreach lists on realized labels."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from outreach.backtest import BacktestConfig, backtest, backtest_wide, gain_curves
from outreach.lists import ListConfig, OutreachList, policy_list
from tests.training.world import customer_frame, snapshot_rows


@pytest.fixture(scope="module")
def snapshot() -> tuple[pd.DataFrame, pd.DataFrame]:
    frame, _, oracle = snapshot_rows(customer_frame(6000, seed=3), date(2026, 8, 31), seed=3)
    return frame, oracle.set_index("customer_id")[["p_repeat_contact", "p_escalation"]]


def test_oracle_policy_beats_random_by_a_wide_margin(snapshot):
    frame, oracle = snapshot
    table = backtest(frame, {"oracle": oracle}, BacktestConfig(policies=("oracle", "random")))
    recall = table.set_index(["policy", "capacity", "label"])["recall"]
    for label, margin in (("repeat_contact", 1.8), ("escalation", 4.0)):
        for capacity in (0.01, 0.02, 0.05, 0.10):
            assert recall["oracle", capacity, label] > margin * recall["random", capacity, label]
    lift = table.set_index(["policy", "capacity", "label"])["lift"]
    assert lift["oracle", 0.05, "escalation"] > 4
    assert lift["random", 0.05, "escalation"] == pytest.approx(1, abs=0.7)


def test_every_policy_contacts_the_same_number_at_each_capacity(snapshot):
    frame, oracle = snapshot
    table = backtest(frame, {"oracle": oracle})
    assert set(table["policy"]) == {"oracle", "rule", "most_contacts", "random"}
    sizes = table.groupby("capacity")["contacted"].agg(["min", "max"])
    assert (sizes["min"] == sizes["max"]).all()
    assert sizes.loc[0.05, "min"] == round(0.05 * len(frame))
    assert table["captured_volume"].isna().all()


def test_lists_share_the_holdout_and_never_contact_it(snapshot):
    frame, oracle = snapshot
    config = ListConfig()
    lists = {
        policy: policy_list(policy, 300, frame, {"oracle": oracle}, config)
        for policy in ("oracle", "rule", "most_contacts", "random")
    }
    for chosen in lists.values():
        assert isinstance(chosen, OutreachList)
        assert not chosen.contacted.isin(chosen.holdout).any()
        for other in lists.values():
            assert not chosen.contacted.isin(other.holdout).any()


def test_rule_list_puts_flagged_customers_first(snapshot):
    frame, _ = snapshot
    chosen = policy_list("rule", 100, frame, {}, ListConfig())
    flagged = frame["txt_escalation_intent_any_30d"] | (frame["ct_distinct_channels_30d"] >= 3)
    if flagged.sum() >= 200:
        assert flagged.reindex(chosen.contacted).all()


def test_captured_volume_uses_realized_contacts(snapshot):
    frame, oracle = snapshot
    rng = np.random.default_rng(0)
    outcomes = pd.DataFrame(
        {
            "repeat_contacts": np.where(frame["repeat_contact"], rng.integers(1, 5, len(frame)), 0),
            "escalation_contacts": frame["escalation"].astype(int),
        },
        index=frame.index,
    )
    config = BacktestConfig(policies=("oracle",), capacities=(0.05,))
    table = backtest(frame, {"oracle": oracle}, config, outcomes=outcomes)
    escalation = table.set_index("label").loc["escalation"]
    assert escalation["captured_volume"] == pytest.approx(escalation["recall"])
    assert 0 < table.set_index("label").loc["repeat_contact", "captured_volume"] <= 1


def test_wide_table_and_gain_curves(snapshot):
    frame, oracle = snapshot
    config = BacktestConfig(policies=("oracle", "random"), gain_points=5)
    wide = backtest_wide(backtest(frame, {"oracle": oracle}, config))
    assert len(wide) == 2 * len(config.capacities)
    assert {"contacted", "repeat_precision", "escalation_recall"} <= set(wide.columns)
    curves = gain_curves(frame, {"oracle": oracle}, config)
    for _, part in curves.groupby(["policy", "label"]):
        assert part["recall"].is_monotonic_increasing


def test_snapshot_without_labels_is_refused(snapshot):
    frame, oracle = snapshot
    with pytest.raises(ValueError, match="realized labels"):
        backtest(frame.drop(columns=["escalation"]), {"oracle": oracle})
