"""The model card: a short markdown page per trained target, logged with the run."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pandas as pd

from features.sources import availability
from training.ablation import ablation_markdown, markdown_table
from training.split import SnapshotWindow

CARD_METRICS = (
    "roc_auc",
    "pr_auc",
    "brier",
    "recall_at_1pct",
    "recall_at_5pct",
    "recall_at_10pct",
    "lift_at_5pct",
)


def render_model_card(
    target: str,
    window: SnapshotWindow,
    rows: Mapping[str, int],
    metrics: Mapping[str, float],
    comparison: pd.DataFrame,
    ablation: pd.DataFrame | None,
    importance: pd.DataFrame,
    calibration: str,
    promotion_metric: str,
    configs: Mapping[str, Any] | None = None,
    sampling: tuple[float, int] | None = None,
) -> str:
    """Markdown with the data window, validation metrics, baselines, ablation, the configuration
    registered with the model (``configs``: see ``ProcareModel.carried_configs``) and limits.

    ``sampling`` is ``(negative_sample_rate, rows fitted)`` when negatives were subsampled."""
    lines = [
        f"# procare model card: {target}",
        "",
        "## Data window",
        "",
        f"- training snapshots: {', '.join(d.isoformat() for d in window.train_as_of)} "
        f"({rows['train']:,} rows)",
        *_sampling_lines(sampling),
        f"- validation snapshot (out of time): {window.valid_as_of.isoformat()} "
        f"({rows['valid']:,} rows, base rate {metrics.get('base_rate', float('nan')):.2%})",
        "",
        "## Validation metrics (LightGBM, calibrated)",
        "",
    ]
    lines += [f"- {name}: {metrics[name]:.4f}" for name in CARD_METRICS if name in metrics]
    oracle = [k for k in metrics if k.startswith("oracle_")]
    lines += [f"- {name}: {metrics[name]:.4f}" for name in oracle if name != "oracle_rows"]
    shown = [c for c in ["model", *CARD_METRICS] if c in comparison.columns]
    lines += ["", "## Compared with the baselines", "", markdown_table(comparison[shown])]
    if ablation is not None and len(ablation):
        lines += ["## Ablation (feature families)", "", ablation_markdown(ablation)]
    top = importance.head(10)[["feature", "family", "gain", "mean_abs_contribution"]]
    lines += ["## Top features (gain)", "", markdown_table(top)]
    if configs is not None:
        lines += _availability_lines(configs.get("feature_config"))
        lines += _config_lines(configs)
    lines += [
        "## How it is used and its limits",
        "",
        f"- Promotion metric: {promotion_metric}; a version becomes champion only when it beats "
        "the current champion on the same validation snapshot (see the version's tags).",
        f"- Probabilities are calibrated ({calibration}) on the validation period; the metrics "
        "above use cross-fitted calibration on that period.",
        "- Reason codes are LightGBM contributions on the log-odds scale, before calibration.",
        "- Static account attributes (plan, region, status) are as of the export, not as of each "
        "snapshot, so older snapshots can carry later values.",
        "- One validation month: metrics move with seasonality and campaigns; re-validate on a "
        "new month before relying on a champion for long.",
        "- On synthetic data the oracle ratio shows how much signal is left; on operator data "
        "there is no oracle.",
        "",
    ]
    return "\n".join(lines)


def _availability_lines(features: Mapping[str, Any] | None) -> list[str]:
    """Which optional tables the data lacked, the source families available and absent, and
    the label parts that could not be observed (``features.sources``)."""
    if features is None:
        return [
            "## Data available",
            "",
            "- not recorded by the training snapshots (built before optional tables: every "
            "table present)",
            "",
        ]
    found = availability(features.get("missing_tables") or [])
    missing = found["missing_tables"]
    lines = [
        "## Data available",
        "",
        f"- missing optional tables: {', '.join(missing) if missing else 'none'}",
        f"- feature families available: {', '.join(found['families_available'])}",
        f"- feature families absent (left out, not zero-filled): "
        f"{', '.join(found['families_absent']) or 'none'}",
    ]
    if found["label_parts_absent"]:
        lines.append(
            f"- label parts unavailable: {', '.join(found['label_parts_absent'])} (the escalation "
            "label comes from contacts alone: regulator channel, escalated flag, distinct "
            "channels; viral brand posts were not observed)"
        )
    return [*lines, ""]


def _config_lines(configs: Mapping[str, Any]) -> list[str]:
    """The feature, label and scoring configuration registered with the model."""
    features, scoring = configs.get("feature_config"), configs.get("scoring")
    lines = ["## Configuration registered with the model", ""]
    if features is None:
        lines.append("- features and labels: not recorded by the training snapshots")
    else:
        labels = features.get("labels", {})
        lines.append(
            f"- labels: horizon {labels.get('horizon_days')} days, repeat contact at "
            f"{labels.get('repeat_min_contacts')}+ inbound contacts"
        )
    if scoring is not None:
        lines.append(
            f"- scoring: tiers {scoring['tiers']}, reasons per customer: up to "
            f"{scoring['top_reasons']} (batch scoring and the service apply this configuration)"
        )
    lines += ["", "```json", json.dumps(dict(configs), indent=2, ensure_ascii=False), "```", ""]
    return lines


def _sampling_lines(sampling: tuple[float, int] | None) -> list[str]:
    if sampling is None:
        return []
    rate, fitted = sampling
    return [
        f"- negative subsampling: every positive and {rate:.1%} of the negatives kept "
        f"({fitted:,} rows fitted), negatives weighted {1 / rate:g}; probabilities are "
        "calibrated on the unsampled validation snapshot"
    ]
