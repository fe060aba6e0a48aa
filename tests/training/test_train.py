"""End to end on a tiny world: out-of-time training, MLflow logging, registry gate, round trip."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import mlflow
import numpy as np
import pytest

from pipelines.snapshot import read_snapshot
from tests.training.conftest import temporary_tracking
from tests.training.world import SNAPSHOTS, SPECS, STAND_IN_SCORER
from training.config import LightGBMParams, TrainConfig
from training.pyfunc import load_model, pyfunc_input
from training.registry import CHALLENGER, CHAMPION, list_models, promote, show_model
from training.split import SplitError
from training.train import train

FAST = LightGBMParams(n_estimators=60)


def _config(features_dir: Path, world_dir: Path, **overrides) -> TrainConfig:
    settings = {
        "features_dir": features_dir,
        "world_dir": world_dir,
        "raw_dir": None,
        "lightgbm": FAST,
        "text_oof_folds": 3,
        "calibration_folds": 3,
        "explain_rows": 200,
        "baseline": {"max_train_rows": 3000, "mlp_max_iter": 30},
    }
    settings.update(overrides)
    return TrainConfig(**settings)


@pytest.fixture(scope="module")
def runs(world, tmp_path_factory):
    """A weak escalation model, then the full training twice, in one temporary MLflow store."""
    features_dir, world_dir = world
    with temporary_tracking(tmp_path_factory.mktemp("mlflow")) as settings:
        weak = train(
            _config(
                features_dir,
                world_dir,
                targets=["escalation"],
                lightgbm=LightGBMParams(n_estimators=2, num_leaves=2),
                baselines=False,
                ablation=False,
            ),
            tracking=settings,
            specs=SPECS,
            use_text_model=False,
        )
        full = train(
            _config(features_dir, world_dir),
            tracking=settings,
            specs=SPECS,
            text_scorer=STAND_IN_SCORER,
        )
        again = train(
            _config(features_dir, world_dir),
            tracking=settings,
            specs=SPECS,
            text_scorer=STAND_IN_SCORER,
        )
        yield settings, weak, full, again


def test_models_far_above_chance_on_both_targets(runs):
    _, _, full, _ = runs
    repeat = full.targets["repeat_contact"].metrics
    escalation = full.targets["escalation"].metrics
    assert repeat["roc_auc"] > 0.64 and repeat["pr_auc"] > 1.6 * repeat["base_rate"]
    assert escalation["roc_auc"] > 0.70 and escalation["pr_auc"] > 2.5 * escalation["base_rate"]
    assert escalation["lift_at_5pct"] > 2.5
    assert repeat["oracle_ratio_roc_auc"] > 0.85


def test_split_is_out_of_time_with_the_latest_snapshot_held_out(runs):
    _, _, full, _ = runs
    assert full.window.valid_as_of == SNAPSHOTS[-1]
    assert full.window.train_as_of == tuple(SNAPSHOTS[:-1])


def test_all_model_families_and_ablation_arms_are_compared(runs):
    _, _, full, _ = runs
    result = full.targets["escalation"]
    assert set(result.comparison["model"]) == {
        "lightgbm",
        "logistic_regression",
        "decision_tree",
        "mlp",
        "rule",
        "oracle",
    }
    assert list(result.ablation["arm"]) == [
        "structured",
        "structured+text",
        "structured+graph",
        "all",
    ]
    arms = result.ablation.set_index("arm")
    assert arms.loc["all", "pr_auc"] == pytest.approx(result.metrics["pr_auc"])
    assert arms.loc["structured+text", "pr_auc"] > arms.loc["structured", "pr_auc"]
    assert set(result.slices["slice"]) == {"plan_type", "region", "vip_level", "channel_mix"}


def test_same_data_seed_and_config_give_the_same_metrics(runs):
    _, _, full, again = runs
    for target in ("repeat_contact", "escalation"):
        first, second = full.targets[target].metrics, again.targets[target].metrics
        assert first.keys() == second.keys()
        for name in first:
            assert first[name] == pytest.approx(second[name], nan_ok=True), name


def test_gate_promotes_a_better_model_and_refuses_an_equal_one(runs):
    _, weak, full, again = runs
    assert weak.targets["escalation"].decision.alias == CHAMPION
    better = full.targets["escalation"].decision
    assert better.promoted and better.alias == CHAMPION and better.previous_champion == "1"
    assert better.candidate_score > better.champion_score
    assert full.targets["repeat_contact"].decision.reason == "no champion yet"
    for target in ("repeat_contact", "escalation"):
        decision = again.targets[target].decision
        assert not decision.promoted and decision.alias == CHALLENGER


def test_champion_round_trips_through_the_registry_and_scores_the_same(runs, world):
    settings, _, full, _ = runs
    result = full.targets["escalation"]
    snapshot = read_snapshot(world[0], SNAPSHOTS[-1])
    frame = snapshot.frame.drop(columns=["repeat_contact", "escalation"])
    loaded = load_model(f"models:/{result.model_name}@champion")
    expected = result.model.predict_proba(frame, snapshot.documents)
    np.testing.assert_array_equal(loaded.predict_proba(frame, snapshot.documents), expected)
    pyfunc = mlflow.pyfunc.load_model(f"models:/{result.model_name}@champion")
    scored = pyfunc.predict(pyfunc_input(loaded, frame, snapshot.documents))["probability"]
    np.testing.assert_allclose(scored.to_numpy(), expected, rtol=1e-9)
    reasons = loaded.explain(frame.head(3), snapshot.documents, top_k=2)
    assert len(reasons) == 3 and all(len(r) <= 2 for r in reasons)
    assert all(reason.contribution > 0 and reason.zh for row in reasons for reason in row)


def test_mlflow_run_holds_params_tags_datasets_and_artifacts(runs):
    settings, _, full, _ = runs
    result = full.targets["repeat_contact"]
    client = settings.client()
    run = client.get_run(result.parent_run_id)
    assert run.data.params["lightgbm.n_estimators"] == "60"
    assert run.data.params["calibration"] == "sigmoid"
    assert run.data.tags["data_fingerprint"] and run.data.tags["git_sha"]
    assert run.data.metrics["pr_auc"] == pytest.approx(result.metrics["pr_auc"])
    contexts = {d.tags[0].value: d.dataset for d in run.inputs.dataset_inputs if d.tags}
    assert set(contexts) == {"training", "validation"}
    schema = contexts["validation"].schema
    assert "document" not in schema and "acct_plan_type" in schema
    profile = json.loads(contexts["validation"].profile)
    assert profile["num_rows"] == 1500 and profile["snapshot_dates"] == ["2026-08-31"]
    assert json.loads(contexts["training"].profile)["num_rows"] == 4500
    assert contexts["training"].digest != contexts["validation"].digest
    paths = {a.path for a in client.list_artifacts(run.info.run_id)}
    assert {"plots", "evaluation", "importance", "model_card.md"} <= paths
    plots = {a.path for a in client.list_artifacts(run.info.run_id, "plots")}
    assert plots == {f"plots/{n}.png" for n in ("roc", "pr", "gain", "calibration")}
    children = client.search_runs(
        [run.info.experiment_id], f"tags.mlflow.parentRunId = '{run.info.run_id}'"
    )
    names = {c.info.run_name for c in children}
    assert {"lightgbm", "logistic_regression", "decision_tree", "mlp", "rule"} <= names
    assert {"ablation:structured", "ablation:all"} <= names


def test_force_promotion_records_a_tag(runs):
    settings, _, full, again = runs
    name = again.targets["repeat_contact"].model_name
    version = again.targets["repeat_contact"].version
    refused = promote(name, version, settings=settings)
    assert not refused.promoted
    forced = promote(name, version, force=True, settings=settings)
    assert forced.promoted and forced.forced
    shown = {v.version: v for v in show_model(name, settings)}
    assert shown[version].aliases == [CHAMPION]
    assert shown[version].tags["forced_promotion"] == "true"
    assert shown[version].tags["metric.pr_auc"]
    listed = {m.name: m for m in list_models("procare", settings)}
    assert set(listed) == {"procare-repeat_contact", "procare-escalation"}
    assert listed[name].aliases[CHAMPION] == version and listed[name].metric == "pr_auc"


def test_summary_has_one_row_per_target(runs):
    _, _, full, _ = runs
    summary = full.summary().set_index("target")
    assert list(summary.index) == ["repeat_contact", "escalation"]
    assert summary.loc["escalation", "alias"] == CHAMPION
    assert full.ui_command().startswith("mlflow ui --backend-store-uri sqlite:///")


def test_training_refuses_a_window_that_is_not_out_of_time(world, tracking):
    features_dir, world_dir = world
    config = _config(features_dir, world_dir, train_as_of=[SNAPSHOTS[0]], valid_as_of=SNAPSHOTS[1])
    bad = config.model_copy(update={"train_as_of": [SNAPSHOTS[0], SNAPSHOTS[1]]})
    with pytest.raises(SplitError, match="not strictly before"):
        train(bad, tracking=tracking, specs=SPECS, use_text_model=False)


def test_training_refuses_unregistered_feature_columns(world, tracking):
    features_dir, world_dir = world
    specs = {k: v for k, v in SPECS.items() if k != "bill_shock"}
    with pytest.raises(ValueError, match="bill_shock"):
        train(
            _config(features_dir, world_dir), tracking=tracking, specs=specs, use_text_model=False
        )


def test_config_rejects_training_dates_at_or_after_validation():
    with pytest.raises(ValueError, match="out-of-time"):
        TrainConfig(train_as_of=[date(2026, 8, 31)], valid_as_of=date(2026, 8, 31))
