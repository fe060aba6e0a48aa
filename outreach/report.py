"""The operations report as one self-contained HTML page (plots embedded as PNG images)."""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass, field

import pandas as pd

from outreach.config import TEAM_ORDER

TEAM_TITLES = {
    "crisis_team": "危机处理小组 crisis team",
    "supervisors": "值班主管 supervisors",
    "agents": "客服坐席 agents",
}
LIST_COLUMNS = {
    "rank": "#",
    "customer_id": "customer",
    "action_zh": "建议动作",
    "action_en": "action",
    "p_repeat_contact": "P(repeat)",
    "p_escalation": "P(escalation)",
    "net_value": "net value (yuan)",
    "reasons_zh": "原因",
}
STYLE = """
body{font-family:-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei",sans-serif;
margin:2em auto;max-width:1150px;color:#222}
h1{font-size:1.6em} h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:1.8em}
table{border-collapse:collapse;font-size:.85em;margin:.6em 0}
th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left} th{background:#f3f3f3}
.note{background:#fff7e0;border-left:4px solid #f0b400;padding:.5em 1em}
.muted{color:#777;font-size:.85em} img{max-width:100%}
"""


@dataclass(frozen=True)
class ReportContent:
    """Everything the report shows.

    Attributes:
        as_of: Snapshot date of today's list.
        plan: Output of :func:`outreach.policy.plan_outreach` (may be empty).
        backtest: Wide backtest table (``backtest_wide``) or ``None`` when not run yet.
        backtest_as_of: Snapshot the backtest was run on.
        effects: Simulated effect table (``effect_table``) or ``None``.
        assumed_effect: The treatment effect the simulation assumed.
        simulation_note: Size and seeds of the simulation.
        model_versions: Registered model name/version/alias per target.
        figures: Title -> PNG bytes.
        rows_per_team: Customers listed per team.
        social: Routed brand posts of the day (``score_posts`` output) or ``None``.
        monitoring: The monitoring page's HTML (``monitoring.report_page.monitoring_page``).
        measured: One line with the measured effect of the latest evaluated plan, shown first
            (details on the monitoring page), or ``None`` when no plan was evaluated yet.
    """

    as_of: str
    plan: pd.DataFrame
    backtest: pd.DataFrame | None = None
    backtest_as_of: str | None = None
    effects: pd.DataFrame | None = None
    assumed_effect: float | None = None
    simulation_note: str = ""
    model_versions: dict = field(default_factory=dict)
    figures: dict[str, bytes] = field(default_factory=dict)
    rows_per_team: int = 30
    social: pd.DataFrame | None = None
    monitoring: str | None = None
    measured: str | None = None


def figure_png(figure, dpi: int = 90) -> bytes:
    """A matplotlib figure as PNG bytes (the figure is closed)."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(figure)
    return buffer.getvalue()


def _image(title: str, png: bytes) -> str:
    data = base64.b64encode(png).decode("ascii")
    return f'<figure><img alt="{html.escape(title)}" src="data:image/png;base64,{data}"></figure>'


def _reasons_zh(reasons: object) -> str:
    if not isinstance(reasons, list | tuple):
        return ""
    return "；".join(str(item.get("zh") or item.get("feature", "")) for item in reasons)


def _percent_columns(table: pd.DataFrame) -> pd.DataFrame:
    out = table.copy()
    for column in out.columns:
        if column == "capacity" or column.endswith(("precision", "recall", "captured_volume")):
            out[column] = out[column].map(lambda v: "" if pd.isna(v) else f"{v:.1%}")
        elif column.endswith("lift"):
            out[column] = out[column].map(lambda v: "" if pd.isna(v) else f"{v:.1f}")
    return out


def _team_lists(plan: pd.DataFrame, rows: int) -> str:
    if plan.empty:
        return "<p>No customer is eligible for outreach today.</p>"
    contacted = plan.loc[plan["group"] == "outreach"].reset_index()
    parts = []
    for team in TEAM_ORDER:
        part = contacted.loc[contacted["team"] == team].head(rows).copy()
        total = int((contacted["team"] == team).sum())
        parts.append(f"<h3>{html.escape(TEAM_TITLES[team])}: {total} customers</h3>")
        if part.empty:
            parts.append("<p class='muted'>none today</p>")
            continue
        part["reasons_zh"] = part["reasons"].map(_reasons_zh) if "reasons" in part else ""
        for column in ("p_repeat_contact", "p_escalation"):
            part[column] = part[column].map(lambda v: f"{v:.0%}")
        part["net_value"] = part["net_value"].map(lambda v: f"{v:,.1f}")
        shown = part[[c for c in LIST_COLUMNS if c in part.columns]].rename(columns=LIST_COLUMNS)
        parts.append(shown.to_html(index=False, escape=True))
        if total > rows:
            parts.append(f"<p class='muted'>first {rows} of {total}; full list in plan.csv</p>")
    return "\n".join(parts)


def _holdout_line(plan: pd.DataFrame) -> str:
    if plan.empty:
        return ""
    held = int((plan["group"] == "holdout").sum())
    seed = plan["holdout_seed"].iloc[0]
    return (
        f"<p class='muted'>Control group: {held} customers who would have been contacted are "
        f"held out (seed {seed}) and must not be called; compare their outcomes with the "
        "contacted customers' to measure the real effect.</p>"
    )


def _social_section(warnings: pd.DataFrame, rows: int) -> str:
    routed = warnings.loc[warnings["route"] != "none"]
    crisis = int((routed["route"] == "crisis_team").sum())
    head = (
        f"<h3>社交媒体预警 Social-media early warning: {len(routed)} brand complaints, "
        f"{crisis} for the crisis team</h3>"
    )
    if routed.empty:
        return head
    shown = routed.sort_values("p_viral", ascending=False).head(rows).reset_index()
    shown["p_viral"] = shown["p_viral"].map(lambda v: f"{v:.0%}")
    shown["expected_reposts"] = shown["expected_reposts"].map(lambda v: f"{v:,.0f}")
    columns = ["post_id", "customer_id", "route_zh", "p_viral", "expected_reposts", "reason_zh"]
    return head + shown[[c for c in columns if c in shown]].to_html(index=False, escape=True)


def render_report(content: ReportContent) -> str:
    """The HTML page (UTF-8 text) for the operations team."""
    sections = [
        f"<h1>主动服务日报 Proactive outreach report — {html.escape(content.as_of)}</h1>",
        f"<p class='note'><b>{html.escape(content.measured)}</b></p>" if content.measured else "",
        "<h2>今日名单 Today's list by team</h2>",
        _team_lists(content.plan, content.rows_per_team),
        _holdout_line(content.plan),
    ]
    if "today's list" in content.figures:
        sections.append(_image("today's list", content.figures["today's list"]))
    if content.social is not None:
        sections.append(_social_section(content.social, content.rows_per_team))
    sections.append("<h2>回测 Backtest</h2>")
    if content.backtest is None:
        sections.append("<p>No backtest yet: run <code>procare outreach backtest</code>.</p>")
    else:
        sections.append(
            f"<p>Lists made on snapshot {html.escape(str(content.backtest_as_of))}, scored "
            "against what customers did in the following 30 days. Precision = share of the "
            "list with the outcome; recall = share of all such customers on the list; captured "
            "volume = share of the repeat contacts (beyond each customer's first) or "
            "regulator/flagged contacts made by the list.</p>"
        )
        sections.append(_percent_columns(content.backtest).to_html(index=False, escape=True))
    for title, png in content.figures.items():
        if title.startswith("gain"):
            sections.append(_image(title, png))
    sections.append("<h2>模拟效果 Simulated effect</h2>")
    if content.effects is None:
        sections.append("<p>No simulation yet: run <code>procare outreach simulate</code>.</p>")
    else:
        effect = content.assumed_effect
        sections.append(
            "<p class='note'>The effect of outreach is an <b>assumption</b> of the simulation: a "
            f"contacted customer makes {effect:.0%} fewer inbound contacts from the next day. The "
            "figures show what the lists would achieve under that assumption in the synthetic "
            f"world, not a measured effect. {html.escape(content.simulation_note)}</p>"
        )
        sections.append(content.effects.to_html(index=False, escape=True))
    for title, png in content.figures.items():
        if title.startswith("simulated"):
            sections.append(_image(title, png))
    if content.monitoring:
        sections.append(content.monitoring)
    sections.append("<h2>模型版本 Model versions</h2>")
    if content.model_versions:
        versions = pd.DataFrame(
            [{"target": target, **info} for target, info in content.model_versions.items()]
        )
        sections.append(versions.to_html(index=False, escape=True))
    else:
        sections.append("<p>Unknown (no scores with model versions).</p>")
    body = "\n".join(sections)
    return (
        "<!DOCTYPE html>\n<html lang='zh-CN'><head><meta charset='utf-8'>"
        f"<title>procare outreach {html.escape(content.as_of)}</title>"
        f"<style>{STYLE}</style></head><body>\n{body}\n</body></html>\n"
    )
