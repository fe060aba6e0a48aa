"""The per-customer simulation state at a month end (what the next regime is a function of)."""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from pipelines.synthetic.population import Population


@dataclass
class CustomerState:
    """State at a month end ``T``; every array is indexed by customer position.

    Attributes:
        closed: Line closed (ported out); no bills, usage or new contacts afterwards.
        suspended: Line suspended for arrears at ``T``.
        suspended_in_month: A suspension started during the month.
        tiny_in_month: That suspension was for tiny arrears.
        tiny_memory: 1 after a tiny-arrears suspension, halving every month.
        bill_due: ``amount_due`` of the bill issued at ``T`` (new charges + overdue).
        bill_overdue: ``overdue_amount`` of that bill.
        last_arrears: Arrears of the customer's latest suspension (0 if never suspended).
        overage_rel: (data + voice overage) / monthly fee on that bill.
        roaming_rel: roaming fee / monthly fee on that bill.
        vas_new: A value-added service was newly charged this month.
        vas_fee: Monthly fee of the active value-added service (0 if none).
        fee: Current monthly fee (plan changes move it).
        outage_minutes: Outage minutes in the month's usage.
        ticket_id: Open or falsely resolved ticket (``-1`` if none).
        ticket_category: Its category code.
        ticket_open: The ticket is unresolved.
        ticket_fragile: The ticket was marked resolved but the problem persists.
        ticket_age: Months since the ticket was opened.
        inbound: Inbound contacts in the month (all, attributed or not).
        complained: At least one inbound non-inquiry contact in the month.
        threat: A contact in the month expressed a real escalation intent.
        churn: A contact in the month expressed churn intent.
        viral: The customer's brand post went viral in the month.
        neighbours_complained: Active call/SMS/family neighbours who complained in the month.
        follows_viral: Follows someone whose brand post went viral in the month.
        anger_drive: Persistent driver part of the anger logit.
        anger: Latent anger in (0, 1).
    """

    closed: np.ndarray
    suspended: np.ndarray
    suspended_in_month: np.ndarray
    tiny_in_month: np.ndarray
    tiny_memory: np.ndarray
    bill_due: np.ndarray
    bill_overdue: np.ndarray
    last_arrears: np.ndarray
    overage_rel: np.ndarray
    roaming_rel: np.ndarray
    vas_new: np.ndarray
    vas_fee: np.ndarray
    fee: np.ndarray
    outage_minutes: np.ndarray
    ticket_id: np.ndarray
    ticket_category: np.ndarray
    ticket_open: np.ndarray
    ticket_fragile: np.ndarray
    ticket_age: np.ndarray
    inbound: np.ndarray
    complained: np.ndarray
    threat: np.ndarray
    churn: np.ndarray
    viral: np.ndarray
    neighbours_complained: np.ndarray
    follows_viral: np.ndarray
    anger_drive: np.ndarray
    anger: np.ndarray

    def copy(self) -> CustomerState:
        return CustomerState(**{f.name: getattr(self, f.name).copy() for f in fields(self)})


def initial_state(population: Population) -> CustomerState:
    """A quiet starting state (burn-in months make it realistic before the data starts)."""
    n = population.size
    zeros = np.zeros(n, dtype=np.float64)
    false = np.zeros(n, dtype=bool)
    fee_part = np.where(population.annual_prepaid, 0.0, population.fee)
    return CustomerState(
        closed=false.copy(),
        suspended=false.copy(),
        suspended_in_month=false.copy(),
        tiny_in_month=false.copy(),
        tiny_memory=zeros.copy(),
        bill_due=fee_part.copy(),
        bill_overdue=zeros.copy(),
        last_arrears=zeros.copy(),
        overage_rel=zeros.copy(),
        roaming_rel=zeros.copy(),
        vas_new=false.copy(),
        vas_fee=zeros.copy(),
        fee=population.fee.copy(),
        outage_minutes=zeros.copy(),
        ticket_id=np.full(n, -1, dtype=np.int64),
        ticket_category=np.full(n, -1, dtype=np.int8),
        ticket_open=false.copy(),
        ticket_fragile=false.copy(),
        ticket_age=np.zeros(n, dtype=np.int16),
        inbound=np.zeros(n, dtype=np.int16),
        complained=false.copy(),
        threat=false.copy(),
        churn=false.copy(),
        viral=false.copy(),
        neighbours_complained=np.zeros(n, dtype=np.float32),
        follows_viral=false.copy(),
        anger_drive=zeros.copy(),
        anger=np.full(n, 0.1),
    )
