"""`procare model list/show/promote`: exit codes after training, the promotion gate's refusal."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.commands.cli_runner import copy_store, help_text, invoke, one_line
from tests.training.conftest import temporary_tracking
from training.registry import champion_version

MODEL = "procare-escalation"


@pytest.fixture
def registry(trained_by_cli) -> Path:
    """The store where v1 is champion and v2 challenger (read only)."""
    return trained_by_cli.store


def champion(store: Path) -> str:
    with temporary_tracking(store):
        return str(champion_version(MODEL).version)


@pytest.mark.parametrize(
    ("command", "options"),
    [
        (("model",), ["list", "show", "promote"]),
        (("model", "list"), ["--prefix"]),
        (("model", "show"), ["name", "procare-escalation"]),
        (("model", "promote"), ["name", "version", "--force"]),
    ],
)
def test_help_names_the_key_options(command, options):
    text = help_text(*command)
    for option in options:
        assert option in text, (command, option)


def test_list_shows_the_champion_and_the_challenger(registry):
    result = invoke("model", "list", mlflow_dir=registry)
    assert result.exit_code == 0, result.output
    assert MODEL in result.output
    assert "challenger→v2, champion→v1" in result.output
    assert "pr_auc" in result.output


def test_list_of_an_unknown_prefix_is_empty(registry):
    result = invoke("model", "list", "--prefix", "nope", mlflow_dir=registry)
    assert result.exit_code == 0, result.output
    assert MODEL not in result.output


def test_show_lists_every_version_with_its_aliases_and_tags(registry):
    result = invoke("model", "show", MODEL, mlflow_dir=registry)
    assert result.exit_code == 0, result.output
    assert "champion" in result.output and "challenger" in result.output
    assert "valid_as_of=2026-09-30" in result.output
    assert result.output.index("│ 2 ") < result.output.index("│ 1 ")


def test_show_of_an_unknown_model_exits_one(registry):
    result = invoke("model", "show", "procare-nope", mlflow_dir=registry)
    assert result.exit_code == 1
    assert "procare-nope" in result.output
    assert "not found" in result.output
    assert "Traceback" not in result.output


def test_promote_refuses_a_version_that_does_not_beat_the_champion(registry, tmp_path):
    store = copy_store(registry, tmp_path / "mlruns")
    result = invoke("model", "promote", MODEL, "2", mlflow_dir=store)
    assert result.exit_code == 1
    assert "pr_auc" in result.output and "<= champion's" in result.output
    assert champion(store) == "1"


def test_promote_with_force_makes_the_version_champion(registry, tmp_path):
    store = copy_store(registry, tmp_path / "mlruns")
    result = invoke("model", "promote", MODEL, "2", "--force", mlflow_dir=store)
    assert result.exit_code == 0, result.output
    assert "forced promotion" in result.output
    assert champion(store) == "2"


def test_promote_of_an_unknown_version_exits_one(registry, tmp_path):
    store = copy_store(registry, tmp_path / "mlruns")
    result = invoke("model", "promote", MODEL, "9", mlflow_dir=store)
    assert result.exit_code == 1
    assert f"{MODEL} v9" in result.output
    assert champion(store) == "1"


@pytest.mark.parametrize(
    "command",
    [["model", "list"], ["model", "show", MODEL], ["model", "promote", MODEL, "1"]],
)
def test_a_mistyped_store_is_refused_naming_the_uri_and_never_created(tmp_path, command):
    typo = tmp_path / "mlrun"
    result = invoke(*command, mlflow_dir=typo)
    assert result.exit_code == 1
    assert f"no MLflow store at sqlite:///{typo}/mlflow.db" in one_line(result)
    assert "Traceback" not in result.output
    assert not (typo / "mlflow.db").exists()
