"""Exact label probabilities for every customer and month-end snapshot.

Given the state at ``T``, inbound contacts in the window ``(T, T + H]`` on each channel are
independent Poisson processes (regime ``t`` and, for the carried days after a short month,
regime ``t - 1``); the ``escalated_flag`` and attribution are independent thinnings; brand posts
are a Poisson process whose repost counts are lognormal. So, with ``F_c`` / ``U_c`` the expected
attributed flagged / unflagged contacts on channel ``c``, ``G`` the regulator contacts and ``V``
the viral brand posts of bound accounts:

- ``P(repeat) = 1 - P(Poisson(sum F + U + G) < r)``;
- ``P(no escalation) = exp(-G - sum F - V) * P(#{c : Poisson(U_c) > 0} < m)`` (Poisson-binomial).

Within-month shocks of regime ``t`` (an outage, a suspension) add a burst of contacts and posts
whose whole mass lies inside the window, so the result is an exact mixture over "no shock" and
"shock" (with the start day mattering only for treated customers, whose burst is thinned after the
treatment start: there the mixture runs over the start days too). The treatment scales inbound
exposure after its start. The result is a probability, not an estimate: it is what a perfect
model could know at ``T``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipelines.synthetic.calendar import Calendar
from pipelines.synthetic.config import LabelParams
from pipelines.synthetic.contact_batch import OUTAGE_SOURCE, SUSPENSION_SOURCE
from pipelines.synthetic.regime_rates import RegimeRates
from pipelines.synthetic.treatment import TreatmentPlan

__all__ = ["ShockTiming", "TreatmentPlan", "oracle_columns", "snapshot_oracle"]

CHUNK = 100_000


@dataclass
class _Exposure:
    calendar: float
    after: float

    def inbound(self, damp: np.ndarray) -> np.ndarray:
        return self.calendar - damp * self.after


def _piece(calendar: Calendar, plan: TreatmentPlan, month: int, a: int, b: int) -> _Exposure:
    if b <= a:
        return _Exposure(0.0, 0.0)
    first, end = calendar.day(month, a), calendar.day(month, b)
    return _Exposure(float(b - a), plan.after_days(first, end))


def _add(*pieces: _Exposure) -> _Exposure:
    return _Exposure(sum(p.calendar for p in pieces), sum(p.after for p in pieces))


def _at_most(present: np.ndarray, k: int) -> np.ndarray:
    """``P(sum_c Bernoulli(present[:, c]) <= k)`` by dynamic programming over channels."""
    m = present.shape[0]
    dist = [np.ones(m)] + [np.zeros(m) for _ in range(k)]
    for c in range(present.shape[1]):
        p = present[:, c]
        for j in range(k, 0, -1):
            dist[j] = dist[j] + (dist[j - 1] - dist[j]) * p
        dist[0] = dist[0] * (1.0 - p)
    return np.sum(dist, axis=0)


def _poisson_below(mean: np.ndarray, r: int) -> np.ndarray:
    term = np.exp(-mean)
    total = term.copy()
    for j in range(1, r):
        term = term * mean / j
        total += term
    return total


@dataclass
class _Terms:
    """Expected attributed counts in the window: per-channel flagged/unflagged contacts,
    regulator contacts and viral brand posts of bound accounts."""

    flagged: np.ndarray
    unflagged: np.ndarray
    regulator: np.ndarray
    viral: np.ndarray

    def take(self, rows: np.ndarray) -> _Terms:
        return _Terms(
            self.flagged[rows], self.unflagged[rows], self.regulator[rows], self.viral[rows]
        )

    def plus(self, other: _Terms, inbound: np.ndarray | float) -> _Terms:
        """``self + other`` with ``other``'s contacts scaled by ``inbound`` (treatment)."""
        f = np.asarray(inbound, dtype=np.float64)
        f2 = f[:, None] if f.ndim else f
        return _Terms(
            self.flagged + f2 * other.flagged,
            self.unflagged + f2 * other.unflagged,
            self.regulator + f * other.regulator,
            self.viral + other.viral,
        )

    def probabilities(self, labels: LabelParams) -> tuple[np.ndarray, np.ndarray]:
        """``P(fewer than r contacts)`` and ``P(no escalation)``."""
        total = self.flagged.sum(axis=1) + self.unflagged.sum(axis=1) + self.regulator
        below = _poisson_below(total, labels.repeat_min_contacts)
        present = -np.expm1(-self.unflagged)
        few = _at_most(present, labels.escalation_min_channels - 1)
        quiet = np.exp(-self.regulator - self.flagged.sum(axis=1) - self.viral) * few
        return below, quiet


def _terms(
    rates: RegimeRates,
    rows: slice,
    contacts: np.ndarray,
    regulator: np.ndarray,
    viral_posts: np.ndarray,
) -> _Terms:
    """Terms of a rate source: contacts spread by channel mix, thinned by attribution/flag."""
    flagged, unflagged = rates.channel_weights()
    volume = contacts[:, None]
    return _Terms(volume * flagged[rows], volume * unflagged[rows], regulator, viral_posts)


@dataclass(frozen=True)
class ShockTiming:
    """Start days (0-based, inclusive range) and burst length of a within-month shock."""

    first: int
    last: int
    burst: int

    def inbound_levels(
        self, calendar: Calendar, month: int, plan: TreatmentPlan
    ) -> list[tuple[float, float]]:
        """``(share of the burst after the treatment start, probability)`` over start days."""
        offset = float((plan.start - calendar.month_starts[month]).astype(int))
        days = np.arange(self.first, self.last + 1, dtype=np.float64)
        after = np.clip(days + self.burst - np.maximum(days, offset), 0.0, self.burst)
        shares, counts = np.unique(after / self.burst, return_counts=True)
        return list(zip(shares.tolist(), (counts / len(days)).tolist(), strict=True))


def _mixture(
    base: _Terms,
    outage: _Terms,
    suspension: _Terms,
    p_outage: np.ndarray,
    p_suspension: np.ndarray,
    outage_levels: list[tuple[float, np.ndarray]],
    suspension_levels: list[tuple[float, np.ndarray]],
    labels: LabelParams,
) -> tuple[np.ndarray, np.ndarray]:
    """Mix the label probabilities over no shock / a shock (per start-day level) of each kind.

    Levels are ``(weight, inbound factor per row)``: the inbound factor scales the burst's
    contacts (treatment), the weight is the probability of that level given the shock.
    """
    m = len(p_outage)
    below = np.zeros(m)
    quiet = np.zeros(m)
    exposed = np.flatnonzero(p_suspension > 0)
    out_cases = [(1.0 - p_outage, None)] + [(w * p_outage, f) for w, f in outage_levels]
    for w_out, f_out in out_cases:
        terms = base if f_out is None else base.plus(outage, f_out)
        b, q = terms.probabilities(labels)
        w = w_out * (1.0 - p_suspension)
        below += w * b
        quiet += w * q
        if exposed.size == 0:
            continue
        sub = terms.take(exposed)
        sub_susp = suspension.take(exposed)
        for w_susp, f_susp in suspension_levels:
            b, q = sub.plus(sub_susp, f_susp[exposed]).probabilities(labels)
            w = w_out[exposed] * w_susp * p_suspension[exposed]
            below[exposed] += w * b
            quiet[exposed] += w * q
    return below, quiet


def _window_probs(
    prev: RegimeRates | None,
    cur: RegimeRates,
    calendar: Calendar,
    t: int,
    plan: TreatmentPlan,
    labels: LabelParams,
    timings: tuple[ShockTiming, ShockTiming],
    rows: slice,
) -> tuple[np.ndarray, np.ndarray]:
    m = rows.stop - rows.start
    damp = plan.effect * plan.treated[rows]
    (cm, ca, cb), own = calendar.window_pieces(t)
    carry = _piece(calendar, plan, cm, ca, cb)
    main = _add(*[_piece(calendar, plan, month, a, b) for month, a, b in own])
    zeros = np.zeros(m)

    damp_nr, damp_reg = plan.inbound_damp(cur, rows)
    base = _terms(
        cur,
        rows,
        cur.nonregulator[rows] * (main.inbound(damp_nr) / 30.0),
        cur.regulator[rows] * (main.inbound(damp_reg) / 30.0),
        cur.posts[rows] * cur.viral[rows] * main.calendar / 30.0,
    )
    if carry.calendar > 0 and prev is not None:
        damp_nr, damp_reg = plan.inbound_damp(prev, rows)
        carried = _terms(
            prev,
            rows,
            prev.nonregulator[rows] * (carry.inbound(damp_nr) / 30.0),
            prev.regulator[rows] * (carry.inbound(damp_reg) / 30.0),
            prev.posts[rows] * prev.viral[rows] * carry.calendar / 30.0,
        )
        base = base.plus(carried, 1.0)

    outage = _terms(
        cur, rows, cur.outage_extra[rows], zeros, cur.outage_posts[rows] * cur.viral[rows]
    )
    suspension = _terms(
        cur,
        rows,
        cur.suspension_extra[rows],
        cur.suspension_regulator[rows],
        cur.suspension_posts[rows] * cur.viral_suspension[rows],
    )
    month = own[0][0]
    ones = np.ones(m)
    below, quiet = _mixture(
        base,
        outage,
        suspension,
        cur.p_outage[rows],
        cur.p_suspension[rows],
        [(1.0, ones)],
        [(1.0, ones)],
        labels,
    )
    treated = np.flatnonzero(damp > 0)
    if treated.size:
        burst_damp = (damp[treated], damp[treated])
        if plan.by_source is not None:
            burst_damp = tuple(
                np.full(treated.size, plan.source_effect(source))
                for source in (OUTAGE_SOURCE, SUSPENSION_SOURCE)
            )
        levels = [
            [(w, 1.0 - d * share) for share, w in timing.inbound_levels(calendar, month, plan)]
            for timing, d in zip(timings, burst_damp, strict=True)
        ]
        b, q = _mixture(
            base.take(treated),
            outage.take(treated),
            suspension.take(treated),
            cur.p_outage[rows][treated],
            cur.p_suspension[rows][treated],
            levels[0],
            levels[1],
            labels,
        )
        below[treated] = b
        quiet[treated] = q
    return 1.0 - below, 1.0 - quiet


def snapshot_oracle(
    prev: RegimeRates | None,
    cur: RegimeRates,
    calendar: Calendar,
    t: int,
    plan: TreatmentPlan,
    labels: LabelParams,
    timings: tuple[ShockTiming, ShockTiming],
) -> tuple[np.ndarray, np.ndarray]:
    """Exact ``P(repeat_contact)`` and ``P(escalation)`` for the snapshot at the end of month t.

    Args:
        prev: Regime ``t - 1`` with its realized shocks (governs carried days), if any.
        cur: Regime ``t`` (fixed by the state at ``T_t``).
        calendar: Month layout.
        t: Month index of the snapshot.
        plan: Treatment plan.
        labels: Label definitions.
        timings: Start days and burst lengths of the outage and suspension shocks.

    Returns:
        Two ``float64`` arrays over customers.
    """
    n = len(cur.flag)
    p_repeat = np.empty(n)
    p_escalation = np.empty(n)
    for start in range(0, n, CHUNK):
        rows = slice(start, min(n, start + CHUNK))
        p_repeat[rows], p_escalation[rows] = _window_probs(
            prev, cur, calendar, t, plan, labels, timings, rows
        )
    return np.clip(p_repeat, 0.0, 1.0), np.clip(p_escalation, 0.0, 1.0)


def oracle_columns(
    customer_ids: pd.arrays.ArrowStringArray,
    as_of: pd.Timestamp,
    p_repeat: np.ndarray,
    p_escalation: np.ndarray,
) -> dict[str, object]:
    """One snapshot of the oracle table, as columns."""
    return {
        "customer_id": customer_ids,
        "as_of": np.full(len(p_repeat), as_of.to_datetime64(), dtype="datetime64[ns]"),
        "p_repeat_contact": p_repeat,
        "p_escalation": p_escalation,
    }
