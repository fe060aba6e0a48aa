"""Shared synthetic worlds (generated once per test session)."""

from __future__ import annotations

import pytest

from pipelines.synthetic.config import WorldConfig
from pipelines.synthetic.world import World, generate_world
from tests.pipelines.synthetic.realized import realized_labels


@pytest.fixture(scope="session")
def world() -> World:
    """A 12-month world big enough for calibration and mechanism checks."""
    return generate_world(WorldConfig(customers=12_000, months=12, seed=11))


@pytest.fixture(scope="session")
def realized(world: World):
    """The oracle of ``world`` joined with its realized labels."""
    return realized_labels(world)
