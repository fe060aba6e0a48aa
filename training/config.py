"""Training configuration: targets, snapshot window, LightGBM parameters, evaluation, registry."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from features.vocabulary import TARGETS
from pipelines.catalog import DataLayout
from training.scoring_config import ScoringConfig

Target = Literal[TARGETS]
Calibration = Literal["isotonic", "sigmoid", "none"]
PromotionMetric = Literal["pr_auc", "recall_at_5pct"]


def capacity_label(capacity: float) -> str:
    """Metric suffix of an outreach capacity, e.g. ``0.05 -> "5pct"``, ``0.005 -> "0.5pct"``."""
    return f"{capacity * 100:g}pct"


class LightGBMParams(BaseModel):
    """LightGBM settings of the primary model.

    Class imbalance is handled on purpose: escalation is well under 5% positive. The default
    ``"sqrt_ratio"`` weights positives by ``sqrt(negatives / positives)``, a middle ground between
    no weighting (few positive leaves for a rare target) and ``is_unbalance`` (full re-weighting,
    which inflates scores and makes trees chase noise in the minority class). Scores are then
    re-calibrated, so the weighting changes the ranking only, never the reported probabilities.

    Speed (measured on the 2-vCPU development VM, 300k rows x 100 features, 100 trees): row
    bagging 0.5 and feature fraction 0.6 train 2.1x faster than 0.8/0.8 for a holdout AUC
    0.0004 lower. One thread is the default: two threads were 2.5-4.5x *slower* on that VM
    (shared vCPUs; OpenMP threads spin against each other) and one thread also makes results
    independent of the machine's core count. Set ``num_threads: 0`` on a dedicated server.
    """

    model_config = ConfigDict(extra="forbid")

    n_estimators: int = Field(300, ge=1)
    learning_rate: float = Field(0.05, gt=0, le=1)
    num_leaves: int = Field(31, ge=2)
    min_child_samples: int = Field(50, ge=1)
    feature_fraction: float = Field(0.6, gt=0, le=1)
    bagging_fraction: float = Field(0.5, gt=0, le=1)
    bagging_freq: int = Field(1, ge=0)
    lambda_l2: float = Field(1.0, ge=0)
    max_bin: int = Field(255, ge=2)
    imbalance: Literal["sqrt_ratio", "is_unbalance", "none"] = "sqrt_ratio"
    num_threads: int = Field(1, ge=0, description="Threads; 0 lets LightGBM use every core.")


class BaselineParams(BaseModel):
    """Settings of the scikit-learn baselines (logistic regression, decision tree, MLP).

    ``max_train_rows`` was 200,000 (every row of a 100k base's two training snapshots); half of
    that halves the baselines' cost (issue 13). On the 100k world the MLP's validation PR AUC
    fell by 0.011 (repeat contact) and 0.019 (escalation), the others' by at most 0.008; at
    50,000 rows the MLP lost 0.035.
    """

    model_config = ConfigDict(extra="forbid")

    max_train_rows: int = Field(
        100_000, ge=100, description="Random subsample of training rows for the baselines."
    )
    tree_max_depth: int = Field(6, ge=1)
    tree_min_samples_leaf: int = Field(50, ge=1)
    mlp_hidden: tuple[int, ...] = (32, 16)
    mlp_max_iter: int = Field(60, ge=1)


class TrainConfig(BaseModel):
    """Everything one ``procare train`` call needs.

    The promotion metric is **PR AUC** (average precision) by default. Outreach capacity differs
    by operator and by week, and escalation is rare: PR AUC summarises precision over every
    capacity at the top of the ranking, does not depend on the calibrator, and is far less noisy
    than recall at one cut-off (at 5% capacity and a 2% escalation rate, recall at 5% moves in
    steps of a handful of customers on a small base). ``recall_at_5pct`` is available for an
    operator with a fixed outreach budget.

    Attributes:
        targets: Labels to train a model for, one experiment and one registered model each.
        train_as_of: Training snapshots; ``None`` means every labelled snapshot before
            ``valid_as_of``.
        valid_as_of: The out-of-time validation snapshot; ``None`` means the latest labelled one.
        features_dir: Where ``procare features build`` wrote the snapshots.
        world_dir: Synthetic world folder holding the oracle (ignored when absent).
        raw_dir: Ingested tables; its ``_manifest.json`` fingerprint is recorded when present.
        calibration: Calibrator fitted on the validation period (scores are cross-fitted on it
            for the reported metrics). ``sigmoid`` (Platt on the log-odds) keeps the ranking.
        capacities: Outreach capacities (share of the base) for lift and recall.
        text_oof_folds: Folds of the out-of-fold text-model score on training rows.
        calibration_folds: Folds of the cross-fitted calibration on the validation snapshot.
        negative_sample_rate: Share of negative training rows kept (every positive is kept;
            kept negatives weigh ``1 / rate``); 1 keeps every row. Probabilities are calibrated
            on the unsampled validation snapshot, so they stay calibrated.
        explain_rows: Validation rows sampled for mean |contribution| importance (TreeSHAP is
            costly: about 1 ms per row and 100 trees).
        scoring: How the models' scores become tiers, reasons and actions; registered with the
            models, so batch scoring and the service apply what was chosen here.
        processes: Worker processes the independent pieces of the call (text-model folds,
            model families, ablation arms, targets) run in with the local engine; 0: one per
            CPU core, 1: in this process. Results are the same either way.
    """

    model_config = ConfigDict(extra="forbid")

    targets: list[Target] = Field(default_factory=lambda: list(TARGETS), min_length=1)
    train_as_of: list[date] | None = None
    valid_as_of: date | None = None
    features_dir: Path = DataLayout().features_dir
    world_dir: Path | None = DataLayout().world_dir
    raw_dir: Path | None = DataLayout().raw_dir
    lightgbm: LightGBMParams = Field(default_factory=LightGBMParams)
    baselines: bool = True
    baseline: BaselineParams = Field(default_factory=BaselineParams)
    ablation: bool = True
    calibration: Calibration = "sigmoid"
    calibration_folds: int = Field(5, ge=2)
    capacities: list[float] = Field(default_factory=lambda: [0.01, 0.05, 0.10], min_length=1)
    text_oof_folds: int = Field(5, ge=2)
    negative_sample_rate: float = Field(1.0, gt=0, le=1)
    explain_rows: int = Field(2_000, ge=100)
    seed: int = 0
    processes: int = Field(0, ge=0, le=256)
    promotion_metric: PromotionMetric = "pr_auc"
    experiment_prefix: str = Field("procare", min_length=1)
    model_name_prefix: str = Field("procare", min_length=1)
    register_models: bool = True
    scoring: ScoringConfig = Field(default_factory=ScoringConfig)

    @model_validator(mode="after")
    def _check(self) -> TrainConfig:
        if len(set(self.targets)) != len(self.targets):
            raise ValueError(f"targets repeat: {self.targets}")
        if any(not 0 < c < 1 for c in self.capacities):
            raise ValueError(f"capacities must lie in (0, 1): {self.capacities}")
        if self.promotion_metric == "recall_at_5pct" and 0.05 not in self.capacities:
            raise ValueError("promotion_metric recall_at_5pct needs 0.05 in capacities")
        if self.train_as_of is not None and self.valid_as_of is not None:
            late = [d for d in self.train_as_of if d >= self.valid_as_of]
            if late:
                raise ValueError(
                    f"train_as_of {[d.isoformat() for d in late]} not strictly before "
                    f"valid_as_of {self.valid_as_of.isoformat()} (out-of-time split)"
                )
        return self

    def experiment_name(self, target: Target) -> str:
        """MLflow experiment of a target, e.g. ``procare-repeat_contact``."""
        return f"{self.experiment_prefix}-{target}"

    def model_name(self, target: Target) -> str:
        """Registered model of a target, e.g. ``procare-escalation``."""
        return f"{self.model_name_prefix}-{target}"

    @classmethod
    def from_yaml(cls, path: Path) -> TrainConfig:
        """Load a config from a YAML file (keys as the attributes; unknown keys are errors).

        Raises:
            ValueError: If the file is not YAML (naming the file, line and column) or not UTF-8.
            pydantic.ValidationError: If its keys or values break the config.
        """
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise ValueError(f"{path}: not valid YAML ({_yaml_problem(exc)})") from None
        except UnicodeDecodeError:
            raise ValueError(f"{path}: not UTF-8 text") from None
        return cls.model_validate(data)

    def flat_params(self) -> dict[str, str]:
        """The whole config flattened to ``section.key -> str`` for MLflow params."""
        return _flatten(self.model_dump(mode="json"))


def _yaml_problem(error: yaml.YAMLError) -> str:
    """Where and what a YAML error is, without quoting the file's text."""
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or type(error).__name__
    if mark is None:
        return problem
    return f"line {mark.line + 1}, column {mark.column + 1}: {problem}"


def _flatten(data: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = str(value)
    return flat
