"""The monitoring page of the operations report: drift, expected vs realized over time, the
measured effect of outreach, and the retrain advice (HTML, plot embedded as PNG)."""

from __future__ import annotations

import base64
import html
import io
from datetime import date

import pandas as pd

from features.vocabulary import TARGETS
from monitoring.history import DRIFT_ARTIFACT, monitoring_runs, run_table
from training.tracking import TrackingSettings

DRIFT_ROWS = 15
EFFECT_COLUMNS = ("estimate", "low", "high")
PLOT_CAPACITY = "5pct"


def performance_figure(history: pd.DataFrame, capacity: str = PLOT_CAPACITY):
    """Expected and realized precision at one capacity per monitored date, per target."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(1, len(TARGETS), figsize=(5 * len(TARGETS), 3.2), squeeze=False)
    dates = pd.to_datetime(history["as_of"])
    for axis, target in zip(axes[0], TARGETS, strict=True):
        for source, style in (("expected", "--o"), ("realized", "-s")):
            name = f"{source}.precision.{target}.{capacity}"
            if name in history:
                axis.plot(dates, history[name], style, label=f"{source} precision")
        axis.set_title(f"{target} — top {capacity.removesuffix('pct')}% of the base")
        axis.set_ylim(bottom=0)
        axis.legend(fontsize=8)
        axis.tick_params(axis="x", labelrotation=30, labelsize=8)
    figure.tight_layout()
    return figure


def _png(figure) -> str:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    plt.close(figure)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<figure><img alt="expected vs realized" src="data:image/png;base64,{data}"></figure>'


def _effect_section(effect: pd.DataFrame | None, note: str | None = None) -> str:
    head = "<h3>实测效果 Measured effect of outreach</h3>"
    if effect is None or effect.empty:
        return head + (
            "<p>No measured effect yet: run <code>procare outreach evaluate --plan-as-of D</code> "
            "once D+30 is ingested (D: the date of a recorded plan).</p>"
        )
    if note:
        head += f"<p class='note'>{html.escape(note)}</p>"
    missing = [c for c in EFFECT_COLUMNS if c not in effect.columns]
    if missing:
        raise ValueError(f"measured effect rows lack columns: {', '.join(missing)}")
    return head + (
        "<p>Contacted minus held-out customers; low–high is the 95% interval.</p>"
        + effect.to_html(index=False, escape=True, float_format=lambda v: f"{v:.3f}")
    )


def monitoring_section(
    history: pd.DataFrame,
    drift: pd.DataFrame | None,
    measured_effect: pd.DataFrame | None = None,
    effect_note: str | None = None,
) -> str:
    """The page's HTML.

    Args:
        history: :func:`monitoring.history.monitoring_runs` rows up to the report's date.
        drift: The latest run's ranked drift table (``None``: none logged).
        measured_effect: Rows of the measured effect of outreach with ``estimate``, ``low``
            and ``high`` (and any label columns, e.g. team, metric), or ``None`` when not
            measured yet.
        effect_note: One line above the measured effect (which plan, where it was measured).
    """
    parts = ["<h2>监控 Monitoring</h2>"]
    if history.empty:
        parts.append("<p>No monitoring run yet: run <code>procare monitor --as-of D</code>.</p>")
        parts.append(_effect_section(measured_effect, effect_note))
        return "\n".join(parts)
    last = history.iloc[-1]
    advice = "retrain recommended" if last["retrain"] else "no retrain needed"
    css = "note" if last["retrain"] else "muted"
    reason = f": {html.escape(str(last['reason']))}" if last["reason"] else ""
    parts.append(f"<p class='{css}'><b>{advice}</b> (monitoring of {last['as_of']}){reason}</p>")
    parts.append(
        "<h3>特征漂移 Feature drift</h3><p class='muted'>PSI against the champions' training "
        "snapshots on bins fixed from them: below 0.1 stable, 0.1–0.25 moderate, above 0.25 "
        "major. Features the champions weight most come first.</p>"
    )
    if drift is not None and len(drift):
        shown = drift.head(DRIFT_ROWS)
        parts.append(shown.to_html(index=False, escape=True, float_format=lambda v: f"{v:.3f}"))
    parts.append(
        "<h3>预期与实际 Expected vs realized precision</h3><p class='muted'>Expected: from the "
        "calibrated probabilities on the day of the list; realized: from the outcomes once the "
        "30-day horizon has passed.</p>"
    )
    parts.append(_png(performance_figure(history)))
    parts.append(_effect_section(measured_effect, effect_note))
    return "\n".join(parts)


def monitoring_page(
    settings: TrackingSettings,
    as_of: date,
    measured_effect: pd.DataFrame | None = None,
    effect_note: str | None = None,
) -> str:
    """The monitoring section of the report of ``as_of``, from the ``procare-monitoring`` runs.

    Args:
        settings: The MLflow store.
        as_of: The report's date (runs of later dates are left out).
        measured_effect: The measured effect of outreach (see :func:`monitoring_section`).
        effect_note: One line above the measured effect (see :func:`monitoring_section`).
    """
    history = monitoring_runs(settings)
    history = history.loc[history["as_of"] <= as_of] if len(history) else history
    drift = None
    if not history.empty:
        drift = run_table(settings, history.iloc[-1]["run_id"], DRIFT_ARTIFACT)
    return monitoring_section(history.reset_index(drop=True), drift, measured_effect, effect_note)
