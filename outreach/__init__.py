"""Proactive outreach: capacity-aware policy, backtest, closed-loop simulation, social warning.

The policy (:func:`plan_outreach`) is pure and fast and is what the service's ``/outreach``
endpoint calls; the other modules are imported from their own submodules.
"""

from outreach.config import ActionEffect, OutreachConfig, TeamCapacity
from outreach.policy import HOLDOUT, OUTREACH, holdout_mask, plan_outreach

__all__ = [
    "HOLDOUT",
    "OUTREACH",
    "ActionEffect",
    "OutreachConfig",
    "TeamCapacity",
    "holdout_mask",
    "plan_outreach",
]
