"""The training window's snapshots must share one feature configuration; it is read from meta."""

from __future__ import annotations

from datetime import date

import pytest

from features.assemble import FeatureConfig
from features.labels import LabelConfig
from training.snapshot_config import flat_params, training_feature_config

DAYS = [date(2026, 5, 31), date(2026, 6, 30), date(2026, 7, 31)]


def meta(config: FeatureConfig | None, horizon: int = 30) -> dict:
    recorded = {"as_of": "x", "horizon_days": horizon}
    if config is not None:
        recorded["feature_config"] = config.model_dump(mode="json")
    return recorded


def test_the_shared_recorded_config_is_returned():
    config = FeatureConfig(labels=LabelConfig(horizon_days=20))
    assert training_feature_config({day: meta(config, 20) for day in DAYS}) == config


def test_snapshots_built_with_different_configs_are_refused_naming_the_setting():
    metas = {day: meta(FeatureConfig()) for day in DAYS}
    metas[DAYS[1]] = meta(FeatureConfig(labels=LabelConfig(horizon_days=20)), 20)
    with pytest.raises(ValueError, match="different feature configurations") as error:
        training_feature_config(metas)
    message = str(error.value)
    assert "2026-06-30: labels.horizon_days=20" in message
    assert "2026-05-31: labels.horizon_days=30" in message
    assert "procare features build" in message


def test_a_window_mixing_recorded_and_unrecorded_configs_is_refused():
    metas = {day: meta(FeatureConfig()) for day in DAYS}
    metas[DAYS[0]] = meta(None)
    with pytest.raises(ValueError, match="2026-05-31: no recorded feature config"):
        training_feature_config(metas)


def test_older_snapshots_without_a_config_give_none_but_must_agree_on_the_horizon():
    assert training_feature_config({day: meta(None) for day in DAYS}) is None
    metas = {day: meta(None) for day in DAYS}
    metas[DAYS[2]] = meta(None, horizon=14)
    with pytest.raises(ValueError, match="labels.horizon_days=14"):
        training_feature_config(metas)


def test_flat_params_name_every_setting_under_the_prefix():
    params = flat_params(FeatureConfig().model_dump(mode="json"), "snapshots.")
    assert params["snapshots.labels.horizon_days"] == "30"
    assert params["snapshots.graph.lookback_months"] == "3"
