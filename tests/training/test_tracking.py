"""MLflow settings (environment override, artifact root, existing store) and run lifecycle."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import mlflow
import pytest

from training.mlflow_log import tracked_run
from training.tracking import (
    DEFAULT_TRACKING_URI,
    END_REASON_TAG,
    FAILED,
    HOST_TAG,
    PID_TAG,
    PROCESS_START_TAG,
    MissingStoreError,
    TrackingSettings,
    TrainingInterrupted,
    fail_runs_on_signal,
    git_sha,
    process_tags,
    reap_orphaned_runs,
)


def test_default_is_sqlite_under_mlruns_and_env_overrides(monkeypatch):
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    settings = TrackingSettings.from_env()
    assert settings.tracking_uri == DEFAULT_TRACKING_URI == "sqlite:///mlruns/mlflow.db"
    assert settings.resolved_artifact_root() == Path("mlruns").resolve()
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "http://mlflow.internal:5000")
    remote = TrackingSettings.from_env()
    assert remote.tracking_uri == "http://mlflow.internal:5000"
    assert remote.sqlite_path() is None and remote.resolved_artifact_root() is None


def test_experiments_keep_artifacts_beside_the_database(tracking, tmp_path):
    experiment_id = tracking.ensure_experiment("procare-test")
    assert tracking.ensure_experiment("procare-test") == experiment_id
    location = tracking.client().get_experiment(experiment_id).artifact_location
    assert location == (tmp_path / "procare-test").as_uri()


def test_git_sha_is_a_string_even_outside_git(tmp_path):
    assert git_sha(tmp_path) == "unknown"
    assert isinstance(git_sha(), str)


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_reaping_fails_only_runs_whose_process_on_this_host_is_gone(tracking):
    client = tracking.client()
    ours = tracking.ensure_experiment("procare-escalation")
    theirs = tracking.ensure_experiment("other-team")
    alive = process_tags()
    dead = {**alive, PID_TAG: str(_dead_pid())}
    reused = {**alive, PROCESS_START_TAG: "1000.000"}
    remote = {**dead, HOST_TAG: "another-host"}
    runs = {
        name: client.create_run(experiment, tags=tags).info.run_id
        for name, experiment, tags in [
            ("dead", ours, dead),
            ("reused", ours, reused),
            ("alive", ours, alive),
            ("remote", ours, remote),
            ("untagged", ours, {}),
            ("other_experiment", theirs, dead),
        ]
    }
    reaped = reap_orphaned_runs(tracking, "procare")
    assert sorted(reaped) == sorted([runs["dead"], runs["reused"]])
    status = {name: client.get_run(run_id).info.status for name, run_id in runs.items()}
    assert status == {
        "dead": "FAILED",
        "reused": "FAILED",
        "alive": "RUNNING",
        "remote": "RUNNING",
        "untagged": "RUNNING",
        "other_experiment": "RUNNING",
    }
    assert client.get_run(runs["dead"]).data.tags[END_REASON_TAG] == "owner process gone"
    assert reap_orphaned_runs(tracking, "procare") == []


def test_sigterm_ends_the_open_runs_failed_and_restores_the_handler(tracking):
    experiment = tracking.ensure_experiment("procare-test")
    before = signal.getsignal(signal.SIGTERM)
    with (
        pytest.raises(TrainingInterrupted, match="SIGTERM"),
        fail_runs_on_signal(),
        tracked_run("parent", experiment) as parent,
        tracked_run("child", experiment, nested=True),
    ):
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)
    assert signal.getsignal(signal.SIGTERM) is before
    assert mlflow.active_run() is None
    client = tracking.client()
    runs = client.search_runs([experiment])
    assert len(runs) == 2 and {run.info.status for run in runs} == {FAILED}
    assert {run.data.tags[END_REASON_TAG] for run in runs} == {"interrupted by SIGTERM"}
    assert client.get_run(parent.info.run_id).data.tags[PID_TAG] == str(os.getpid())


def test_an_error_outside_any_with_block_still_ends_the_active_run_failed(tracking):
    experiment = tracking.ensure_experiment("procare-test")
    with pytest.raises(KeyError), fail_runs_on_signal():
        run = mlflow.start_run(experiment_id=experiment)
        raise KeyError("x")
    assert mlflow.active_run() is None
    ended = tracking.client().get_run(run.info.run_id)
    assert ended.info.status == FAILED and ended.data.tags[END_REASON_TAG] == "error: KeyError"


@pytest.mark.parametrize(
    ("uri", "exists"),
    [
        ("sqlite:///{tmp}/mlflow.db", True),
        ("sqlite:///{tmp}/mlrun/mlflow.db", False),
        ("file://{tmp}", True),
        ("{tmp}/nope", False),
        ("http://mlflow.internal:5000", True),
    ],
)
def test_a_store_that_does_not_exist_is_refused_naming_the_uri(tmp_path, uri, exists):
    (tmp_path / "mlflow.db").write_bytes(b"")
    settings = TrackingSettings(tracking_uri=uri.format(tmp=tmp_path))
    assert settings.store_exists() is exists
    if exists:
        settings.require_store()
    else:
        with pytest.raises(MissingStoreError, match=settings.tracking_uri):
            settings.require_store()
        assert not (tmp_path / "mlrun").exists()
