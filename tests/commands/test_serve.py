"""`procare serve`: settings are checked before a server starts (none starts here)."""

from __future__ import annotations

import pytest

import serving.api.server
from serving.api.settings import ENV_VARS
from tests.commands.cli_runner import help_text, invoke, one_line


@pytest.fixture
def clean_env(monkeypatch):
    """No PROCARE_* (nor MLflow URI) settings in the environment; no server can start."""
    for name in ENV_VARS.values():
        if name != "MLFLOW_TRACKING_URI":
            monkeypatch.delenv(name, raising=False)
    started = []

    def no_server(settings, **options):
        started.append((settings, options))
        return 0

    monkeypatch.setattr(serving.api.server, "serve", no_server)
    return started


def test_help_names_the_key_options_and_settings():
    text = help_text("serve")
    for option in ("--port", "--host", "--workers", "--workdir", "PROCARE_API_KEY"):
        assert option in text, option


def test_serve_without_an_api_key_or_dev_mode_exits_two(clean_env):
    result = invoke("serve")
    assert result.exit_code == 2
    assert "invalid service settings" in result.output
    assert "PROCARE_API_KEY is required" in one_line(result)
    assert "PROCARE_DEV_MODE" in result.output
    assert clean_env == []


def test_serve_with_an_empty_api_key_exits_two(clean_env, monkeypatch):
    monkeypatch.setenv("PROCARE_API_KEY", "  ")
    result = invoke("serve")
    assert result.exit_code == 2
    assert "PROCARE_API_KEY" in result.output
    assert clean_env == []


@pytest.mark.parametrize(("option", "value"), [("--port", "0"), ("--workers", "17")])
def test_serve_rejects_options_out_of_range(clean_env, monkeypatch, option, value):
    monkeypatch.setenv("PROCARE_DEV_MODE", "1")
    result = invoke("serve", option, value)
    assert result.exit_code == 2
    assert option in result.output
    assert clean_env == []


def test_serve_passes_the_settings_and_options_to_the_server(clean_env, monkeypatch, tmp_path):
    monkeypatch.setenv("PROCARE_API_KEY", "secret-key")
    result = invoke("serve", "--port", "3999", "--workers", "2", "--workdir", str(tmp_path))
    assert result.exit_code == 0, result.output
    [(settings, options)] = clean_env
    assert options == {"port": 3999, "host": "0.0.0.0", "workers": 2}
    assert settings.workdir == tmp_path
    assert settings.scores_dir == tmp_path / "scores"
    assert settings.api_key.get_secret_value() == "secret-key"
    assert "secret-key" not in result.output


def test_serve_without_scores_exits_one_naming_the_command_and_starts_nothing(
    monkeypatch, tmp_path
):
    for name in ENV_VARS.values():
        if name != "MLFLOW_TRACKING_URI":
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PROCARE_DEV_MODE", "1")

    def no_process(*args, **kwargs):
        raise AssertionError("a server was started")

    monkeypatch.setattr(serving.api.server.subprocess, "Popen", no_process)
    result = invoke("serve", "--workdir", str(tmp_path))
    assert result.exit_code == 1
    assert "no batch scores" in one_line(result) and "procare score" in one_line(result)


def test_serve_with_a_mistyped_tracking_uri_exits_one_naming_it(
    monkeypatch, tmp_path, served_world
):
    for name in ENV_VARS.values():
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PROCARE_DEV_MODE", "1")
    monkeypatch.setenv("PROCARE_SCORES_DIR", str(served_world.scores_dir))
    missing = f"sqlite:///{tmp_path / 'typo' / 'mlflow.db'}"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", missing)

    def no_process(*args, **kwargs):
        raise AssertionError("a server was started")

    monkeypatch.setattr(serving.api.server.subprocess, "Popen", no_process)
    result = invoke("serve", "--workdir", str(tmp_path))
    assert result.exit_code == 1
    assert "no MLflow store" in one_line(result) and "typo" in one_line(result)
    assert not (tmp_path / "typo").exists()


def test_the_demo_serves_the_models_of_mlflow_tracking_uri(monkeypatch, tmp_path):
    """The demo trains into ``MLFLOW_TRACKING_URI``; its service must load from there too."""
    import serving.api.client_demo
    from commands.serve import serving_demo
    from pipelines.catalog import DataLayout

    seen = {}

    def capture(settings, **_):
        seen["settings"] = settings
        raise RuntimeError("stop here")

    uri = f"sqlite:///{tmp_path}/elsewhere.db"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)
    monkeypatch.setattr(serving.api.client_demo, "run_demo", capture)
    with pytest.raises(RuntimeError, match="stop here"):
        serving_demo(DataLayout(workdir=tmp_path / "data"))
    assert seen["settings"].tracking_uri == uri
    assert seen["settings"].index_dir == tmp_path / "data" / "index"
