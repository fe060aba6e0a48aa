"""Configurations pickled before a setting existed still load, with its default."""

from __future__ import annotations

import pickle

from features.assemble import FeatureConfig
from training.scoring_config import ScoringConfig


def test_a_feature_config_pickled_before_missing_tables_existed_loads():
    state = FeatureConfig().__getstate__()
    state["__dict__"] = {k: v for k, v in state["__dict__"].items() if k != "missing_tables"}
    old = FeatureConfig.__new__(FeatureConfig)
    old.__setstate__(state)
    assert old.missing_tables == []
    assert old == FeatureConfig()


def test_current_configs_round_trip():
    config = FeatureConfig(missing_tables=["edges"])
    assert pickle.loads(pickle.dumps(config)) == config
    assert pickle.loads(pickle.dumps(ScoringConfig(top_reasons=5))) == ScoringConfig(top_reasons=5)
