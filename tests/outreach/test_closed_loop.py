"""The closed loop on small worlds: the measured effect recovers the world's true effect."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pandas as pd
import pytest

from outreach.closed_loop import (
    TRUTH_TABLE,
    ClosedLoopConfig,
    ClosedLoopResult,
    coverage_count,
    planned_world,
    run_closed_loop,
    seed_layout,
)
from pipelines.synthetic import WorldConfig
from tests.training.conftest import temporary_tracking
from training.tracking import TrackingSettings

PLAN_AS_OF = date(2025, 12, 31)
SEEDS = (1, 2, 3, 4, 5, 6)


@pytest.fixture(scope="module")
def tracking(tmp_path_factory) -> Iterator[TrackingSettings]:
    with temporary_tracking(tmp_path_factory.mktemp("mlflow")) as settings:
        yield settings


@pytest.fixture(scope="module")
def loops(tmp_path_factory, tracking) -> list[ClosedLoopResult]:
    """One closed loop per seed: 4,000 customers, 400 contacted, a 30% holdout."""
    root = tmp_path_factory.mktemp("closed_loop")
    results = []
    for seed in SEEDS:
        layout = seed_layout(root, seed)
        world = planned_world(WorldConfig(customers=4000, seed=seed), PLAN_AS_OF, layout, 400)
        config = ClosedLoopConfig(world=world, plan_as_of=PLAN_AS_OF, layout=layout)
        results.append(run_closed_loop(config, tracking))
    return results


def test_measured_interval_holds_the_true_effect_in_most_seeds(loops) -> None:
    covered, total = coverage_count(loops)
    assert total == len(SEEDS)
    assert covered >= total - 1
    measured = [r.measured.loc["repeat_contact", "difference"] for r in loops]
    true = [r.true_effect["repeat_contact"] for r in loops]
    assert sum(measured) / total == pytest.approx(sum(true) / total, abs=0.04)
    assert all(t < 0 for t in true)


def test_true_effect_differs_by_customer_and_is_kept_with_the_world(loops, tmp_path_factory):
    result = loops[0]
    effects = result.truth["effect_repeat_contact"]
    assert (effects <= 1e-12).all()
    assert effects.std() > 0.05
    assert len(result.truth) == int(result.measured.loc["repeat_contact", "n_contacted"])
    layout = seed_layout(tmp_path_factory.getbasetemp() / "closed_loop0", SEEDS[0])
    written = pd.read_parquet(layout.world.latent(TRUTH_TABLE))
    assert set(written["customer_id"]) == set(result.truth.index)
    summary = result.summary()
    assert list(summary.index) == ["repeat_contact", "escalation"]
    assert {"measured", "ci_low", "ci_high", "true", "covered"} <= set(summary.columns)


def test_a_plan_date_that_is_not_a_month_end_is_refused(tmp_path) -> None:
    config = ClosedLoopConfig(
        world=WorldConfig(customers=100),
        plan_as_of=date(2025, 12, 15),
        layout=seed_layout(tmp_path, 0),
    )
    with pytest.raises(ValueError, match="month end"):
        run_closed_loop(config)
