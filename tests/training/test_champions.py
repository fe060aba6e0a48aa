"""The champions' carried scoring configuration: one for both targets, or a clear refusal."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from training.champions import ChampionConfigError, ChampionModels, ScoringConfig, TierConfig

CUSTOM = ScoringConfig(tiers=TierConfig(high_repeat=0.7), top_reasons=2)
VERSIONS = {
    "repeat_contact": {"name": "procare-repeat_contact", "version": "3", "alias": "champion"},
    "escalation": {"name": "procare-escalation", "version": "5", "alias": "champion"},
}


def champions(repeat: ScoringConfig | None, escalation: ScoringConfig | None) -> ChampionModels:
    models = {
        "repeat_contact": SimpleNamespace(scoring=repeat),
        "escalation": SimpleNamespace(scoring=escalation),
    }
    return ChampionModels(models, VERSIONS)


def test_the_shared_carried_config_is_the_champions_scoring():
    assert champions(CUSTOM, CUSTOM.model_copy()).scoring == CUSTOM


def test_models_carrying_none_score_with_the_defaults(caplog):
    assert champions(None, None).scoring == ScoringConfig()
    assert "carry no scoring configuration" in caplog.text


def test_different_carried_configs_are_refused_naming_both_versions():
    with pytest.raises(ChampionConfigError, match="different scoring configurations") as error:
        champions(CUSTOM, ScoringConfig())
    assert "procare-repeat_contact v3" in str(error.value)
    assert "procare-escalation v5" in str(error.value)
    assert isinstance(error.value, LookupError)
