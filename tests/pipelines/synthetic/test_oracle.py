"""The oracle: exact pieces, and calibration against labels realized in the generated tables."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from pipelines.synthetic.calendar import Calendar
from pipelines.synthetic.oracle import ShockTiming, TreatmentPlan, _at_most, _poisson_below

# |realized - predicted| per decile, in standard errors of a sum of independent Bernoullis.
# Labels of different customers are not independent (a regional outage hits many of them), so
# the bound is wider than the 3 sigma one would use for independent draws; a wrong oracle (say
# 10% too high on a decile with 10,000 rows) is off by far more.
MAX_Z = 4.5


def test_at_most_matches_brute_force():
    rng = np.random.default_rng(0)
    p = rng.uniform(0, 1, size=(50, 7))
    for k in (0, 1, 2, 3):
        expected = np.zeros(50)
        for bits in itertools.product([0, 1], repeat=7):
            on = np.array(bits, dtype=bool)
            if on.sum() <= k:
                expected += np.prod(np.where(on, p, 1 - p), axis=1)
        np.testing.assert_allclose(_at_most(p, k), expected, rtol=1e-12)


def test_poisson_below_matches_scipy():
    from scipy.stats import poisson

    mean = np.array([0.0, 0.1, 1.0, 3.5, 20.0])
    for r in (1, 2, 3):
        np.testing.assert_allclose(_poisson_below(mean, r), poisson.cdf(r - 1, mean), rtol=1e-12)


def test_february_window_carries_into_march():
    calendar = Calendar.build(pd.Timestamp("2026-01-01"), months=4, burn_in=0, horizon=30)
    carry, own = calendar.window_pieces(0)
    assert carry == (1, 0, 0)
    assert own == [(1, 0, 28), (2, 0, 2)]
    carry, own = calendar.window_pieces(1)
    assert carry == (2, 0, 2)
    assert own == [(2, 2, 30)]
    assert calendar.snapshot_months() == [0, 1, 2]


def test_treatment_share_of_a_burst():
    calendar = Calendar.build(pd.Timestamp("2026-03-01"), months=2, burn_in=0, horizon=30)
    plan = TreatmentPlan(np.ones(1, bool), np.datetime64("2026-03-15"), 0.5)
    levels = dict(ShockTiming(3, 21, 7).inbound_levels(calendar, 0, plan))
    assert levels[0.0] == pytest.approx(5 / 19)
    assert levels[1.0] == pytest.approx(8 / 19)
    assert levels[3 / 7] == pytest.approx(1 / 19)
    assert sum(levels.values()) == pytest.approx(1.0)


def _decile_z(frame: pd.DataFrame, prob: str, label: str) -> pd.DataFrame:
    decile = pd.qcut(frame[prob].rank(method="first"), 10, labels=False)
    grouped = frame.assign(decile=decile, var=frame[prob] * (1 - frame[prob])).groupby("decile")
    table = grouped.agg(
        predicted=(prob, "sum"), realized=(label, "sum"), var=("var", "sum"), n=(label, "size")
    )
    table["z"] = (table["realized"] - table["predicted"]) / np.sqrt(table["var"].clip(lower=1.0))
    return table


@pytest.mark.parametrize(
    ("prob", "label"), [("p_repeat_contact", "repeat_contact"), ("p_escalation", "escalation")]
)
def test_oracle_is_calibrated_per_decile(realized: pd.DataFrame, prob: str, label: str):
    table = _decile_z(realized, prob, label)
    assert table["z"].abs().max() < MAX_Z, table
    total_z = (realized[label].sum() - realized[prob].sum()) / np.sqrt(
        (realized[prob] * (1 - realized[prob])).sum()
    )
    assert abs(total_z) < MAX_Z
    top, bottom = table.iloc[-1], table.iloc[0]
    assert top["realized"] / top["n"] > 20 * max(bottom["realized"] / bottom["n"], 1e-4)


def test_oracle_separates_the_escalation_routes(realized: pd.DataFrame):
    for route in ("regulator", "flagged", "multichannel", "viral"):
        hits = realized.loc[realized[route]]
        assert len(hits) > 5, route
        assert hits["p_escalation"].mean() > 3 * realized["p_escalation"].mean(), route
