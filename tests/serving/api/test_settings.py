"""Service settings from the environment: the API key rule, types, round trip."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from serving.api.settings import ServingSettings


def test_an_api_key_is_required_outside_dev_mode():
    with pytest.raises(ValidationError, match="PROCARE_API_KEY is required"):
        ServingSettings.from_env({})
    assert ServingSettings.from_env({"PROCARE_DEV_MODE": "1"}).auth_required is False


def test_a_set_key_is_enforced_even_in_dev_mode():
    settings = ServingSettings.from_env({"PROCARE_DEV_MODE": "true", "PROCARE_API_KEY": "s3cret"})
    assert settings.auth_required
    assert "s3cret" not in repr(settings)


def test_values_are_read_and_typed():
    settings = ServingSettings.from_env(
        {
            "PROCARE_API_KEY": "k",
            "PROCARE_FEATURES_DIR": "/data/f",
            "PROCARE_MAX_BATCH_SIZE": "250",
            "MLFLOW_TRACKING_URI": "http://mlflow:5000",
            "PROCARE_OUTREACH_DIR": "",
        }
    )
    assert settings.features_dir == Path("/data/f")
    assert settings.max_batch_size == 250
    assert settings.tracking_uri == "http://mlflow:5000"
    assert settings.outreach_dir is None


def test_invalid_values_name_the_setting():
    with pytest.raises(ValidationError, match="max_batch_size"):
        ServingSettings.from_env({"PROCARE_API_KEY": "k", "PROCARE_MAX_BATCH_SIZE": "0"})
    with pytest.raises(ValidationError, match="empty"):
        ServingSettings(api_key="")


def test_environ_round_trips():
    settings = ServingSettings(api_key="k", scores_dir=Path("/s"), live_explain_max_rows=5)
    assert ServingSettings.from_env(settings.environ()) == settings


def test_the_live_folder_defaults_to_data_live_and_none_keeps_contacts_in_memory():
    base = {"PROCARE_API_KEY": "k"}
    assert ServingSettings.from_env(base).live_dir == Path("data/live")
    assert ServingSettings.from_env({**base, "PROCARE_LIVE_DIR": "/srv/live"}).live_dir == Path(
        "/srv/live"
    )
    in_memory = ServingSettings.from_env({**base, "PROCARE_LIVE_DIR": "None"})
    assert in_memory.live_dir is None
    assert ServingSettings.from_env(in_memory.environ()).live_dir is None


def test_the_default_body_limit_is_what_a_crm_needs_not_64_mb():
    settings = ServingSettings(api_key="k")
    assert 1024 * 1024 <= settings.max_request_bytes <= 8 * 1024 * 1024
    assert (
        ServingSettings.from_env(
            {"PROCARE_API_KEY": "k", "PROCARE_MAX_REQUEST_BYTES": "2097152"}
        ).max_request_bytes
        == 2 * 1024 * 1024
    )


def test_metrics_access_workers_and_run_folder_are_read_and_round_trip():
    settings = ServingSettings.from_env(
        {
            "PROCARE_API_KEY": "k",
            "PROCARE_METRICS_OPEN": "Off",
            "PROCARE_WORKERS": "2",
            "PROCARE_RUN_DIR": "/run/procare",
            "PROCARE_BULK_CHUNK_ROWS": "100",
        }
    )
    assert settings.metrics_open is False and settings.workers == 2
    assert settings.run_dir == Path("/run/procare") and settings.bulk_chunk_rows == 100
    assert ServingSettings.from_env(settings.environ()) == settings
    with pytest.raises(ValidationError, match="metrics_open"):
        ServingSettings.from_env({"PROCARE_API_KEY": "k", "PROCARE_METRICS_OPEN": "maybe"})
