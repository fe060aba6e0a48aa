"""Closed-loop simulation in small synthetic worlds."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from features.assemble import resolve_tables
from features.labels import LabelConfig
from outreach.lists import ListConfig
from outreach.outcomes import window_outcomes
from outreach.sim_world import check_window, plain_strings, seed_worlds
from outreach.simulate import SimulationConfig, effect_table, simulate
from pipelines.synthetic import TreatmentConfig, WorldConfig, generate_world

WORLD = WorldConfig(customers=1200, start=date(2026, 3, 1))
AS_OF = date(2026, 5, 31)


def run(effect: float) -> pd.DataFrame:
    config = SimulationConfig(
        effect=effect,
        seeds=(1, 2, 3),
        capacities=(0.02, 0.05, 0.15),
        policies=("oracle", "random"),
        as_of=AS_OF,
        world=WORLD,
        lists=ListConfig(),
    )
    return simulate(config).summary


@pytest.fixture(scope="module")
def no_effect() -> pd.DataFrame:
    return run(0.0)


@pytest.fixture(scope="module")
def strong_effect() -> pd.DataFrame:
    return run(0.5)


def rows(summary: pd.DataFrame, policy: str, metric: str) -> pd.DataFrame:
    part = summary.loc[(summary["policy"] == policy) & (summary["metric"] == metric)]
    return part.set_index("capacity")


def test_zero_effect_changes_nothing(no_effect):
    for metric in ("repeat_contact", "reopened_tickets"):
        part = rows(no_effect, "oracle", metric)
        assert np.allclose(part["change_vs_no_outreach"], 0)
        assert np.allclose(part["base_change"], 0)
    holdout = rows(no_effect, "oracle", "repeat_contact").loc[0.15]
    assert holdout["change_vs_holdout_low"] <= 0 <= holdout["change_vs_holdout_high"]


def test_positive_effect_reduces_more_with_more_capacity(strong_effect):
    for metric in ("repeat_contact", "reopened_tickets"):
        part = rows(strong_effect, "oracle", metric)
        assert (part["change_vs_no_outreach"] < -0.1).all()
        base = part["base_change"].to_numpy()
        assert (base < 0).all() and (np.diff(base) < 0).all()
    oracle = rows(strong_effect, "oracle", "repeat_contact")["base_change"]
    random = rows(strong_effect, "random", "repeat_contact")["base_change"]
    assert (oracle < random).all()


def test_effect_table_states_the_assumed_effect(strong_effect):
    table = effect_table(strong_effect)
    assert len(table) == 2 * 3
    assert set(table["assumed_effect"]) == {"50%"}
    assert table["repeat_base"].str.contains(r"\[").all()


def test_one_pair_of_worlds_equals_a_world_treated_for_one_list():
    world = WorldConfig(customers=500, months=3, seed=5)
    as_of = date(2025, 12, 31)
    worlds = seed_worlds(world, as_of, 0.5, LabelConfig(), need_documents=False)
    chosen = worlds.frame.index[::3]
    treatment = TreatmentConfig(
        customer_ids=list(chosen), start=as_of + timedelta(days=1), effect=0.5
    )
    regenerated = generate_world(world.model_copy(update={"treatment": treatment}))
    tables = resolve_tables({k: plain_strings(v) for k, v in regenerated.tables().items()})
    realized = window_outcomes(
        tables.contacts, tables.social_posts, worlds.frame.index, as_of, LabelConfig()
    )
    composed = worlds.untreated.copy()
    composed.loc[chosen] = worlds.treated.loc[chosen]
    pd.testing.assert_frame_equal(realized, composed)
    assert (worlds.treated["inbound"] < worlds.untreated["inbound"]).any()


def test_window_must_fit_in_the_month_after_the_snapshot():
    with pytest.raises(ValueError, match="month end"):
        check_window(date(2026, 5, 30), 30)
    with pytest.raises(ValueError, match="runs past"):
        check_window(date(2026, 1, 31), 30)
    check_window(date(2026, 7, 31), 30)
