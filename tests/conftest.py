"""Session-wide fixtures: one small world built end to end, shared by integration tests."""

from __future__ import annotations

import pytest

from tests.demo_world import DemoWorld, build_demo_world


@pytest.fixture(scope="session")
def demo_world(tmp_path_factory) -> DemoWorld:
    """1,500 customers x 12 months, ingested, with three month-end snapshots."""
    return build_demo_world(tmp_path_factory.mktemp("demo_world"))
