"""Session-wide fixtures: one small world built end to end, shared by integration tests."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.demo_world import DemoWorld, build_demo_world

if TYPE_CHECKING:
    from tests.serving.api.world import ServedWorld


@pytest.fixture(scope="session")
def demo_world(tmp_path_factory) -> DemoWorld:
    """1,500 customers x 12 months, ingested, with three month-end snapshots."""
    return build_demo_world(tmp_path_factory.mktemp("demo_world"))


@pytest.fixture(scope="session")
def served_world(demo_world, tmp_path_factory) -> ServedWorld:
    """The session's demo world with champions trained and the latest snapshot scored."""
    from tests.serving.api.world import train_and_score

    return train_and_score(demo_world, tmp_path_factory.mktemp("served"))


@pytest.fixture(scope="session")
def dask_client(tmp_path_factory):
    """A 2-worker Dask ``LocalCluster`` for the session (small workers), closed at the end.

    Tests that use it carry ``pytest.mark.xdist_group("dask")`` so that one test process
    starts it (``make test`` runs ``--dist loadgroup``).
    """
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            memory_limit="1.5GB",
            processes=True,
            dashboard_address=None,
            local_directory=str(tmp_path_factory.mktemp("dask")),
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client
