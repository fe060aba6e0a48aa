"""Outreach requests mapped onto the outreach policy; plans recorded for later evaluation."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from serving.api.lookup import ScoreTable
from serving.api.outreach import outreach_config, plan_response
from serving.api.schemas import OutreachRequest


def table(n: int = 400, seed: int = 0) -> ScoreTable:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "p_repeat_contact": rng.uniform(0, 1, n),
            "p_escalation": rng.uniform(0, 0.5, n),
            "risk_tier": "high",
            "action": "bill_explanation_call",
            "action_zh": "主动致电解释账单",
            "action_en": "bill explanation call",
            "team": "agents",
            "reasons": [[] for _ in range(n)],
        },
        index=pd.Index([f"C{i:05d}" for i in range(n)], name="customer_id"),
    )
    return ScoreTable(
        date(2026, 9, 30), frame, {"escalation": {"name": "m", "version": "1", "alias": "champion"}}
    )


def test_request_fields_map_onto_the_policy_config():
    config = outreach_config(
        OutreachRequest(
            capacity=50,
            target="escalation",
            holdout_fraction=0.2,
            holdout_seed=3,
            fill_capacity=True,
        )
    )
    assert config.capacity.total == 50
    assert config.holdout_share == 0.2 and config.holdout_seed == 3
    assert config.repeat_value == 0 and config.escalation_value > 0
    assert config.min_net_value is None


def test_the_plan_fills_capacity_and_returns_the_control_group_apart():
    plan = plan_response(
        table(), OutreachRequest(capacity=30, holdout_fraction=0.25, fill_capacity=True)
    )
    assert len(plan["outreach"]) == 30
    assert {c["group"] for c in plan["outreach"]} == {"outreach"}
    assert plan["holdout"] and {c["contact"] for c in plan["holdout"]} == {False}
    assert plan["as_of"] == date(2026, 9, 30)


def test_plans_are_recorded_when_a_folder_is_set(tmp_path):
    plan = plan_response(table(), OutreachRequest(capacity=10, fill_capacity=True), tmp_path)
    files = list(tmp_path.glob("plan_2026-09-30_*.parquet"))
    assert len(files) == 1
    recorded = pd.read_parquet(files[0])
    assert set(recorded["plan_id"]) == {plan["plan_id"]}
    assert set(recorded["group"]) <= {"outreach", "holdout"}
    assert (recorded["group"] == "outreach").sum() == len(plan["outreach"])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ('{"capacity": "10"}', "capacity"),
        ('{"capacity": true}', "capacity"),
        ('{"capacity": 10.0}', "capacity"),
        ('{"capacity": 10, "holdout_fraction": "0.1"}', "holdout_fraction"),
        ('{"capacity": 10, "holdout_seed": "7"}', "holdout_seed"),
        ('{"capacity": 10, "fill_capacity": "true"}', "fill_capacity"),
        ('{"capacity": 10, "fill_capacity": 1}', "fill_capacity"),
    ],
)
def test_numbers_and_flags_must_have_their_json_type(body, field):
    with pytest.raises(ValidationError) as raised:
        OutreachRequest.model_validate_json(body)
    assert [error["loc"][0] for error in raised.value.errors()] == [field]


def test_a_json_integer_is_a_fraction_and_a_date_string_a_date():
    request = OutreachRequest.model_validate_json(
        '{"capacity": 10, "holdout_fraction": 0, "as_of": "2026-09-30"}'
    )
    assert (request.capacity, request.holdout_fraction) == (10, 0.0)
    assert request.as_of == date(2026, 9, 30)
