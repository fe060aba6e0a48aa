"""Regional outages (a within-month shock) and monthly usage."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipelines.synthetic.calendar import Calendar
from pipelines.synthetic.config import WorldConfig
from pipelines.synthetic.events import EventBatch, at_offset
from pipelines.synthetic.ids import take_ids
from pipelines.synthetic.population import PLAN_TYPES, Population
from pipelines.synthetic.regime_rates import RegimeRates

PLAN_SPEED_MBPS = {
    "prepaid": 60.0,
    "postpaid_basic": 80.0,
    "postpaid_5g": 320.0,
    "family": 200.0,
    "broadband_bundle": 150.0,
}


def region_outage_risk(config: WorldConfig, rng: np.random.Generator) -> np.ndarray:
    """Monthly outage probability of each region (some regions are worse than others)."""
    net = config.network
    spread = net.outage_prob_spread * rng.normal(size=len(config.population.regions))
    return np.clip(net.outage_prob * np.exp(spread - net.outage_prob_spread**2 / 2), 0.0, 1.0)


@dataclass
class Outages:
    """Outcome of the month's outages per customer."""

    minutes: np.ndarray
    events: EventBatch


def month_outages(
    population: Population,
    rates: RegimeRates,
    region_risk: np.ndarray,
    alive: np.ndarray,
    config: WorldConfig,
    calendar: Calendar,
    t: int,
    rng: np.random.Generator,
) -> Outages:
    """Draw the month's regional outages and who they hit (sets ``rates.outage_start``)."""
    net = config.network
    n = population.size
    n_regions = len(region_risk)
    u_region = rng.random(n_regions)
    u_region_day = rng.random(n_regions)
    region_minutes = net.outage_minutes_median * np.exp(0.8 * rng.normal(size=n_regions))
    u_hit = rng.random(n)
    u_scale = rng.uniform(0.5, 1.5, size=n)
    u_hour = rng.random(n)
    first, last = net.outage_start_days
    span = last - first + 1
    region_day = first + np.minimum((u_region_day * span).astype(int), span - 1)
    region_hit = u_region < region_risk
    hit = alive & region_hit[population.region] & (u_hit < net.affected_share)
    start = region_day[population.region]
    rates.outage_start[:] = np.where(hit, start, -1)
    minutes = np.where(hit, region_minutes[population.region] * u_scale, 0.0)
    who = np.flatnonzero(hit)
    ts = at_offset(calendar.month_starts[t], start[who] + u_hour[who] / 3, calendar.length(t))
    return Outages(minutes=minutes, events=EventBatch.of("outage", who, ts))


def month_usage(
    population: Population,
    outage_minutes: np.ndarray,
    suspended_days: np.ndarray,
    config: WorldConfig,
    calendar: Calendar,
    t: int,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    """Usage quantities of month ``t`` for every customer (callers keep the open lines)."""
    n = population.size
    days = calendar.length(t)
    sigma = config.billing.data_usage_sigma
    active = 1.0 - suspended_days / days
    normal = rng.standard_normal((4, n), dtype=np.float32)
    data_gb = population.data_habit * np.exp(sigma * normal[0] - sigma**2 / 2) * active
    voice = population.voice_habit * np.exp(0.4 * normal[1] - 0.08) * active
    sms = rng.poisson((8.0 + 10.0 * population.social) * active)
    minutes = outage_minutes.copy()
    chronic = np.flatnonzero(population.bad_coverage)
    minutes[chronic] += rng.lognormal(np.log(40.0), 0.7, size=len(chronic))
    blip = np.flatnonzero(rng.random(n, dtype=np.float32) < 0.05)
    minutes[blip] += rng.exponential(15.0, size=len(blip))
    hit = outage_minutes > 0
    drop = 0.004 + 0.03 * population.bad_coverage + 0.02 * hit + np.abs(0.003 * normal[2])
    speed_plan = np.array([PLAN_SPEED_MBPS[k] for k in PLAN_TYPES])[population.plan]
    speed = (
        speed_plan
        * (1.0 - 0.5 * population.bad_coverage)
        * (1.0 - 0.3 * hit)
        * np.exp(0.25 * normal[3])
    )
    return {
        "data_gb": np.round(data_gb, 2),
        "voice_minutes": np.round(voice, 1),
        "sms_count": sms.astype(np.int64),
        "dropped_call_rate": np.clip(np.round(drop, 4), 0.0, 1.0),
        "avg_download_mbps": np.round(speed, 1),
        "outage_minutes": np.round(minutes, 1),
    }


def usage_columns(
    population: Population, usage: dict[str, np.ndarray], rows: np.ndarray, month: pd.Timestamp
) -> dict[str, np.ndarray]:
    """One month of the ``usage`` contract table for customers ``rows``, as columns."""
    columns = {
        "customer_id": take_ids(population.ids, rows),
        "usage_month": np.full(len(rows), month.to_datetime64(), dtype="datetime64[ns]"),
    }
    columns.update({key: values[rows] for key, values in usage.items()})
    return columns
