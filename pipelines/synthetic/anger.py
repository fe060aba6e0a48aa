"""Latent anger at a month end, driven by the month's grievances and the previous drive."""

from __future__ import annotations

import numpy as np

from pipelines.synthetic.config import WorldConfig
from pipelines.synthetic.population import Population
from pipelines.synthetic.rng import sigmoid
from pipelines.synthetic.state import CustomerState


def update_anger(state: CustomerState, population: Population, config: WorldConfig) -> None:
    """Set ``state.anger`` from the month's grievances (in place)."""
    a = config.anger
    age = np.minimum(state.ticket_age, 3) * state.ticket_open
    shock = np.minimum(state.overage_rel + state.roaming_rel + state.vas_new, 3.0)
    drive = (
        a.unresolved * state.ticket_open
        + a.ticket_age * age
        + a.tiny_arrears * state.tiny_memory
        + a.suspended * (state.suspended | state.suspended_in_month)
        + a.bill_shock * shock
        + a.contacts * np.minimum(state.inbound, 4)
        + a.outage * (state.outage_minutes > 60)
        + a.viral * state.viral
    )
    state.anger_drive = drive + a.persistence * state.anger_drive
    state.anger = sigmoid(a.intercept + a.trait * population.anger_trait + state.anger_drive)
