"""The month-by-month simulation loop (no tables: positions, codes and arrays only).

Each simulated month ``t``: port-out requests, payments and suspensions, outages, usage and
charges (all with the probabilities fixed by the regime of ``T_{t-1}``); contacts and posts from
the regime rates; tickets, treatment thinning, refunds and service changes; the month's bill and
edges; then the state at ``T_t``, the rates of regime ``t`` and the oracle of snapshot ``T_t``.
"""

from __future__ import annotations

import contextlib
import time
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipelines.memory import release_free_memory
from pipelines.synthetic.accounts import PLATFORMS, Accounts, build_accounts
from pipelines.synthetic.aftermath import contact_aftermath, port_out_requests
from pipelines.synthetic.anger import update_anger
from pipelines.synthetic.billing import Settlement, issue_bill, month_charges, settle_month
from pipelines.synthetic.calendar import Calendar
from pipelines.synthetic.config import WorldConfig
from pipelines.synthetic.contact_batch import CHANNELS, ContactBatch
from pipelines.synthetic.contact_drivers import CAT
from pipelines.synthetic.contacts import month_contacts, treatment_keep
from pipelines.synthetic.events import EventBatch
from pipelines.synthetic.graph import (
    MonthEdges,
    SocialGraph,
    build_graph,
    followees_flagged,
    month_edges,
    neighbour_counts,
)
from pipelines.synthetic.ids import take_ids
from pipelines.synthetic.month_segments import Segment
from pipelines.synthetic.oracle import ShockTiming, TreatmentPlan, snapshot_oracle
from pipelines.synthetic.population import Population, build_population
from pipelines.synthetic.posts import PostBatch, month_posts
from pipelines.synthetic.rates import compute_rates
from pipelines.synthetic.regime_rates import RegimeRates
from pipelines.synthetic.rng import Stream, stream
from pipelines.synthetic.state import CustomerState, initial_state
from pipelines.synthetic.static_context import StaticContext
from pipelines.synthetic.texts import contact_texts, everyday_texts, post_texts
from pipelines.synthetic.tickets import assign_tickets, update_tickets
from pipelines.synthetic.usage import month_outages, month_usage, region_outage_risk


class Stopwatch:
    """Wall time accumulated per stage name."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    @contextlib.contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] += time.perf_counter() - start


@dataclass
class MonthResult:
    """What one output month produced (positions and codes; frames are built by the caller)."""

    t: int
    month: pd.Timestamp
    bills: dict[str, np.ndarray]
    usage: dict[str, np.ndarray]
    usage_rows: np.ndarray
    events: EventBatch
    contacts: ContactBatch
    contact_texts: np.ndarray
    posts: PostBatch
    post_texts: np.ndarray
    edges: MonthEdges


@dataclass
class SnapshotResult:
    """Oracle probabilities of one month-end snapshot."""

    as_of: pd.Timestamp
    p_repeat: np.ndarray
    p_escalation: np.ndarray


def treatment_plan(config: WorldConfig, population: Population) -> TreatmentPlan:
    """Resolve the configured treatment to customer positions."""
    if config.treatment is None:
        return TreatmentPlan.none(population.size)
    ids = pd.Index(population.ids.to_pandas())
    positions = ids.get_indexer(pd.Index(config.treatment.customer_ids))
    if (positions < 0).any():
        missing = int((positions < 0).sum())
        raise ValueError(f"treatment names {missing} customer id(s) that do not exist")
    treated = np.zeros(population.size, dtype=bool)
    treated[positions] = True
    return TreatmentPlan.resolve(config.treatment, treated)


class Simulation:
    """One synthetic world being simulated.

    Attributes:
        config: World configuration.
        calendar: Month layout (burn-in months first).
        population: Customers.
        accounts: Social accounts.
        graph: Static social graph.
        region_risk: Monthly outage probability per region.
        state: Current state (at the end of the last simulated month).
        stopwatch: Wall time per stage.
    """

    def __init__(self, config: WorldConfig) -> None:
        self.config = config
        self.stopwatch = Stopwatch()
        seed = config.seed
        self.calendar = Calendar.build(
            pd.Timestamp(config.start),
            config.months,
            config.burn_in_months,
            config.labels.horizon_days,
        )
        with self.stopwatch("population, accounts, graph"):
            self.population = build_population(config, self.calendar.month_timestamp(0))
            self.accounts: Accounts = build_accounts(
                self.population, config.social, stream(seed, -1, Stream.ACCOUNTS)
            )
            self.graph: SocialGraph = build_graph(
                self.population, self.accounts, config.graph, stream(seed, -1, Stream.GRAPH)
            )
        self.region_risk = region_outage_risk(config, stream(seed, -1, Stream.REGIONS))
        n = self.population.size
        accounts = self.accounts
        self.weibo_account = accounts.customer_account(n, "weibo")
        self.wechat_account = accounts.customer_account(n, "wechat")
        self.noise_weibo = np.flatnonzero(
            (accounts.owner < 0) & (accounts.platform == PLATFORMS.index("weibo"))
        )
        self.ctx = StaticContext.build(self.population, accounts, self.region_risk, config)
        release_free_memory()
        self.plan = treatment_plan(config, self.population)
        net, bill = config.network, config.billing
        self.timings = (
            ShockTiming(*net.outage_start_days, net.outage_burst_days),
            ShockTiming(*bill.suspension_start_days, bill.suspension_burst_days),
        )
        self.state: CustomerState = initial_state(self.population)
        self.regimes: dict[int, RegimeRates] = {-1: compute_rates(self.ctx, self.state, config)}
        self.next_ticket = 1

    def release(self) -> None:
        """Drop the simulation's working arrays (keeps population, accounts, calendar)."""
        self.regimes.clear()
        self.graph = None
        self.ctx = None

    def run(self) -> Iterator[MonthResult | SnapshotResult]:
        """Simulate every month; yield output months and snapshots in time order.

        The oracle of a snapshot is computed in a worker thread while the next month is
        simulated (numpy releases the GIL); at most one snapshot is in flight.
        """
        snapshots = set(self.calendar.snapshot_months())
        with ThreadPoolExecutor(max_workers=1) as pool:
            pending: Future | None = None
            for t in range(self.calendar.n_months):
                if self.calendar.carry(t) == 0:
                    self.regimes.pop(t - 2, None)
                result = self.step(t)
                self.regimes.pop(t - 2, None)
                release_free_memory()
                if pending is not None:
                    yield pending.result()
                    pending = None
                if result is not None:
                    yield result
                if t in snapshots:
                    carried = self.regimes[t - 1] if self.calendar.carry(t + 1) > 0 else None
                    pending = pool.submit(self._snapshot, t, carried, self.regimes[t])
            if pending is not None:
                yield pending.result()

    def _snapshot(self, t: int, prev: RegimeRates | None, cur: RegimeRates) -> SnapshotResult:
        with self.stopwatch("oracle (worker thread)"):
            p_repeat, p_escalation = snapshot_oracle(
                prev, cur, self.calendar, t, self.plan, self.config.labels, self.timings
            )
        return SnapshotResult(self.calendar.month_end(t), p_repeat, p_escalation)

    def step(self, t: int) -> MonthResult | None:
        """Simulate month ``t``; return its rows when it is an output month."""
        config, calendar, population = self.config, self.calendar, self.population
        seed, state, watch = config.seed, self.state, self.stopwatch
        output = calendar.is_output(t)
        cur, prev = self.regimes[t - 1], self.regimes.get(t - 2)
        alive = ~state.closed

        with watch("billing and network"):
            leaving, port_events = port_out_requests(
                state, cur, config, calendar, t, stream(seed, t, Stream.AFTERMATH)
            )
            settlement = settle_month(
                state, population, cur, config, calendar, t, stream(seed, t, Stream.PAYMENTS)
            )
            outages = month_outages(
                population,
                cur,
                self.region_risk,
                alive,
                config,
                calendar,
                t,
                stream(seed, t, Stream.OUTAGES),
            )
            usage = month_usage(
                population,
                outages.minutes,
                settlement.suspended_days,
                config,
                calendar,
                t,
                stream(seed, t, Stream.USAGE),
            )
            charges = month_charges(
                state,
                population,
                usage["data_gb"],
                usage["voice_minutes"],
                config,
                calendar,
                t,
                stream(seed, t, Stream.CHARGES),
            )

        with watch("contacts and tickets"):
            segments = self._segments(t, cur, prev)
            batch = month_contacts(
                config,
                calendar,
                t,
                segments,
                self.accounts,
                self.weibo_account,
                self.wechat_account,
                self.noise_weibo,
            )
            ticket_rng = stream(seed, t, Stream.TICKETS)
            groups, self.next_ticket = assign_tickets(batch, state, self.next_ticket, ticket_rng)
        texts = None
        if output:
            with watch("texts"):
                texts = self._contact_texts(batch, t)
        with watch("contacts and tickets"):
            keep = treatment_keep(batch, self.plan, stream(seed, t, Stream.TREATMENT))
            update_tickets(state, batch, groups, keep, config.contacts, ticket_rng)
            aftermath = contact_aftermath(
                state, batch, groups, keep, config, calendar, t, stream(seed, t, Stream.REFUNDS)
            )
            kept = np.flatnonzero(keep)
            batch = batch.take(kept)
            if texts is not None:
                texts = texts[kept]
        with watch("posts"):
            posts = month_posts(config, calendar, t, segments, self.accounts, population.social)

        with watch("billing and network"):
            bills = issue_bill(
                state,
                population,
                charges,
                settlement,
                aftermath.refunds,
                alive,
                calendar,
                t,
                output,
            )
        with watch("state and rates"):
            self._update_state(settlement, usage, batch, posts, alive)
        with watch("edges"):
            edges, active = month_edges(
                self.graph, config.graph, alive, stream(seed, t, Stream.EDGES)
            )
            state.neighbours_complained = neighbour_counts(self.graph, active, state.complained)
            state.follows_viral = followees_flagged(self.graph, state.viral)
        with watch("state and rates"):
            state.closed = state.closed | leaving
            update_anger(state, population, config)
            if t + 1 < calendar.n_months:
                self.regimes[t] = compute_rates(self.ctx, state, config)
        if not output:
            return None
        with watch("texts"):
            post_text = self._post_texts(posts, t)
        events = EventBatch.concat(
            [port_events, settlement.events, outages.events, charges.events, aftermath.events]
        )
        return MonthResult(
            t=t,
            month=calendar.month_timestamp(t),
            bills=bills,
            usage=usage,
            usage_rows=np.flatnonzero(alive),
            events=events,
            contacts=batch,
            contact_texts=texts,
            posts=posts,
            post_texts=post_text,
            edges=edges,
        )

    def _segments(self, t: int, cur: RegimeRates, prev: RegimeRates | None) -> list[Segment]:
        carry = self.calendar.carry(t)
        segments = []
        if carry > 0 and prev is not None:
            segments.append(Segment(prev, t, 0, carry, True))
        first = carry if prev is not None else 0
        segments.append(Segment(cur, t, first, self.calendar.length(t), False))
        return segments

    def _update_state(
        self,
        settlement: Settlement,
        usage: dict[str, np.ndarray],
        batch: ContactBatch,
        posts: PostBatch,
        alive: np.ndarray,
    ) -> None:
        """Move the state to the month end from the month's payments, usage, contacts, posts."""
        state = self.state
        n = self.population.size
        state.suspended = settlement.suspended_end
        state.suspended_in_month = settlement.suspended_in_month
        state.tiny_in_month = settlement.tiny_in_month
        state.last_arrears = np.where(
            settlement.suspended_in_month, settlement.arrears, state.last_arrears
        )
        state.tiny_memory = np.where(settlement.tiny_in_month, 1.0, 0.5 * state.tiny_memory)
        state.outage_minutes = np.where(alive, usage["outage_minutes"], 0.0)
        mine = batch.inbound & (batch.customer >= 0)
        cust = batch.customer[mine]
        state.inbound = np.minimum(np.bincount(cust, minlength=n), 1000).astype(np.int16)
        complaint = batch.category[mine] != CAT["inquiry"]
        state.complained = np.bincount(cust[complaint], minlength=n) > 0
        state.threat = np.bincount(cust[batch.intent[mine] == 1], minlength=n) > 0
        state.churn = np.bincount(cust[batch.churn[mine]], minlength=n) > 0
        viral = posts.brand & (posts.owner >= 0)
        viral &= posts.reposts >= self.config.labels.viral_min_reposts
        state.viral = np.bincount(posts.owner[viral], minlength=n) > 0

    def _contact_texts(self, batch: ContactBatch, t: int) -> np.ndarray:
        texts = np.full(len(batch), None, dtype=object)
        rows = np.flatnonzero(batch.has_text)
        customer = batch.customer[rows]
        msisdn = take_ids(self.population.msisdn, customer).to_numpy(dtype=object, na_value=None)
        texts[rows] = contact_texts(
            stream(self.config.seed, t, Stream.CONTACT_TEXT),
            batch.category[rows],
            batch.channel[rows],
            batch.anger[rows],
            batch.intent[rows],
            batch.churn[rows],
            batch.amount[rows],
            batch.ts[rows],
            msisdn,
            CHANNELS,
        )
        return texts

    def _post_texts(self, posts: PostBatch, t: int) -> np.ndarray:
        rng = stream(self.config.seed, t, Stream.POST_TEXT)
        texts = np.empty(len(posts), dtype=object)
        brand = posts.brand
        if brand.any():
            texts[brand] = post_texts(
                rng,
                posts.topic[brand],
                posts.anger[brand],
                posts.intent[brand],
                posts.amount[brand],
                posts.ts[brand],
                self.config.brand,
            )
        texts[~brand] = everyday_texts(rng, int((~brand).sum()))
        return texts
