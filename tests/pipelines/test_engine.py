"""The engine seam: local and Dask engines give the same results; failures name the bucket."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from pipelines.engine import BucketTaskError, DaskEngine, EngineConfig, LocalEngine, open_engine

pytestmark = pytest.mark.xdist_group("dask")


def _bucket_sum(bucket: int, table: pd.DataFrame, scale: float) -> pd.DataFrame:
    rows = table.loc[table["bucket"] == bucket]
    return rows.groupby("customer_id")["amount"].sum().mul(scale).to_frame()


def _fails_on_three(bucket: int) -> int:
    if bucket == 3:
        raise ValueError("bills.amount_due: not a number")
    return bucket


def _dies_once(bucket: int, marker_dir: str) -> int:
    """Kill this worker process the first time bucket 1 runs (a lost machine)."""
    marker = Path(marker_dir) / f"bucket-{bucket}"
    if bucket == 1 and not marker.exists():
        marker.touch()
        os._exit(1)
    return bucket * 10


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": [f"C{i % 7}" for i in range(60)],
            "bucket": [i % 4 for i in range(60)],
            "amount": [float(i) for i in range(60)],
        }
    )


def test_local_engine_runs_in_order_with_broadcast_inputs(table) -> None:
    results = list(LocalEngine().map(_bucket_sum, [2, 0, 1], table=table, scale=2.0))
    assert [bucket for bucket, _ in results] == [2, 0, 1]
    expected = table.loc[table["bucket"] == 2].groupby("customer_id")["amount"].sum() * 2.0
    pd.testing.assert_series_equal(results[0][1]["amount"], expected)


def test_dask_engine_gives_the_local_results(dask_client, table) -> None:
    local = dict(LocalEngine().map(_bucket_sum, range(4), table=table, scale=0.5))
    distributed = dict(DaskEngine(dask_client).map(_bucket_sum, range(4), table=table, scale=0.5))
    assert sorted(distributed) == [0, 1, 2, 3]
    for bucket, frame in local.items():
        pd.testing.assert_frame_equal(distributed[bucket], frame)


def _lookup(bucket: int, mapping: dict, values: list) -> tuple:
    return mapping.get(bucket), len(values)


@pytest.mark.parametrize("mapping", [{}, {1: "one", 2: "two"}])
def test_dict_and_list_inputs_reach_tasks_whole(dask_client, mapping) -> None:
    local = dict(LocalEngine().map(_lookup, range(3), mapping=mapping, values=[]))
    distributed = dict(DaskEngine(dask_client).map(_lookup, range(3), mapping=mapping, values=[]))
    assert distributed == local


def test_calls_sharing_a_broadcast_value_do_not_cancel_each_other(dask_client, table) -> None:
    runner = DaskEngine(dask_client, retries=0)
    for _ in range(5):
        with pytest.raises(BucketTaskError, match="bucket 3"):
            dict(runner.map(_fails_on_three_with, range(5), table=table))
        assert len(dict(runner.map(_bucket_sum, range(4), table=table, scale=1.0))) == 4


def _fails_on_three_with(bucket: int, table: pd.DataFrame) -> int:
    return _fails_on_three(bucket)


@pytest.mark.parametrize("engine", ["local", "dask"])
def test_a_failing_bucket_is_named(engine, dask_client) -> None:
    runner = LocalEngine() if engine == "local" else DaskEngine(dask_client, retries=0)
    with pytest.raises(BucketTaskError, match=r"bucket 3: ValueError: bills\.amount_due"):
        dict(runner.map(_fails_on_three, range(5)))


def test_a_lost_worker_is_retried(dask_client, tmp_path) -> None:
    results = dict(
        DaskEngine(dask_client, retries=2).map(_dies_once, range(4), marker_dir=str(tmp_path))
    )
    assert results == {0: 0, 1: 10, 2: 20, 3: 30}
    assert (tmp_path / "bucket-1").exists()


def test_open_engine_local_by_default() -> None:
    with open_engine() as engine:
        assert isinstance(engine, LocalEngine)
    with pytest.raises(ValueError):
        EngineConfig(kind="spark")
