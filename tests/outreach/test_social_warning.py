"""Social-media early warning: reach, linking and routing of brand posts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from outreach.social_warning import (
    CARE,
    CRISIS,
    NONE,
    PostReachModel,
    SocialWarningConfig,
    fit_reach_model,
    score_posts,
)

ANGRY_THREAT = (
    "@星河移动 欠费0.1元就把我宽带和手机都停了！！太过分了，我要向工信部投诉，还要找媒体曝光！"
)
MILD = "@星河移动 这个月账单多扣了20块，客服说不清楚，麻烦给个解释"
UNRELATED = "今天天气不错，去公园走走"


def posts(rows: list[tuple[str, str, str, int, bool]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "post_id": [r[0] for r in rows],
            "account_id": [r[1] for r in rows],
            "ts": pd.Timestamp("2026-08-01 10:00"),
            "text": [r[2] for r in rows],
            "reposts": [r[3] for r in rows],
            "comments": 0,
            "mentions_brand": [r[4] for r in rows],
        }
    )


ACCOUNTS = pd.DataFrame({"account_id": ["BIG", "SMALL", "LINKED"], "followers": [300_000, 35, 60]})


def test_big_accounts_with_escalation_text_go_to_the_crisis_team():
    scored = score_posts(
        posts(
            [
                ("P1", "BIG", ANGRY_THREAT, 2, True),
                ("P2", "SMALL", MILD, 0, True),
                ("P3", "SMALL", UNRELATED, 0, False),
            ]
        ),
        ACCOUNTS,
    )
    assert scored.loc["P1", "route"] == CRISIS
    assert bool(scored.loc["P1", "escalation_intent"])
    assert scored.loc["P2", "route"] == CARE
    assert scored.loc["P3", "route"] == NONE
    assert scored.loc["P1", "p_viral"] > 0.5 > scored.loc["P2", "p_viral"]
    assert "粉丝" in scored.loc["P1", "reason_zh"]


def test_small_account_with_a_threat_stays_with_customer_care():
    scored = score_posts(posts([("P1", "SMALL", ANGRY_THREAT, 0, True)]), ACCOUNTS)
    assert scored.loc["P1", "route"] == CARE


def test_early_reposts_raise_the_projected_reach():
    frame = posts([("P1", "SMALL", MILD, 60, True)])
    settled = score_posts(frame, ACCOUNTS)
    early = score_posts(frame, ACCOUNTS, observed_at=pd.Timestamp("2026-08-01 10:30"))
    assert early.loc["P1", "p_viral"] > settled.loc["P1", "p_viral"]
    assert early.loc["P1", "route"] == CRISIS
    viral = score_posts(posts([("P1", "SMALL", MILD, 150, True)]), ACCOUNTS)
    assert viral.loc["P1", "p_viral"] == 1.0


def test_posts_link_to_customers_through_bound_accounts():
    owners = pd.DataFrame({"account_id": ["LINKED"], "customer_id": ["C001"]})
    influence = pd.Series({"C001": 20.0})
    frame = posts([("P1", "LINKED", MILD, 0, True), ("P2", "SMALL", MILD, 0, True)])
    scored = score_posts(frame, ACCOUNTS, owners=owners, influence=influence)
    assert scored.loc["P1", "customer_id"] == "C001"
    assert pd.isna(scored.loc["P2", "customer_id"])
    assert scored.loc["P1", "influence"] == 20.0 and scored.loc["P2", "influence"] == 1.0
    assert scored.loc["P1", "expected_reposts"] > scored.loc["P2", "expected_reposts"]


def test_reach_model_fit_recovers_the_follower_slope():
    rng = np.random.default_rng(0)
    n = 400
    followers = np.exp(rng.uniform(1, 12, n)).round()
    reposts = np.floor(np.expm1(0.2 + 0.7 * np.log1p(followers) + rng.normal(0, 0.5, n)))
    accounts = pd.DataFrame({"account_id": [f"A{i}" for i in range(n)], "followers": followers})
    history = posts([(f"P{i}", f"A{i}", MILD, int(max(r, 0)), True) for i, r in enumerate(reposts)])
    model = fit_reach_model(history, accounts, pd.Timestamp("2026-08-10"))
    assert model.coef_[0] == pytest.approx(0.7, abs=0.1)
    assert 0.3 < model.sd_ < 0.8
    assert isinstance(fit_reach_model(history.head(5), accounts, "2026-08-10"), PostReachModel)


def test_config_is_strict():
    with pytest.raises(ValueError):
        SocialWarningConfig(crisis_followers=-1)
    with pytest.raises(ValueError):
        SocialWarningConfig(unknown=1)
