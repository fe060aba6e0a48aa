"""Tickets: contacts about the same problem share a ticket; unresolved problems carry over.

Within a month an identified customer's contacts of one category form one ticket; if the
customer carries an open or falsely resolved ticket of that category from earlier months, the
contacts continue it (a contact after a ``resolved`` one is a re-opened ticket). At the month end
the most recent unresolved ticket stays open; otherwise the last resolved one is falsely resolved
(the problem persists and will bring contacts on the same ticket) with some probability.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipelines.synthetic.config_behaviour import ContactParams
from pipelines.synthetic.contact_batch import ContactBatch
from pipelines.synthetic.state import CustomerState


@dataclass
class TicketGroups:
    """Per ticket of the month (computed on the unthinned contacts).

    Attributes:
        contact_group: Group index per contact (``-1`` for none).
        customer: Customer position per group.
        category: Category per group.
        ticket: Ticket number per group.
        carried: The group continues the customer's carried ticket.
        false_resolution: Uniform per group deciding a false resolution.
    """

    contact_group: np.ndarray
    customer: np.ndarray
    category: np.ndarray
    ticket: np.ndarray
    carried: np.ndarray
    false_resolution: np.ndarray


def assign_tickets(
    batch: ContactBatch, state: CustomerState, next_ticket: int, rng: np.random.Generator
) -> tuple[TicketGroups, int]:
    """Give every contact a ticket number (in place) and describe the month's ticket groups.

    Args:
        batch: The month's contacts sorted by time.
        state: State at the previous month end (carried tickets).
        next_ticket: First unused ticket number.
        rng: The month's ticket stream.

    Returns:
        The groups and the next unused ticket number.
    """
    m = len(batch)
    grouped = (batch.customer >= 0) & batch.identified
    idx = np.flatnonzero(grouped)
    key = batch.customer[idx] * 16 + batch.category[idx]
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    starts = np.r_[True, sorted_key[1:] != sorted_key[:-1]]
    group_sorted = np.cumsum(starts) - 1
    n_groups = int(starts.sum())
    contact_group = np.full(m, -1, dtype=np.int64)
    contact_group[idx[order]] = group_sorted
    first_contact = idx[order][starts]
    customer = batch.customer[first_contact]
    category = batch.category[first_contact]
    carried = (
        (state.ticket_id[customer] >= 0)
        & (state.ticket_category[customer] == category)
        & (state.ticket_open[customer] | state.ticket_fragile[customer])
    )

    fresh_group = ~carried
    singles = np.flatnonzero(~grouped)
    first_pos = np.r_[first_contact[fresh_group], singles]
    new_numbers = np.empty(len(first_pos), dtype=np.int64)
    new_numbers[np.argsort(first_pos, kind="stable")] = next_ticket + np.arange(len(first_pos))
    ticket = np.empty(n_groups, dtype=np.int64)
    ticket[carried] = state.ticket_id[customer[carried]]
    ticket[fresh_group] = new_numbers[: fresh_group.sum()]
    batch.ticket[grouped] = ticket[contact_group[grouped]]
    batch.ticket[singles] = new_numbers[fresh_group.sum() :]
    groups = TicketGroups(
        contact_group=contact_group,
        customer=customer,
        category=category,
        ticket=ticket,
        carried=carried,
        false_resolution=rng.random(n_groups),
    )
    return groups, next_ticket + len(first_pos)


def update_tickets(
    state: CustomerState,
    batch: ContactBatch,
    groups: TicketGroups,
    keep: np.ndarray,
    params: ContactParams,
    rng: np.random.Generator,
) -> None:
    """Move the ticket state to the month end (in place), using only the kept contacts."""
    n = len(state.ticket_id)
    u_abandon = rng.random(n)
    u_persist = rng.random(n)
    kept = np.flatnonzero(keep & (groups.contact_group >= 0))
    group_of = groups.contact_group[kept]
    n_groups = len(groups.customer)
    last_pos = np.full(n_groups, -1, dtype=np.int64)
    np.maximum.at(last_pos, group_of, kept)
    live = np.flatnonzero(last_pos >= 0)
    last_resolved = batch.resolved[last_pos[live]]
    g_customer = groups.customer[live]

    old_age = state.ticket_age.copy()
    had_open = state.ticket_open.copy()
    had_fragile = state.ticket_fragile.copy()

    unresolved = live[~last_resolved]
    resolved = live[last_resolved]
    chosen_unres = _latest_per_customer(unresolved, groups.customer, last_pos, n)
    chosen_res = _latest_per_customer(resolved, groups.customer, last_pos, n)
    touched = np.zeros(n, dtype=bool)
    touched[g_customer] = True

    new_id = state.ticket_id.copy()
    new_cat = state.ticket_category.copy()
    new_open = np.zeros(n, dtype=bool)
    new_fragile = np.zeros(n, dtype=bool)
    new_age = np.zeros(n, dtype=np.int16)

    idle_open = ~touched & had_open & (u_abandon >= params.abandon_prob)
    new_open[idle_open] = True
    new_age[idle_open] = old_age[idle_open] + 1
    idle_fragile = ~touched & had_fragile & (u_persist < params.fragile_persist_prob)
    new_fragile[idle_fragile] = True
    new_age[idle_fragile] = old_age[idle_fragile] + 1

    has_unres = chosen_unres >= 0
    g = chosen_unres[has_unres]
    cust = np.flatnonzero(has_unres)
    new_open[cust] = True
    new_fragile[cust] = False
    new_id[cust] = groups.ticket[g]
    new_cat[cust] = groups.category[g]
    new_age[cust] = np.where(groups.carried[g], old_age[cust] + 1, 0)

    only_resolved = (chosen_res >= 0) & ~has_unres
    g = chosen_res[only_resolved]
    cust = np.flatnonzero(only_resolved)
    false = groups.false_resolution[g] < params.false_resolution_prob
    new_fragile[cust[false]] = True
    new_id[cust] = groups.ticket[g]
    new_cat[cust] = groups.category[g]
    new_age[cust] = np.where(groups.carried[g], old_age[cust] + 1, 0)

    empty = ~(new_open | new_fragile)
    new_id[empty] = -1
    new_cat[empty] = -1
    new_age[empty] = 0
    state.ticket_id = new_id
    state.ticket_category = new_cat
    state.ticket_open = new_open
    state.ticket_fragile = new_fragile
    state.ticket_age = np.minimum(new_age, 120).astype(np.int16)


def _latest_per_customer(
    candidates: np.ndarray, customer: np.ndarray, last_pos: np.ndarray, n: int
) -> np.ndarray:
    """Per customer, the candidate group with the latest kept contact (``-1`` if none)."""
    chosen = np.full(n, -1, dtype=np.int64)
    if len(candidates) == 0:
        return chosen
    order = np.lexsort((last_pos[candidates], customer[candidates]))
    ordered = candidates[order]
    owner = customer[ordered]
    last = np.r_[owner[1:] != owner[:-1], True]
    chosen[owner[last]] = ordered[last]
    return chosen
