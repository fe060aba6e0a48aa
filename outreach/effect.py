"""Measured effect of a recorded outreach plan: contacted customers against the seeded holdout.

The policy puts a keyed-hash share of the eligible customers in a holdout and never contacts
them; the holdout customers the policy would have picked (at or above the last contacted value
of their team) are recorded in the plan as its control group. Because the hash does not depend
on risk, contacted and holdout customers are comparable, and the difference of their outcome
rates in ``(D, D + H]`` estimates the effect of outreach among the contacted.

Intervals for a difference of two independent proportions use Newcombe's hybrid score method
(Newcombe 1998, method 10: the Wilson score interval of each rate, combined): it is closed-form
(no resampling, the same figures on every run), keeps close to its nominal coverage at the small
group sizes a holdout cell has (Wald intervals do not), and stays defined when a group has no
events at all. Cells with fewer than ``min_group`` customers in either group are reported as
"not enough data" rather than with an interval too wide to act on.

Intention-to-treat (every listed customer counts as contacted) is the default: whether an agent
reached a customer is not random (the unreachable differ from the reachable), so comparing
only the reached with the whole holdout is biased. The per-protocol figure (reached customers
only) is shown beside it when the CRM's reached/not-reached file is given.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field
from scipy.stats import norm

from outreach.policy import HOLDOUT, OUTREACH

ITT = "intention_to_treat"
PER_PROTOCOL = "per_protocol"
OUTCOMES: tuple[str, ...] = ("repeat_contact", "reopened_ticket", "escalation")
"""Binary outcomes per customer: a repeat contact, any re-opened ticket, an escalation."""
OK = "ok"
NOT_ENOUGH = "not enough data"
EFFECT_COLUMNS = (
    "analysis",
    "segment",
    "value",
    "outcome",
    "n_contacted",
    "n_holdout",
    "events_contacted",
    "events_holdout",
    "rate_contacted",
    "rate_holdout",
    "difference",
    "ci_low",
    "ci_high",
    "relative_change",
    "nnt",
    "nnt_low",
    "nnt_high",
    "status",
)


class EffectConfig(BaseModel):
    """How the effect is measured.

    Attributes:
        confidence: Two-sided confidence level of the intervals.
        min_group: Fewest customers in each group (contacted, holdout) for a cell to get an
            estimate; smaller cells are reported as "not enough data".
        deciles: Risk bins of the plan's customers by ``p_repeat_contact`` (10 = deciles).
    """

    model_config = ConfigDict(extra="forbid")

    confidence: float = Field(0.95, gt=0.5, lt=1)
    min_group: int = Field(30, ge=1)
    deciles: int = Field(10, ge=1, le=100)


def wilson_interval(
    events: np.ndarray, n: np.ndarray, confidence: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a proportion (vectorized; ``nan`` where ``n == 0``)."""
    events = np.asarray(events, dtype=np.float64)
    n = np.asarray(n, dtype=np.float64)
    z = norm.ppf(0.5 + confidence / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = events / n
        denominator = 1 + z**2 / n
        center = (p + z**2 / (2 * n)) / denominator
        half = z / denominator * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    return np.clip(center - half, 0, 1), np.clip(center + half, 0, 1)


def difference_interval(
    events_1: np.ndarray,
    n_1: np.ndarray,
    events_0: np.ndarray,
    n_0: np.ndarray,
    confidence: float = 0.95,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Difference ``p1 - p0`` of two independent proportions and its Newcombe hybrid score
    interval (vectorized).

    Returns:
        The difference, the lower and the upper bound (``nan`` where a group is empty).
    """
    n_1 = np.asarray(n_1, dtype=np.float64)
    n_0 = np.asarray(n_0, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        p1 = np.asarray(events_1, dtype=np.float64) / n_1
        p0 = np.asarray(events_0, dtype=np.float64) / n_0
    l1, u1 = wilson_interval(events_1, n_1, confidence)
    l0, u0 = wilson_interval(events_0, n_0, confidence)
    difference = p1 - p0
    low = difference - np.sqrt((p1 - l1) ** 2 + (u0 - p0) ** 2)
    high = difference + np.sqrt((u1 - p1) ** 2 + (p0 - l0) ** 2)
    return difference, low, high


def number_needed(
    difference: np.ndarray, low: np.ndarray, high: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Customers to contact per avoided event, with its interval (Altman 1998).

    A difference ``d < 0`` (fewer events among the contacted) gives ``1 / -d``; a bound of the
    difference at or above zero makes that side of the interval unbounded (``inf``); no benefit
    at all (``d >= 0``) gives ``inf``.
    """

    def inverse(avoided: np.ndarray) -> np.ndarray:
        avoided = np.asarray(avoided, dtype=np.float64)
        with np.errstate(divide="ignore"):
            return np.where(avoided > 0, 1.0 / np.where(avoided > 0, avoided, 1.0), np.inf)

    nnt = np.where(np.isnan(difference), np.nan, inverse(-difference))
    nnt_low = np.where(np.isnan(low), np.nan, inverse(-low))
    nnt_high = np.where(np.isnan(high), np.nan, inverse(-high))
    return nnt, nnt_low, nnt_high


def binary_outcomes(outcomes: pd.DataFrame) -> pd.DataFrame:
    """The three binary outcomes from :func:`outreach.outcomes.window_outcomes`' columns."""
    return pd.DataFrame(
        {
            "repeat_contact": outcomes["repeat_contact"].astype(bool),
            "reopened_ticket": outcomes["reopened_tickets"].fillna(0).astype(np.int64) > 0,
            "escalation": outcomes["escalation"].astype(bool),
        },
        index=outcomes.index,
    )


def risk_deciles(p_repeat: pd.Series, bins: int = 10) -> pd.Series:
    """Risk bin of each plan customer by ``p_repeat_contact`` (1 = lowest, ``bins`` = highest),
    over contacted and holdout customers together so both groups share the cut points."""
    if p_repeat.empty:
        return pd.Series(pd.array([], dtype="Int64"), index=p_repeat.index, name="risk_decile")
    ranks = p_repeat.rank(method="first", pct=True)
    decile = np.ceil(ranks.to_numpy() * bins).clip(1, bins)
    decile = pd.array(np.where(np.isnan(decile), pd.NA, decile), dtype="Int64")
    return pd.Series(decile, index=p_repeat.index, name="risk_decile")


def _cells(frame: pd.DataFrame) -> pd.DataFrame:
    """Counts per segment (overall, team, risk decile), group and outcome."""
    parts = []
    for segment, key in (("overall", None), ("team", "team"), ("risk_decile", "risk_decile")):
        values = (
            pd.Series("all", index=frame.index) if key is None else frame[key].astype(str)
        ).rename("value")
        grouped = frame.groupby([values, frame["arm"]], observed=True)
        sums = grouped[list(OUTCOMES)].sum()
        sums["n"] = grouped.size()
        parts.append(sums.reset_index().assign(segment=segment))
    return pd.concat(parts, ignore_index=True)


def _estimates(cells: pd.DataFrame, config: EffectConfig) -> pd.DataFrame:
    wide = cells.pivot_table(
        index=["segment", "value"], columns="arm", values=["n", *OUTCOMES], fill_value=0
    )
    rows = []
    for outcome in OUTCOMES:
        table = pd.DataFrame(
            {
                "n_contacted": _column(wide, "n", OUTREACH),
                "n_holdout": _column(wide, "n", HOLDOUT),
                "events_contacted": _column(wide, outcome, OUTREACH),
                "events_holdout": _column(wide, outcome, HOLDOUT),
            }
        ).reset_index()
        table.insert(2, "outcome", outcome)
        rows.append(table)
    table = pd.concat(rows, ignore_index=True)
    n1, n0 = table["n_contacted"].to_numpy(), table["n_holdout"].to_numpy()
    e1, e0 = table["events_contacted"].to_numpy(), table["events_holdout"].to_numpy()
    enough = (n1 >= config.min_group) & (n0 >= config.min_group)
    difference, low, high = difference_interval(e1, n1, e0, n0, config.confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        table["rate_contacted"] = e1 / n1
        table["rate_holdout"] = e0 / n0
        relative = table["rate_contacted"] / table["rate_holdout"] - 1
    table["difference"] = np.where(enough, difference, np.nan)
    table["ci_low"] = np.where(enough, low, np.nan)
    table["ci_high"] = np.where(enough, high, np.nan)
    table["relative_change"] = np.where(enough, relative.replace([np.inf, -np.inf], np.nan), np.nan)
    nnt, nnt_low, nnt_high = number_needed(
        table["difference"].to_numpy(), table["ci_low"].to_numpy(), table["ci_high"].to_numpy()
    )
    repeat = (table["outcome"] == "repeat_contact").to_numpy()
    table["nnt"] = np.where(repeat, nnt, np.nan)
    table["nnt_low"] = np.where(repeat, nnt_low, np.nan)
    table["nnt_high"] = np.where(repeat, nnt_high, np.nan)
    short = [
        f"{NOT_ENOUGH} (contacted {a}, holdout {b}; need {config.min_group} each)"
        for a, b in zip(n1, n0, strict=True)
    ]
    table["status"] = np.where(enough, OK, np.array(short, dtype=object))
    return table


def _column(wide: pd.DataFrame, value: str, arm: str) -> pd.Series:
    if (value, arm) in wide.columns:
        return wide[(value, arm)].astype(np.int64)
    return pd.Series(0, index=wide.index, dtype=np.int64)


def _segment_order(table: pd.DataFrame) -> pd.DataFrame:
    segment_rank = table["segment"].map({"overall": 0, "team": 1, "risk_decile": 2})
    value_key = pd.to_numeric(table["value"], errors="coerce").fillna(-1)
    outcome_rank = table["outcome"].map({o: i for i, o in enumerate(OUTCOMES)})
    order = np.lexsort((outcome_rank, table["value"], value_key, segment_rank))
    return table.iloc[order].reset_index(drop=True)


def measure_effect(
    plan: pd.DataFrame,
    outcomes: pd.DataFrame,
    reached: pd.Series | None = None,
    config: EffectConfig | None = None,
) -> pd.DataFrame:
    """Contacted-vs-holdout difference in outcome rates, overall, per team and per risk decile.

    Args:
        plan: The recorded plan, indexed by customer_id, with ``group`` (``outreach`` /
            ``holdout``), ``team`` and ``p_repeat_contact``.
        outcomes: Per plan customer, :func:`outreach.outcomes.window_outcomes` columns
            (``repeat_contact``, ``escalation``, ``reopened_tickets``) or the three binary
            :data:`OUTCOMES`; customers missing here are left out of every cell.
        reached: Optional, indexed by customer_id: whether an agent reached the contacted
            customer (from the CRM). Adds per-protocol rows (reached contacted customers
            against the whole holdout); contacted customers absent from it count as not reached.
        config: Confidence level, smallest group, risk bins.

    Returns:
        One row per analysis (``intention_to_treat``, then ``per_protocol`` when ``reached`` is
        given), segment (``overall`` / ``team`` / ``risk_decile``), value and outcome with
        :data:`EFFECT_COLUMNS`: group sizes and events, rates, the difference (contacted minus
        holdout; negative = fewer events) and its interval, the relative change, the number
        needed to contact per avoided repeat contact (``repeat_contact`` rows) and ``status``
        (``ok`` or why there is not enough data, in which case the estimates are ``nan``).
    """
    config = config or EffectConfig()
    binary = outcomes if set(OUTCOMES) <= set(outcomes.columns) else binary_outcomes(outcomes)
    binary = binary[list(OUTCOMES)].astype(bool)
    frame = plan.loc[plan["group"].isin([OUTREACH, HOLDOUT]), ["group", "team"]].copy()
    frame["risk_decile"] = risk_deciles(plan.loc[frame.index, "p_repeat_contact"], config.deciles)
    frame = frame.join(binary, how="inner")
    frame["arm"] = frame["group"]
    analyses = [(ITT, frame)]
    if reached is not None:
        was_reached = reached.astype(bool).reindex(frame.index, fill_value=False)
        keep = (frame["group"] == HOLDOUT) | was_reached
        analyses.append((PER_PROTOCOL, frame.loc[keep]))
    tables = [
        _segment_order(_estimates(_cells(rows), config)).assign(analysis=name)
        for name, rows in analyses
    ]
    return pd.concat(tables, ignore_index=True)[list(EFFECT_COLUMNS)]


def headline(effect: pd.DataFrame, analysis: str = ITT) -> pd.DataFrame:
    """The overall rows of one analysis, indexed by outcome (for summaries and MLflow)."""
    rows = effect.loc[(effect["analysis"] == analysis) & (effect["segment"] == "overall")]
    return rows.set_index("outcome")


def effect_metrics(effect: pd.DataFrame) -> dict[str, float]:
    """Finite overall figures as flat metric names (``itt_repeat_contact_difference``, ...)."""
    metrics: dict[str, float] = {}
    short = {ITT: "itt", PER_PROTOCOL: "pp"}
    for analysis in effect["analysis"].unique():
        for outcome, row in headline(effect, analysis).iterrows():
            for column in (
                "n_contacted",
                "n_holdout",
                "rate_contacted",
                "rate_holdout",
                "difference",
                "ci_low",
                "ci_high",
                "relative_change",
                "nnt",
            ):
                value = float(row[column])
                if np.isfinite(value):
                    metrics[f"{short[analysis]}_{outcome}_{column}"] = value
    return metrics


def effect_summary(effect: pd.DataFrame) -> pd.DataFrame:
    """A compact view of :func:`measure_effect`'s table for consoles and reports: the difference
    with its interval as text, the relative change and the number needed to contact."""

    def interval(row: pd.Series) -> str:
        if not np.isfinite(row["difference"]):
            return "—"
        return f"{row['difference']:+.3f} [{row['ci_low']:+.3f}, {row['ci_high']:+.3f}]"

    def needed(row: pd.Series) -> str:
        if pd.isna(row["nnt"]) or not np.isfinite(row["nnt"]):
            return "—"
        high = "∞" if np.isinf(row["nnt_high"]) else f"{row['nnt_high']:.0f}"
        return f"{row['nnt']:.0f} [{row['nnt_low']:.0f}, {high}]"

    short = {ITT: "ITT", PER_PROTOCOL: "PP"}
    cell = effect["segment"].where(
        effect["segment"] == "overall", effect["segment"] + " " + effect["value"].astype(str)
    )
    rates = [
        "—" if pd.isna(a) or pd.isna(b) else f"{a:.3f} / {b:.3f}"
        for a, b in zip(effect["rate_contacted"], effect["rate_holdout"], strict=True)
    ]
    return pd.DataFrame(
        {
            "analysis": effect["analysis"].map(short),
            "cell": cell,
            "outcome": effect["outcome"],
            "n contacted / holdout": [
                f"{a} / {b}"
                for a, b in zip(effect["n_contacted"], effect["n_holdout"], strict=True)
            ],
            "rate contacted / holdout": rates,
            "difference [CI]": effect.apply(interval, axis=1),
            "relative": effect["relative_change"].map(lambda v: "—" if pd.isna(v) else f"{v:+.0%}"),
            "contacts per avoided repeat [CI]": effect.apply(needed, axis=1),
            "status": np.where(effect["status"] == OK, OK, NOT_ENOUGH),
        }
    )
