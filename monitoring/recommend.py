"""The retrain recommendation: realized ranking quality or drift of the features that matter."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from monitoring.config import RecommendConfig

RETRAIN = "retrain recommended"
KEEP = "no retrain needed"


@dataclass(frozen=True)
class Recommendation:
    """Whether to retrain, and why.

    Attributes:
        retrain: Retraining is recommended.
        reasons: One sentence per rule that fired (empty when none did).
        checked: What could be checked (e.g. realized PR AUC is unknown before the horizon).
    """

    retrain: bool
    reasons: tuple[str, ...] = ()
    checked: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """``retrain recommended`` or ``no retrain needed``."""
        return RETRAIN if self.retrain else KEEP

    @property
    def summary(self) -> str:
        """The label with its reasons, in one line."""
        return self.label + (": " + "; ".join(self.reasons) if self.reasons else "")


def _known(value: float | None) -> bool:
    return value is not None and not math.isnan(value)


def recommend(
    drift: pd.DataFrame,
    realized_pr_auc: Mapping[str, float | None],
    validation_pr_auc: Mapping[str, float | None],
    config: RecommendConfig | None = None,
) -> Recommendation:
    """Apply the retrain rule.

    Args:
        drift: Ranked drift rows (:func:`monitoring.drift.rank_drift`).
        realized_pr_auc: PR AUC of each target on the monitored snapshot (``None``: the
            horizon has not passed).
        validation_pr_auc: PR AUC each champion had on its validation snapshot.
        config: Thresholds.
    """
    config = config or RecommendConfig()
    reasons, checked = [], []
    for target, realized in realized_pr_auc.items():
        validation = validation_pr_auc.get(target)
        if not (_known(realized) and _known(validation)):
            checked.append(f"{target}: realized PR AUC not known yet")
            continue
        floor = config.pr_auc_share * validation
        checked.append(f"{target}: realized PR AUC {realized:.3f} vs floor {floor:.3f}")
        if realized < floor:
            reasons.append(
                f"{target} realized PR AUC {realized:.3f} < {config.pr_auc_share:.0%} of its "
                f"validation PR AUC {validation:.3f}"
            )
    top = drift.loc[drift["top_weighted"]] if len(drift) else drift
    drifted = top.loc[top["psi"] > config.drift_psi, "feature"].tolist() if len(top) else []
    checked.append(f"{len(top)} top-weighted features against PSI {config.drift_psi:g}")
    if len(drifted) >= config.min_drifted:
        more = f" and {len(drifted) - 5} more" if len(drifted) > 5 else ""
        shown = ", ".join(drifted[:5]) + more
        reasons.append(
            f"{len(drifted)} top-weighted feature(s) drifted beyond PSI {config.drift_psi:g}: "
            f"{shown}"
        )
    return Recommendation(bool(reasons), tuple(reasons), tuple(checked))
