"""Actions from scores and reasons, and the social-exposure flag."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from serving.scoring.actions import ActionConfig, recommend_actions, social_exposure
from training.feature_schema import FrameValues


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id_followers": [5000.0, np.nan, 10.0, np.inf, 0.0, 999.0],
            "id_brand_posts_30d": pd.array([0, None, 2, 0, 0, 0], dtype="Int64"),
            "txt_target_social_90d": [0, 0, 0, 0, 1, 0],
            "txt_target_media_90d": [False, False, False, False, False, True],
            "other": ["a", "b", "c", "d", "e", "f"],
        },
        index=pd.Index([f"C{i}" for i in range(6)], name="customer_id"),
    )


def test_social_exposure_flags_audience_and_threats():
    exposed = social_exposure(_frame())
    np.testing.assert_array_equal(exposed, [True, False, True, True, True, True])
    assert not social_exposure(_frame().drop(columns=["txt_target_media_90d"]))[5]


@pytest.mark.parametrize("followers", [0.0, 1000.0, float("inf")])
def test_social_exposure_from_converted_rows_equals_the_frame_path(followers):
    frame = _frame()
    config = ActionConfig(crisis_followers=followers)
    for rows in ([0], [1], [2, 3], [4, 5], [0, 1, 2, 3, 4, 5]):
        part = frame.iloc[rows]
        np.testing.assert_array_equal(
            social_exposure(part, config, FrameValues.of(part)), social_exposure(part, config)
        )
    partial = frame[["id_followers", "other"]].iloc[[1]]
    np.testing.assert_array_equal(
        social_exposure(partial, config, FrameValues.of(partial)),
        social_exposure(partial, config),
    )


def test_crisis_team_needs_exposure_and_escalation_risk():
    actions = recommend_actions(
        np.array([0.5, 0.5, 0.2, 0.01]),
        [[], [], ["bill_shock"], ["ct_open_tickets"]],
        np.array([True, False, False, True]),
    )
    assert actions == [
        "crisis_team_handoff",
        "supervisor_escalation",
        "bill_explanation_call",
        "ticket_follow_up",
    ]
