"""The effect estimator: interval coverage, not-enough-data cells, ITT against per-protocol."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from outreach.effect import (
    EFFECT_COLUMNS,
    ITT,
    NOT_ENOUGH,
    OK,
    PER_PROTOCOL,
    EffectConfig,
    difference_interval,
    effect_metrics,
    headline,
    measure_effect,
    number_needed,
    risk_deciles,
)

TEAMS = np.array(["agents", "supervisors", "crisis_team"])


def simulated_plan(
    rng: np.random.Generator,
    contacted: int = 900,
    holdout: int = 300,
    effect: float = 0.3,
    reach: float = 1.0,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series, float]:
    """A plan with heterogeneous risks, outcomes drawn with a known relative effect on the
    reached contacted customers, and the true mean difference among the contacted."""
    n = contacted + holdout
    ids = pd.Index([f"C{i:06d}" for i in range(n)], name="customer_id")
    risk = rng.beta(2, 5, n)
    group = np.where(np.arange(n) < contacted, "outreach", "holdout")
    team = TEAMS[rng.choice(3, n, p=[0.8, 0.15, 0.05])]
    reached = (group == "outreach") & (rng.random(n) < reach)
    p = np.where(reached, risk * (1 - effect), risk)
    repeat = rng.random(n) < p
    plan = pd.DataFrame(
        {"group": group, "team": team, "p_repeat_contact": risk + rng.normal(0, 0.05, n)},
        index=ids,
    )
    outcomes = pd.DataFrame(
        {
            "repeat_contact": repeat,
            "escalation": rng.random(n) < 0.3 * p,
            "reopened_tickets": rng.poisson(0.2 * p),
        },
        index=ids,
    )
    truth = float(np.mean(p[:contacted] - risk[:contacted]))
    return plan, outcomes, pd.Series(reached[:contacted], index=ids[:contacted]), truth


def test_newcombe_interval_covers_the_true_difference_near_its_nominal_rate() -> None:
    rng = np.random.default_rng(2026)
    trials, n1, n0 = 2000, 200, 60
    p1, p0 = 0.18, 0.30
    e1, e0 = rng.binomial(n1, p1, trials), rng.binomial(n0, p0, trials)
    _, low, high = difference_interval(e1, np.full(trials, n1), e0, np.full(trials, n0))
    coverage = np.mean((low <= p1 - p0) & (p1 - p0 <= high))
    assert 0.93 <= coverage <= 0.975


def test_interval_stays_defined_when_a_group_has_no_events() -> None:
    d, low, high = difference_interval(np.array([0]), np.array([40]), np.array([5]), np.array([40]))
    assert d[0] == pytest.approx(-0.125)
    assert -1 <= low[0] < d[0] < high[0] <= 1


def test_measured_effect_covers_the_true_effect_among_the_contacted_in_about_95_percent() -> None:
    """200 simulated plans with heterogeneous risks and a known 30% relative effect."""
    rng = np.random.default_rng(7)
    covered, estimates, truths = 0, [], []
    for _ in range(200):
        plan, outcomes, _, truth = simulated_plan(rng)
        row = headline(measure_effect(plan, outcomes)).loc["repeat_contact"]
        covered += int(row["ci_low"] <= truth <= row["ci_high"])
        estimates.append(row["difference"])
        truths.append(truth)
    assert 0.92 <= covered / 200 <= 0.99
    assert np.mean(estimates) == pytest.approx(np.mean(truths), abs=0.01)


def test_table_has_overall_team_and_decile_rows_for_every_outcome() -> None:
    plan, outcomes, _, _ = simulated_plan(np.random.default_rng(1), contacted=3000, holdout=1000)
    effect = measure_effect(plan, outcomes)
    assert list(effect.columns) == list(EFFECT_COLUMNS)
    assert set(effect["analysis"]) == {ITT}
    overall = effect.loc[effect["segment"] == "overall"]
    assert list(overall["outcome"]) == ["repeat_contact", "reopened_ticket", "escalation"]
    assert (overall["n_contacted"] == 3000).all() and (overall["n_holdout"] == 1000).all()
    deciles = effect.loc[(effect["segment"] == "risk_decile") & (effect["outcome"] == "escalation")]
    assert list(deciles["value"]) == [str(d) for d in range(1, 11)]
    assert deciles["n_contacted"].sum() + deciles["n_holdout"].sum() == 4000
    teams = effect.loc[(effect["segment"] == "team") & (effect["outcome"] == "repeat_contact")]
    assert set(teams["value"]) == set(TEAMS)
    repeat = headline(effect).loc["repeat_contact"]
    assert repeat["difference"] < 0 and repeat["ci_high"] < 0
    assert repeat["nnt"] == pytest.approx(-1 / repeat["difference"])
    assert repeat["nnt_low"] < repeat["nnt"] < repeat["nnt_high"] < np.inf
    assert np.isnan(headline(effect).loc["escalation", "nnt"])


def test_small_holdout_cells_say_not_enough_data_instead_of_an_estimate() -> None:
    plan, outcomes, _, _ = simulated_plan(np.random.default_rng(3), contacted=400, holdout=20)
    effect = measure_effect(plan, outcomes, config=EffectConfig(min_group=30))
    overall = headline(effect)
    assert overall["status"].str.startswith(NOT_ENOUGH).all()
    assert "holdout 20" in overall.loc["repeat_contact", "status"]
    assert overall[["difference", "ci_low", "ci_high", "nnt"]].isna().all().all()
    assert (overall["n_holdout"] == 20).all()
    crisis = effect.loc[(effect["segment"] == "team") & (effect["value"] == "crisis_team")]
    assert crisis["status"].str.startswith(NOT_ENOUGH).all()


def test_enough_data_everywhere_gives_ok_status() -> None:
    plan, outcomes, _, _ = simulated_plan(np.random.default_rng(4))
    overall = headline(measure_effect(plan, outcomes, config=EffectConfig(min_group=10)))
    assert (overall["status"] == OK).all()


def test_per_protocol_counts_only_reached_customers_and_itt_is_diluted() -> None:
    rng = np.random.default_rng(5)
    plan, outcomes, reached, _ = simulated_plan(rng, 6000, 3000, effect=0.4, reach=0.5)
    effect = measure_effect(plan, outcomes, reached=reached)
    itt = headline(effect, ITT).loc["repeat_contact"]
    pp = headline(effect, PER_PROTOCOL).loc["repeat_contact"]
    assert itt["n_contacted"] == 6000
    assert pp["n_contacted"] == int(reached.sum())
    assert pp["n_holdout"] == itt["n_holdout"] == 3000
    assert pp["difference"] < itt["difference"] < 0
    assert itt["difference"] == pytest.approx(pp["difference"] / 2, abs=0.02)
    metrics = effect_metrics(effect)
    assert metrics["pp_repeat_contact_difference"] == pytest.approx(pp["difference"])
    assert metrics["itt_repeat_contact_n_holdout"] == 3000


def test_contacted_customers_missing_from_the_reached_file_count_as_not_reached() -> None:
    plan, outcomes, reached, _ = simulated_plan(np.random.default_rng(6), 500, 200)
    partial = reached.iloc[:100]
    effect = measure_effect(plan, outcomes, reached=partial)
    pp = headline(effect, PER_PROTOCOL).loc["repeat_contact"]
    assert pp["n_contacted"] == int(partial.sum())


def test_number_needed_is_unbounded_where_the_interval_reaches_no_benefit() -> None:
    nnt, low, high = number_needed(
        np.array([-0.05, -0.05, 0.02]), np.array([-0.1, -0.1, -0.01]), np.array([-0.02, 0.01, 0.05])
    )
    assert (
        nnt[0] == pytest.approx(20) and low[0] == pytest.approx(10) and high[0] == pytest.approx(50)
    )
    assert high[1] == np.inf and nnt[2] == np.inf


def test_risk_deciles_split_the_plan_evenly_with_the_riskiest_in_the_top_bin() -> None:
    p = pd.Series(np.linspace(0, 1, 100), index=[f"C{i}" for i in range(100)])
    deciles = risk_deciles(p)
    assert deciles.value_counts().eq(10).all()
    assert deciles.iloc[-1] == 10 and deciles.iloc[0] == 1
