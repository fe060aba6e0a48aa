"""Capacity-aware outreach policy: whom to contact, with which action, and a seeded holdout.

Teams are filled in :data:`TEAM_ORDER` (crisis team, supervisors, agents). Each team ranks its
candidates by expected net value (yuan of avoided repeat contacts and escalations minus the
action's cost) and takes as many as its capacity allows. A candidate the crisis team cannot take
falls back to a supervisor escalation, and one the supervisors cannot take to the agent action
their reasons point to. A keyed hash of the customer id puts a fixed share of customers in the
holdout; holdout customers are never contacted, and those who would have been contacted (value
at or above the last contacted customer of the same team) are returned as the control group.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from outreach.config import ACTION_CODES, TEAM_OF_ACTION, TEAM_ORDER, OutreachConfig
from serving.scoring.actions import ACTION_LABELS, ActionConfig, action_from_reasons
from serving.scoring.score import reason_list

OUTREACH = "outreach"
HOLDOUT = "holdout"
PLAN_COLUMNS = (
    "group",
    "team",
    "rank",
    "action",
    "action_zh",
    "action_en",
    "p_repeat_contact",
    "p_escalation",
    "expected_avoided_repeat",
    "expected_avoided_escalation",
    "net_value",
    "holdout_seed",
)
_TEAM_INDEX = {team: i for i, team in enumerate(TEAM_ORDER)}
_ACTION_INDEX = {action: i for i, action in enumerate(ACTION_CODES)}
_ACTION_TEAM = np.array([_TEAM_INDEX[TEAM_OF_ACTION[a]] for a in ACTION_CODES])
_CRISIS = _ACTION_INDEX["crisis_team_handoff"]
_SUPERVISOR = _ACTION_INDEX["supervisor_escalation"]
_AGENT_DEFAULT = _ACTION_INDEX["care_call"]


def holdout_uniform(customer_ids: pd.Index | np.ndarray, seed: int) -> np.ndarray:
    """A uniform number in [0, 1) per customer id, fixed by the id and the seed alone."""
    values = np.asarray(pd.Index(customer_ids).astype(str), dtype=object)
    hashed = pd.util.hash_array(values, hash_key=f"holdout{seed % 10**9:09d}", categorize=False)
    return (hashed >> np.uint64(11)).astype(np.float64) / float(2**53)


def holdout_mask(customer_ids: pd.Index | np.ndarray, share: float, seed: int) -> np.ndarray:
    """Whether each customer belongs to the seeded holdout (control group)."""
    if share <= 0:
        return np.zeros(len(customer_ids), dtype=bool)
    return holdout_uniform(customer_ids, seed) < share


def _initial_actions(scores: pd.DataFrame) -> np.ndarray:
    if "action" in scores:
        codes = scores["action"].map(_ACTION_INDEX)
        if codes.isna().any():
            bad = sorted(set(scores["action"][codes.isna()].astype(str)))[:5]
            raise ValueError(f"scores hold unknown action codes {bad}")
        return codes.to_numpy(dtype=np.int64)
    p_esc = scores["p_escalation"].to_numpy(dtype=np.float64)
    supervise = p_esc >= ActionConfig().supervisor_escalation_p
    return np.where(supervise, _SUPERVISOR, _AGENT_DEFAULT).astype(np.int64)


def _agent_fallback(scores: pd.DataFrame, rows: np.ndarray) -> np.ndarray:
    """The agent action the reasons of ``rows`` point to (care call without reasons)."""
    if "reasons" not in scores or rows.size == 0:
        return np.full(rows.size, _AGENT_DEFAULT, dtype=np.int64)
    reasons = scores["reasons"].to_numpy(dtype=object)[rows]
    names = [[item["feature"] for item in reason_list(r)] for r in reasons]
    return np.array([_ACTION_INDEX[action_from_reasons(n)] for n in names], dtype=np.int64)


def _effects(config: OutreachConfig) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    effects = [config.actions[a] for a in ACTION_CODES]
    return (
        np.array([e.cost for e in effects]),
        np.array([e.repeat_effect for e in effects]),
        np.array([e.escalation_effect for e in effects]),
    )


def _fill_team(
    net: np.ndarray, ok: np.ndarray, held: np.ndarray, lenders: list[tuple[int, int]]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[tuple[int, int]]]:
    """Fill one team's slots from candidates sorted by net value (best first).

    Args:
        net: Net value per candidate, descending.
        ok: Candidate is eligible.
        held: Candidate is in the holdout.
        lenders: ``(team index, slots)``: the team's own capacity first, then capacity lent by
            teams placed earlier.

    Returns:
        Positions contacted, the team performing each, positions of the holdout control group
        (held-out candidates valued at least as high as the last one contacted) and the
        capacity still unused per team.
    """
    slots = sum(count for _, count in lenders)
    chosen = np.flatnonzero(ok & ~held)[:slots]
    performers = np.repeat([t for t, _ in lenders], [c for _, c in lenders])[: chosen.size]
    if slots == 0:
        cutoff = np.inf
    elif chosen.size == slots:
        cutoff = net[chosen[-1]]
    else:
        cutoff = -np.inf
    control = np.flatnonzero(ok & held & (net >= cutoff))
    used = np.bincount(performers, minlength=len(TEAM_ORDER))
    spare = [(t, c - int(used[t])) for t, c in lenders if c > used[t]]
    return chosen, performers, control, spare


def plan_outreach(scores: pd.DataFrame, config: OutreachConfig | None = None) -> pd.DataFrame:
    """Choose whom to contact and how, within each team's capacity, with a seeded holdout.

    Args:
        scores: Indexed by customer_id, with ``p_repeat_contact`` and ``p_escalation``;
            optionally ``action`` (an action code, e.g. from ``serving.scoring.score``; derived from
            ``p_escalation`` when absent), ``reasons`` (lists of reason dicts, used to pick the
            agent action of a case the supervisors cannot take) and ``risk_tier``, which are
            carried through. Rows with a missing probability are not eligible.
        config: Capacities, action costs and effects, holdout.

    Returns:
        Indexed by customer_id: the contacted customers (``group == "outreach"``) and the holdout
        customers who would have been contacted (``group == "holdout"``), with ``team``, ``rank``
        (1 = first call within the team and group), ``action``, ``action_zh``, ``action_en``,
        both probabilities, ``expected_avoided_repeat``, ``expected_avoided_escalation``,
        ``net_value`` (yuan), ``holdout_seed`` and the carried columns. Per team, the outreach
        rows never exceed the capacity (plus capacity lent by a team placed earlier).
    """
    config = config or OutreachConfig()
    n = len(scores)
    p_rep = scores["p_repeat_contact"].to_numpy(dtype=np.float64, na_value=np.nan)
    p_esc = scores["p_escalation"].to_numpy(dtype=np.float64, na_value=np.nan)
    cost, rep_effect, esc_effect = _effects(config)
    action = _initial_actions(scores)
    held = holdout_mask(scores.index, config.holdout_share, config.holdout_seed)
    active = np.isfinite(p_rep) & np.isfinite(p_esc)
    group = np.zeros(n, dtype=np.int8)
    team = np.full(n, -1, dtype=np.int64)
    value = np.full(n, np.nan)
    spare: list[tuple[int, int]] = []

    for stage, team_name in enumerate(TEAM_ORDER):
        rows = np.flatnonzero(active & (_ACTION_TEAM[action] == stage))
        net = (
            config.repeat_value * p_rep[rows] * rep_effect[action[rows]]
            + config.escalation_value * p_esc[rows] * esc_effect[action[rows]]
            - cost[action[rows]]
        )
        ok = (
            np.ones(rows.size, dtype=bool)
            if config.min_net_value is None
            else (net > config.min_net_value)
        )
        order = np.argsort(-net, kind="stable")
        rows, net, ok = rows[order], net[order], ok[order]
        own = config.capacity.of(team_name)
        lenders = [(stage, own), *spare] if config.lend_unused_capacity else [(stage, own)]
        chosen, performers, control, spare = _fill_team(net, ok, held[rows], lenders)
        team[rows[chosen]] = performers
        group[rows[chosen]] = 1
        value[rows[chosen]] = net[chosen]
        team[rows[control]] = stage
        group[rows[control]] = 2
        value[rows[control]] = net[control]
        active[rows[chosen]] = False
        active[rows[control]] = False
        left = rows[active[rows]]
        if team_name == "crisis_team":
            action[left] = _SUPERVISOR
        elif team_name == "supervisors":
            action[left] = _agent_fallback(scores, left)

    picked = np.flatnonzero(group > 0)
    picked = picked[np.lexsort((-value[picked], team[picked], group[picked]))]
    return _plan_frame(scores, picked, group, team, action, value, p_rep, p_esc, config)


def _plan_frame(
    scores: pd.DataFrame,
    picked: np.ndarray,
    group: np.ndarray,
    team: np.ndarray,
    action: np.ndarray,
    value: np.ndarray,
    p_rep: np.ndarray,
    p_esc: np.ndarray,
    config: OutreachConfig,
) -> pd.DataFrame:
    _, rep_effect, esc_effect = _effects(config)
    codes = np.array(ACTION_CODES, dtype=object)[action[picked]]
    groups = np.where(group[picked] == 1, OUTREACH, HOLDOUT)
    teams = np.array(TEAM_ORDER, dtype=object)[team[picked]]
    out = pd.DataFrame(
        {
            "group": groups,
            "team": teams,
            "action": codes,
            "action_zh": [ACTION_LABELS[a][0] for a in codes],
            "action_en": [ACTION_LABELS[a][1] for a in codes],
            "p_repeat_contact": p_rep[picked],
            "p_escalation": p_esc[picked],
            "expected_avoided_repeat": p_rep[picked] * rep_effect[action[picked]],
            "expected_avoided_escalation": p_esc[picked] * esc_effect[action[picked]],
            "net_value": value[picked],
            "holdout_seed": config.holdout_seed,
        },
        index=scores.index[picked],
    )
    out.insert(2, "rank", out.groupby(["group", "team"], sort=False).cumcount() + 1)
    for column in ("risk_tier", "reasons"):
        if column in scores:
            out[column] = scores[column].to_numpy(dtype=object)[picked]
    out.index.name = "customer_id"
    return out
