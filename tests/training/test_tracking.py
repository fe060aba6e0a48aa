"""MLflow settings: environment override, artifact root beside the SQLite store."""

from __future__ import annotations

from pathlib import Path

from training.tracking import DEFAULT_TRACKING_URI, TrackingSettings, git_sha


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
