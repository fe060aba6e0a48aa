"""`procare train`: exit codes and what it prints, on the demo world with MLflow in tmp_path."""

from __future__ import annotations

import signal

import pytest

from tests.commands.cli_runner import copy_world, help_text, invoke, one_line, train_config
from tests.training.conftest import temporary_tracking
from training.registry import list_models
from training.tracking import TrainingInterrupted


def test_help_names_the_key_options():
    text = help_text("train")
    for option in (
        "--target",
        "--train-as-of",
        "--valid-as-of",
        "--config",
        "--baselines",
        "--ablation",
        "--negatives",
        "--engine",
        "--scheduler",
        "--workers",
        "--workdir",
    ):
        assert option in text, option


def test_train_prints_the_tables_and_registers_a_champion(trained_by_cli):
    result, store = trained_by_cli.first, trained_by_cli.store
    assert result.exit_code == 0, result.output
    assert "validation (out of time, LightGBM calibrated)" in result.output
    assert "escalation: model families" in result.output
    assert "escalation: v1 → champion (no champion yet)" in result.output
    assert f"sqlite:///{store}/mlflow.db" in one_line(result)
    with temporary_tracking(store):
        models = {model.name: model for model in list_models("procare")}
    assert list(models) == ["procare-escalation"]
    assert models["procare-escalation"].champion_score > 0


def test_a_weaker_model_is_registered_as_challenger(trained_by_cli):
    result = trained_by_cli.second
    assert result.exit_code == 0, result.output
    assert "escalation: v2 → challenger (pr_auc" in result.output


def test_train_rejects_an_unknown_target_naming_the_option():
    result = invoke("train", "--target", "foo")
    assert result.exit_code == 2
    assert "--target" in result.output
    assert "repeat_contact" in result.output


@pytest.mark.parametrize("option", ["--valid-as-of", "--train-as-of"])
def test_train_rejects_a_bad_date_naming_the_option(demo_world, option):
    result = invoke("train", option, "2026-02-30", "--features-dir", str(demo_world.features_dir))
    assert result.exit_code == 2
    assert option in result.output
    assert "YYYY-MM-DD" in result.output


def test_train_rejects_a_config_file_with_an_unknown_key(tmp_path, demo_world):
    config = tmp_path / "train.yaml"
    config.write_text("n_trees: 10\n")
    result = invoke(
        "train", "--config", str(config), "--features-dir", str(demo_world.features_dir)
    )
    assert result.exit_code == 2
    assert "invalid training config" in result.output
    assert "n_trees" in result.output
    missing = invoke("train", "--config", str(tmp_path / "nope.yaml"))
    assert missing.exit_code == 2
    assert "--config" in missing.output


def test_train_without_snapshots_exits_one_naming_what_to_run(tmp_path):
    workdir = tmp_path / "empty"
    result = invoke("train", "--workdir", str(workdir))
    assert result.exit_code == 1
    assert str(workdir / "features") in one_line(result)
    assert "procare features build" in one_line(result)
    assert "Traceback" not in result.output


@pytest.mark.xdist_group("dask")
def test_train_on_a_dask_scheduler_prints_what_the_local_engine_prints(
    demo_world, dask_client, tmp_path
):
    workdir = copy_world(demo_world, tmp_path / "work")
    config = train_config(tmp_path / "train.yaml")
    common = ["train", "--target", "escalation", "--config", str(config), "--workdir", str(workdir)]
    local = invoke(*common, mlflow_dir=tmp_path / "local")
    remote = invoke(
        *common,
        *["--engine", "dask", "--scheduler", dask_client.scheduler.address],
        mlflow_dir=tmp_path / "dask",
    )
    assert local.exit_code == 0, local.output
    assert remote.exit_code == 0, remote.output

    def tables(output: str) -> list[str]:
        """The table rows and verdicts (Dask's own log lines may interleave)."""
        return [line.strip() for line in output.splitlines() if "│" in line or "→" in line]

    assert "escalation: model families" in local.output
    assert any("escalation: v1 → champion" in line for line in tables(local.output))
    assert tables(remote.output) == tables(local.output)


def test_train_rejects_a_negative_share_above_one():
    result = invoke("train", "--negatives", "1.5")
    assert result.exit_code == 2
    assert "--negatives" in result.output


def test_train_rejects_a_config_file_that_is_not_yaml_in_one_line(tmp_path):
    config = tmp_path / "train.yaml"
    config.write_text("lightgbm: [1, 2\n")
    result = invoke("train", "--config", str(config))
    assert result.exit_code == 2
    assert "Traceback" not in result.output and "Error:" not in result.output
    message = one_line(result)
    assert str(config) in message and "not valid YAML" in message and "line 2" in message


def test_train_killed_by_sigterm_exits_143_in_one_line(demo_world, monkeypatch):
    import training.train

    def interrupted(*args, **kwargs):
        raise TrainingInterrupted(signal.SIGTERM)

    monkeypatch.setattr(training.train, "train", interrupted)
    result = invoke("train", "--features-dir", str(demo_world.features_dir))
    assert result.exit_code == 128 + signal.SIGTERM
    assert "interrupted by SIGTERM" in result.output and "FAILED" in result.output
    assert "Traceback" not in result.output
