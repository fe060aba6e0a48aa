"""Training configuration: YAML, strictness, flattened params."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from training.config import TrainConfig, capacity_label


def test_yaml_round_trip_and_unknown_keys_are_errors(tmp_path):
    path = tmp_path / "train.yaml"
    path.write_text(
        "targets: [escalation]\n"
        "valid_as_of: 2026-09-30\n"
        "calibration: isotonic\n"
        "lightgbm:\n  n_estimators: 50\n  imbalance: is_unbalance\n",
        encoding="utf-8",
    )
    config = TrainConfig.from_yaml(path)
    assert config.targets == ["escalation"] and config.valid_as_of == date(2026, 9, 30)
    assert config.lightgbm.n_estimators == 50 and config.lightgbm.learning_rate == 0.05
    path.write_text("lightgbm:\n  n_trees: 50\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="n_trees"):
        TrainConfig.from_yaml(path)


def test_flat_params_cover_the_whole_config():
    params = TrainConfig().flat_params()
    assert params["lightgbm.num_leaves"] == "31"
    assert params["promotion_metric"] == "pr_auc"
    assert params["capacities"] == "[0.01, 0.05, 0.1]"
    assert all(isinstance(v, str) for v in params.values())


def test_invalid_settings_are_refused():
    with pytest.raises(ValidationError, match="recall_at_5pct"):
        TrainConfig(promotion_metric="recall_at_5pct", capacities=[0.01])
    with pytest.raises(ValidationError, match="capacities"):
        TrainConfig(capacities=[1.5])
    with pytest.raises(ValidationError, match="repeat"):
        TrainConfig(targets=["escalation", "escalation"])


def test_names_and_capacity_labels():
    config = TrainConfig(experiment_prefix="exp", model_name_prefix="reg")
    assert config.experiment_name("escalation") == "exp-escalation"
    assert config.model_name("repeat_contact") == "reg-repeat_contact"
    assert capacity_label(0.05) == "5pct" and capacity_label(0.005) == "0.5pct"
