"""Outreach lists from batch scores, through the product's outreach policy.

The policy (:func:`outreach.plan_outreach`) fills each team's capacity by expected net
value and holds out a seeded control group (a keyed hash of the customer id, so the same seed
always holds out the same customers). Plans can be written to disk so the effect of outreach can
be measured against the control group later.
"""

from __future__ import annotations

import json
import logging
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from outreach import HOLDOUT, OUTREACH, OutreachConfig, TeamCapacity, plan_outreach
from pipelines.catalog import OutreachStore
from pipelines.storage import write_parquet_atomic
from serving.api.lookup import ScoreTable
from serving.api.schemas import OutreachRequest
from serving.scoring.score import reason_list

logger = logging.getLogger(__name__)


def outreach_config(request: OutreachRequest, base: OutreachConfig | None = None) -> OutreachConfig:
    """The policy configuration of a request (capacity split over the teams by the policy)."""
    values = (base or OutreachConfig()).model_dump()
    values["capacity"] = TeamCapacity.split(request.capacity).model_dump()
    values["holdout_share"] = request.holdout_fraction
    if request.holdout_seed is not None:
        values["holdout_seed"] = request.holdout_seed
    if request.fill_capacity:
        values["min_net_value"] = None
    if request.target == "repeat_contact":
        values["escalation_value"] = 0.0
    elif request.target == "escalation":
        values["repeat_value"] = 0.0
    return OutreachConfig.model_validate(values)


def _customers(plan: pd.DataFrame) -> list[dict[str, Any]]:
    columns = {name: plan[name].to_numpy(dtype=object) for name in plan.columns}
    reasons = columns.get("reasons", np.full(len(plan), None, dtype=object))
    tiers = columns.get("risk_tier", np.full(len(plan), None, dtype=object))
    return [
        {
            "customer_id": str(customer_id),
            "group": columns["group"][row],
            "contact": columns["group"][row] == OUTREACH,
            "team": columns["team"][row],
            "rank": int(columns["rank"][row]),
            "action": {
                "code": columns["action"][row],
                "zh": columns["action_zh"][row],
                "en": columns["action_en"][row],
                "team": columns["team"][row],
            },
            "p_repeat_contact": float(columns["p_repeat_contact"][row]),
            "p_escalation": float(columns["p_escalation"][row]),
            "risk_tier": tiers[row],
            "net_value": float(columns["net_value"][row]),
            "expected_avoided_repeat": float(columns["expected_avoided_repeat"][row]),
            "expected_avoided_escalation": float(columns["expected_avoided_escalation"][row]),
            "reasons": reason_list(reasons[row]),
        }
        for row, customer_id in enumerate(plan.index)
    ]


def record_plan(plan: pd.DataFrame, folder: Path, plan_id: str, as_of: str) -> Path:
    """Write a plan (both groups, reasons as JSON) to ``<folder>/plan_<as_of>_<id>.parquet``."""
    table = plan.reset_index()
    if "reasons" in table:
        table["reasons"] = [
            json.dumps(r, ensure_ascii=False, default=str) for r in table["reasons"]
        ]
    table.insert(0, "plan_id", plan_id)
    table["created_at"] = pd.Timestamp(datetime.now(UTC)).tz_localize(None)
    return write_parquet_atomic(table, OutreachStore(folder).service_plan(as_of, plan_id))


def plan_response(
    table: ScoreTable, request: OutreachRequest, outreach_dir: Path | None = None
) -> dict[str, Any]:
    """An ``OutreachResponse`` dict: the customers to contact and the held-out control group."""
    config = outreach_config(request)
    plan = plan_outreach(table.frame, config)
    plan_id = uuid.uuid4().hex[:16]
    as_of = table.as_of.isoformat()
    if outreach_dir is not None:
        record_plan(plan, outreach_dir, plan_id, as_of)
    customers = _customers(plan)
    outreach = [c for c in customers if c["group"] == OUTREACH]
    holdout = [c for c in customers if c["group"] == HOLDOUT]
    logger.info(
        "outreach plan %s on %s: capacity %d, %d to contact, %d held out (seed %d)",
        plan_id,
        as_of,
        request.capacity,
        len(outreach),
        len(holdout),
        config.holdout_seed,
    )
    return {
        "plan_id": plan_id,
        "as_of": table.as_of,
        "capacity": request.capacity,
        "target": request.target,
        "holdout_fraction": request.holdout_fraction,
        "holdout_seed": config.holdout_seed,
        "model_versions": table.versions,
        "outreach": outreach,
        "holdout": holdout,
    }
