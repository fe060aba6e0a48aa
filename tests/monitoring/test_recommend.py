"""The retrain rule: realized PR AUC below a share of validation, or top-weighted drift."""

from __future__ import annotations

import pandas as pd

from monitoring.config import RecommendConfig
from monitoring.recommend import RETRAIN, recommend


def _drift(psi_top: float, psi_other: float = 0.0) -> pd.DataFrame:
    return pd.DataFrame(
        {"feature": ["top", "other"], "psi": [psi_top, psi_other], "top_weighted": [True, False]}
    )


def test_no_retrain_when_quality_holds_and_nothing_drifts() -> None:
    advice = recommend(_drift(0.05, 3.0), {"escalation": 0.30}, {"escalation": 0.32})
    assert not advice.retrain and advice.reasons == ()


def test_realized_pr_auc_below_the_share_recommends_retraining() -> None:
    advice = recommend(
        _drift(0.0), {"escalation": 0.20}, {"escalation": 0.30}, RecommendConfig(pr_auc_share=0.8)
    )
    assert advice.retrain and advice.label == RETRAIN
    assert "escalation realized PR AUC 0.200 < 80% of its validation PR AUC 0.300" in advice.summary


def test_drift_of_a_top_weighted_feature_recommends_retraining() -> None:
    advice = recommend(_drift(0.4), {"escalation": None}, {"escalation": 0.3})
    assert advice.retrain
    assert "drifted beyond PSI 0.25: top" in advice.reasons[0]
    assert any("not known yet" in line for line in advice.checked)


def test_min_drifted_and_threshold_are_configurable() -> None:
    config = RecommendConfig(drift_psi=0.5, min_drifted=1)
    assert not recommend(_drift(0.4), {}, {}, config).retrain
    assert not recommend(_drift(0.4), {}, {}, RecommendConfig(min_drifted=2)).retrain
