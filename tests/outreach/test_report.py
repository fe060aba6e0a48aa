"""The HTML report renders every section, escapes text and states the assumed effect."""

from __future__ import annotations

import base64

import pandas as pd

from outreach.report import ReportContent, figure_png, render_report


def plan() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "group": ["outreach", "outreach", "holdout"],
            "team": ["crisis_team", "agents", "agents"],
            "rank": [1, 1, 1],
            "action": ["crisis_team_handoff", "care_call", "care_call"],
            "action_zh": ["转危机处理小组", "主动关怀回访", "主动关怀回访"],
            "action_en": ["crisis", "care call", "care call"],
            "p_repeat_contact": [0.9, 0.5, 0.5],
            "p_escalation": [0.8, 0.1, 0.1],
            "net_value": [100.0, 5.0, 5.0],
            "holdout_seed": 7,
            "reasons": [[{"feature": "x", "zh": "<script>近30天联系 5 次"}], [], []],
        },
        index=pd.Index(["C1", "C2", "C3"], name="customer_id"),
    )


def test_report_has_lists_backtest_effect_and_versions():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    png = figure_png(plt.figure())
    backtest = pd.DataFrame(
        {"capacity": [0.01], "policy": ["model"], "contacted": [10], "repeat_recall": [0.25]}
    )
    effects = pd.DataFrame({"policy": ["model"], "repeat_base": ["-9.0% [-10.0%, -8.0%]"]})
    page = render_report(
        ReportContent(
            as_of="2026-09-30",
            plan=plan(),
            backtest=backtest,
            backtest_as_of="2026-09-30",
            effects=effects,
            assumed_effect=0.3,
            model_versions={"escalation": {"name": "procare-escalation", "version": "3"}},
            figures={"gain chart": png},
        )
    )
    assert "危机处理小组 crisis team: 1 customers" in page
    assert "客服坐席 agents: 1 customers" in page
    assert "1 customers who would have been contacted are held out (seed 7)" in page
    assert "25.0%" in page and "-9.0% [-10.0%, -8.0%]" in page
    assert "<b>assumption</b>" in page and "30% fewer inbound contacts" in page
    assert "procare-escalation" in page
    assert "&lt;script&gt;" in page and "<script>" not in page
    encoded = base64.b64encode(png).decode("ascii")
    assert f"data:image/png;base64,{encoded}" in page


def test_report_without_backtest_or_simulation_says_how_to_get_them():
    page = render_report(ReportContent(as_of="2026-09-30", plan=plan().iloc[0:0]))
    assert "procare outreach backtest" in page
    assert "procare outreach simulate" in page
    assert "No customer is eligible" in page
