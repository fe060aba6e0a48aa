"""The intensities of one regime: everything a month end fixes about the next month."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class RegimeRates:
    """Intensities of one regime (fixed at a month end), per customer.

    Attributes:
        components: ``(n, K)`` inbound non-regulator contacts per 30 days by driver.
        mix: ``(n, 7)`` channel shares of non-regulator contacts.
        attributed: ``(n, 7)`` share of those contacts attributable to the customer.
        flag: Probability that a non-regulator inbound contact is flagged escalated.
        regulator: Regulator-channel contacts per 30 days.
        anger: Latent anger at the regime's start.
        ticket_category: Category of the open/fragile ticket (``-1`` if none).
        grievance_category: Most pressing grievance (for regulator contacts and posts).
        p_outage: Probability that a within-month outage hits the customer.
        outage_extra: Expected extra non-regulator contacts in the burst after an outage.
        outage_posts: Expected extra brand posts in that burst.
        pay_prob: Probability of paying the bill issued at the regime's start within the month.
        suspend_if_unpaid: Probability of a suspension when that bill stays unpaid.
        p_suspension: Probability of a within-month arrears suspension.
        suspension_extra: Expected extra non-regulator contacts in the burst after it.
        suspension_regulator: Expected extra regulator contacts in that burst.
        suspension_posts: Expected extra brand posts in that burst.
        tiny_shock: The would-be suspension is for tiny arrears.
        posts: Brand-mentioning posts per 30 days (all the customer's accounts).
        viral: Share of those posts that are viral *and* on a bound account.
        viral_suspension: The same for posts triggered by the suspension shock.
        post_mu: Per account, log-mean of the repost count of a brand post.
        outbound: ``(n, 4)`` operator-initiated contacts per 30 days by reason.
        ticket_age: Months the open ticket has been open (0 if none).
        tiny_memory: Memory of a tiny-arrears suspension (1 = this month).
        bill_due: Amount due on the bill issued at the regime's start (for texts).
        last_arrears: Arrears of the latest suspension (for texts about suspensions).
        outage_start: Realized outage start offset in the following month (``-1``: none).
        suspension_start: Realized suspension start offset (``-1``: none).
    """

    components: np.ndarray
    mix: np.ndarray
    attributed: np.ndarray
    flag: np.ndarray
    regulator: np.ndarray
    anger: np.ndarray
    ticket_category: np.ndarray
    grievance_category: np.ndarray
    p_outage: np.ndarray
    outage_extra: np.ndarray
    outage_posts: np.ndarray
    pay_prob: np.ndarray
    suspend_if_unpaid: np.ndarray
    p_suspension: np.ndarray
    suspension_extra: np.ndarray
    suspension_regulator: np.ndarray
    suspension_posts: np.ndarray
    tiny_shock: np.ndarray
    posts: np.ndarray
    viral: np.ndarray
    viral_suspension: np.ndarray
    post_mu: np.ndarray
    outbound: np.ndarray
    ticket_age: np.ndarray
    tiny_memory: np.ndarray
    bill_due: np.ndarray
    last_arrears: np.ndarray
    outage_start: np.ndarray
    suspension_start: np.ndarray

    _weights: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False)

    @property
    def nonregulator(self) -> np.ndarray:
        return self.components.sum(axis=1, dtype=np.float64)

    def channel_weights(self) -> tuple[np.ndarray, np.ndarray]:
        """Per channel, the share of non-regulator contacts that is attributed and flagged,
        and attributed and not flagged."""
        if self._weights is None:
            attributed = self.mix.astype(np.float64) * self.attributed
            q = self.flag[:, None]
            self._weights = (attributed * q, attributed * (1.0 - q))
        return self._weights
