"""The outreach policy: capacities, holdout, fall-backs and value ordering."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from outreach import OutreachConfig, TeamCapacity, holdout_mask, plan_outreach


def scores(n: int = 4000, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    p_esc = rng.beta(1, 20, n)
    frame = pd.DataFrame(
        {
            "p_repeat_contact": rng.beta(1, 6, n),
            "p_escalation": p_esc,
            "action": np.where(
                p_esc > 0.15,
                "crisis_team_handoff",
                np.where(p_esc > 0.08, "supervisor_escalation", "bill_explanation_call"),
            ),
        },
        index=pd.Index([f"C{i:05d}" for i in range(n)], name="customer_id"),
    )
    frame["reasons"] = [[{"feature": "use_dropped_call_rate"}]] * n
    return frame


CAPACITY = TeamCapacity(agents=150, supervisors=30, crisis_team=8)


def test_each_capacity_is_filled_exactly_and_holdout_never_contacted():
    config = OutreachConfig(capacity=CAPACITY, min_net_value=None, lend_unused_capacity=False)
    data = scores()
    plan = plan_outreach(data, config)
    contacted = plan.loc[plan["group"] == "outreach"]
    assert contacted.groupby("team").size().to_dict() == {
        "agents": 150,
        "supervisors": 30,
        "crisis_team": 8,
    }
    held = holdout_mask(data.index, config.holdout_share, config.holdout_seed)
    assert not contacted.index.isin(data.index[held]).any()
    assert plan.index.is_unique
    control = plan.loc[plan["group"] == "holdout"]
    assert len(control) > 0 and control.index.isin(data.index[held]).all()


def test_holdout_is_seeded_reproducible_and_independent_of_the_batch():
    ids = pd.Index([f"C{i:05d}" for i in range(20_000)])
    first = holdout_mask(ids, 0.1, seed=3)
    assert np.array_equal(first, holdout_mask(ids, 0.1, seed=3))
    assert np.array_equal(first[:500], holdout_mask(ids[:500], 0.1, seed=3))
    assert not np.array_equal(first, holdout_mask(ids, 0.1, seed=4))
    assert first.mean() == pytest.approx(0.1, abs=0.01)


def test_holdout_control_is_drawn_from_the_same_ranks_as_the_contacted():
    config = OutreachConfig(capacity=CAPACITY, min_net_value=None, holdout_share=0.3)
    plan = plan_outreach(scores(), config)
    agents = plan.loc[plan["team"] == "agents"]
    cutoff = agents.loc[agents["group"] == "outreach", "net_value"].min()
    assert (agents.loc[agents["group"] == "holdout", "net_value"] >= cutoff).all()
    ratio = (agents["group"] == "holdout").sum() / (agents["group"] == "outreach").sum()
    assert ratio == pytest.approx(0.3 / 0.7, rel=0.35)


def test_contacted_customers_have_the_highest_value_within_their_team():
    config = OutreachConfig(capacity=CAPACITY, min_net_value=None, holdout_share=0.0)
    data = scores()
    plan = plan_outreach(data, config)
    agents = plan.loc[plan["team"] == "agents"]
    assert agents["rank"].tolist() == list(range(1, len(agents) + 1))
    assert agents["net_value"].is_monotonic_decreasing


def test_overflow_falls_back_to_the_next_team_and_unused_capacity_is_lent():
    data = scores()
    data["action"] = "crisis_team_handoff"
    tight = TeamCapacity(agents=20, supervisors=5, crisis_team=3)
    config = OutreachConfig(capacity=tight, min_net_value=None, holdout_share=0.0)
    plan = plan_outreach(data, config)
    assert plan.groupby("team").size().to_dict() == {
        "agents": 20,
        "supervisors": 5,
        "crisis_team": 3,
    }
    assert set(plan.loc[plan["team"] == "agents", "action"]) == {"network_ticket_follow_up"}

    data["action"] = "care_call"
    plan = plan_outreach(data, config)
    assert len(plan) == tight.total
    assert set(plan["action"]) == {"care_call"}
    assert plan.groupby("team").size().to_dict() == {
        "agents": 20,
        "supervisors": 5,
        "crisis_team": 3,
    }
    strict = plan_outreach(data, config.model_copy(update={"lend_unused_capacity": False}))
    assert len(strict) == tight.agents


def test_min_net_value_keeps_unprofitable_customers_off_the_list():
    data = scores()
    data["p_repeat_contact"] = 0.01
    data["p_escalation"] = 0.001
    assert plan_outreach(data, OutreachConfig(capacity=CAPACITY)).empty
    assert len(plan_outreach(data, OutreachConfig(capacity=CAPACITY, min_net_value=None))) > 0


def test_missing_probabilities_are_not_eligible_and_unknown_actions_fail():
    data = scores(200)
    data.loc[data.index[:100], "p_repeat_contact"] = np.nan
    plan = plan_outreach(data, OutreachConfig(min_net_value=None, holdout_share=0))
    assert not plan.index.isin(data.index[:100]).any()
    data["action"] = "send_flowers"
    with pytest.raises(ValueError, match="send_flowers"):
        plan_outreach(data, OutreachConfig())


def test_config_rejects_unknown_fields_and_incomplete_actions():
    with pytest.raises(ValueError):
        OutreachConfig(capacity={"agents": 1, "interns": 3})
    with pytest.raises(ValueError, match="missing"):
        OutreachConfig(actions={})
