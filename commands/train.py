"""`procare train`: train, evaluate out of time, log to MLflow, register."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from commands.common import (
    EngineChoice,
    console,
    data_layout,
    engine_config,
    engine_option,
    fail,
    folder_option,
    frame_table,
    parse_dates,
    scheduler_option,
    workdir_option,
    workers_option,
)
from features.vocabulary import TARGETS, Target

TargetChoice = StrEnum(
    "TargetChoice", [(target.name, target.value) for target in Target] + [("ALL", "all")]
)
"""``--target`` values: one target, or ``all`` of them."""
ORACLE_COLUMNS = ("oracle_ratio_roc_auc", "oracle_ratio_pr_auc")
ABLATION_COLUMNS = (
    "arm",
    "features",
    "roc_auc",
    "pr_auc",
    "brier",
    "recall_at_5pct",
    "lift_at_5pct",
    "oracle_ratio_roc_auc",
)


def train(
    target: TargetChoice = typer.Option(TargetChoice.ALL, help="Target to train, or all."),
    train_as_of: list[str] = typer.Option(
        None, "--train-as-of", help="Training snapshot (repeat); default: all before validation."
    ),
    valid_as_of: str | None = typer.Option(
        None, "--valid-as-of", help="Out-of-time validation snapshot; default: the latest."
    ),
    config_file: Path | None = typer.Option(
        None, "--config", exists=True, dir_okay=False, help="YAML TrainConfig file."
    ),
    features_dir: Path | None = folder_option("features", "Feature snapshots."),
    world_dir: Path | None = folder_option("world", "Synthetic world (for the oracle)."),
    raw_dir: Path | None = folder_option("raw", "Ingested tables (for the fingerprint)."),
    baselines: bool = typer.Option(True, help="Train the baseline model families too."),
    ablation: bool = typer.Option(True, help="Run the feature-family ablation."),
    negative_sample_rate: float | None = typer.Option(
        None,
        "--negatives",
        min=0.0,
        max=1.0,
        help="Share of negative training rows kept, with every positive (weighted "
        "1/rate; probabilities are calibrated on the unsampled validation snapshot). "
        "Default: the config's (1, every row).",
    ),
    distributed: bool = typer.Option(
        False,
        "--distributed",
        help="Train LightGBM across the Dask cluster with lightgbm.dask (needs --engine dask "
        "or --scheduler; close to, not identical with, the one-machine model).",
    ),
    engine: EngineChoice = engine_option(),  # noqa: B008 - a typer option
    scheduler: str | None = scheduler_option(),
    workers: int = workers_option(),
    workdir: Path | None = workdir_option(),
) -> None:
    """Train, evaluate out of time, log to MLflow and register one model per target.

    The independent pieces (text-model folds, model families, ablation arms, targets) run on
    the engine: here one after another, or in parallel on a Dask cluster (--engine dask).
    """
    from pydantic import ValidationError

    from pipelines.engine import open_engine
    from training.config import TrainConfig
    from training.model_card import CARD_METRICS
    from training.tracking import TrainingInterrupted
    from training.train import train as run_training

    layout = data_layout(workdir, features_dir=features_dir, world_dir=world_dir, raw_dir=raw_dir)
    overrides = {
        "targets": list(TARGETS) if target == TargetChoice.ALL else [target.value],
        "features_dir": layout.features_dir,
        "world_dir": layout.world_dir,
        "raw_dir": layout.raw_dir,
        "baselines": baselines,
        "ablation": ablation,
    }
    if train_as_of:
        overrides["train_as_of"] = parse_dates(train_as_of, "--train-as-of")
    if valid_as_of:
        overrides["valid_as_of"] = parse_dates([valid_as_of], "--valid-as-of")[0]
    if negative_sample_rate is not None:
        overrides["negative_sample_rate"] = negative_sample_rate
    engine_settings = engine_config(engine, scheduler, workers)
    if distributed and engine_settings.kind != "dask":
        fail("--distributed needs --engine dask or --scheduler ADDRESS", code=2)
    source = f"{config_file}: " if config_file else ""
    try:
        base = TrainConfig.from_yaml(config_file) if config_file else TrainConfig()
        config = TrainConfig.model_validate({**base.model_dump(), **overrides})
    except ValidationError as exc:
        fail(f"invalid training config: {source}{validation_problems(exc)}", code=2)
    except ValueError as exc:
        fail(f"invalid training config: {exc}", code=2)
    except OSError as exc:
        fail(f"{config_file}: {exc.strerror or type(exc).__name__}", code=2)
    if not layout.features.available():
        fail(
            f"no feature snapshots under {layout.features_dir}: run `procare data ingest` and "
            "`procare features build --as-of YYYY-MM-DD` first"
        )
    try:
        with open_engine(engine_settings) as pieces_engine:
            result = run_training(
                config, progress=True, engine=pieces_engine, distributed=distributed
            )
    except (FileNotFoundError, ValueError) as exc:
        fail(str(exc))
    except TrainingInterrupted as exc:
        fail(
            f"training {exc}: its open MLflow runs were marked FAILED and nothing more was "
            "registered",
            code=128 + exc.signum,
        )
    from monitoring.history import tag_training_runs
    from training.tracking import TrackingSettings

    runs = [outcome.parent_run_id for outcome in result.targets.values()]
    monitored = tag_training_runs(runs, TrackingSettings(tracking_uri=result.tracking_uri))
    summary = result.summary()
    console.print(frame_table("validation (out of time, LightGBM calibrated)", summary))
    for name, outcome in result.targets.items():
        shown = ("model", *CARD_METRICS, *ORACLE_COLUMNS)
        families = outcome.comparison[[c for c in shown if c in outcome.comparison]]
        console.print(frame_table(f"{name}: model families", families))
        if outcome.ablation is not None:
            arms = outcome.ablation[[c for c in ABLATION_COLUMNS if c in outcome.ablation]]
            console.print(frame_table(f"{name}: feature-family ablation", arms))
        if outcome.decision is not None:
            verdict = "champion" if outcome.decision.promoted else outcome.decision.alias
            console.print(
                f"[bold]{name}[/]: v{outcome.decision.version} → {verdict} "
                f"({outcome.decision.reason})"
            )
    if monitored:
        console.print(f"tagged with the latest monitoring run: {monitored}")
    console.print(f"review the runs: [bold]{result.ui_command()}[/]")


def validation_problems(error) -> str:
    """A pydantic ``ValidationError`` on one line: each field's location and message."""
    return "; ".join(
        f"{'.'.join(str(part) for part in problem['loc']) or 'config'}: {problem['msg']}"
        for problem in error.errors()
    )
