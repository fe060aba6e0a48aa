"""Benchmark the structured feature families on synthetic contract-shaped tables.

Generates 12 months of bills and usage per customer, about 0.2 contacts and 0.1 service events
per customer per month (numpy only, no identity or text work), then times one snapshot at the
end of the last month: each family on its own, then ``structured_features`` end to end. Peak RSS
is sampled every 10 ms while each step runs.

Usage:
    python benchmarks/bench_structured.py --customers 100000
"""

from __future__ import annotations

import argparse
import threading
import time
from collections.abc import Callable

import numpy as np
import pandas as pd
import psutil

from features.structured import structured_features
from features.structured.account import account_features
from features.structured.billing import billing_features
from features.structured.contact_history import CHANNELS, contact_history_features
from features.structured.usage import usage_features
from pipelines.contract import EVENT_TYPES as CONTRACT_EVENT_TYPES

EVENT_TYPES = np.array(CONTRACT_EVENT_TYPES, dtype=object)
CATEGORIES = np.array(
    ["billing", "network", "suspension", "plan", "vas", "service_attitude", "churn", "roaming"],
    dtype=object,
)
PLAN_TYPES = np.array(
    ["prepaid", "postpaid_basic", "postpaid_5g", "family", "broadband_bundle"], dtype=object
)
GIB = 1024**3


class PeakRss:
    """Samples this process's RSS in a background thread; ``peak`` is the max since ``reset``."""

    def __init__(self, interval: float = 0.01) -> None:
        self._process = psutil.Process()
        self._interval = interval
        self._stop = threading.Event()
        self.peak = self.current()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def current(self) -> int:
        return self._process.memory_info().rss

    def reset(self) -> int:
        self.peak = self.current()
        return self.peak

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            self.peak = max(self.peak, self.current())


def _ids(prefix: str, n: int) -> np.ndarray:
    return np.array([f"{prefix}{i:09d}" for i in range(n)], dtype=object)


def _stamps(rng: np.random.Generator, start: pd.Timestamp, end: pd.Timestamp, n: int) -> np.ndarray:
    seconds = rng.integers(0, int((end - start).total_seconds()), n)
    return (start + pd.to_timedelta(np.sort(seconds), unit="s")).to_numpy()


def generate(n_customers: int, months: int, seed: int) -> dict[str, pd.DataFrame]:
    """Contract-shaped customers, bills, usage, service_events and contacts tables."""
    rng = np.random.default_rng(seed)
    ids = _ids("C", n_customers)
    month_starts = pd.date_range("2025-07-01", periods=months, freq="MS")
    start, end = month_starts[0], month_starts[-1] + pd.offsets.MonthBegin(1)

    customers = pd.DataFrame(
        {
            "customer_id": ids,
            "msisdn": np.char.add("138", rng.integers(10**7, 10**8, n_customers).astype(str)),
            "open_date": pd.Timestamp("2018-01-01")
            + pd.to_timedelta(rng.integers(0, 3000, n_customers), unit="D"),
            "plan_type": PLAN_TYPES[rng.integers(0, len(PLAN_TYPES), n_customers)],
            "monthly_fee": rng.choice([19.0, 58.0, 128.0, 199.0], n_customers),
            "region": np.array([f"region_{i:02d}" for i in range(11)], dtype=object)[
                rng.integers(0, 11, n_customers)
            ],
            "vip_level": rng.integers(0, 4, n_customers),
            "autopay": rng.random(n_customers) < 0.4,
            "status": np.where(rng.random(n_customers) < 0.03, "suspended", "active").astype(
                object
            ),
        }
    )

    rows = n_customers * months
    customer_rows = np.repeat(ids, months)
    month_rows = np.tile(month_starts.to_numpy(), n_customers)
    month_end_rows = np.tile((month_starts + pd.offsets.MonthEnd(0)).to_numpy(), n_customers)

    def sometimes(share: float, scale: float) -> np.ndarray:
        return np.where(rng.random(rows) < share, rng.gamma(1.5, scale, rows), 0.0).round(2)

    amount_due = rng.gamma(4.0, 20.0, rows).round(2)
    bills = pd.DataFrame(
        {
            "customer_id": customer_rows,
            "bill_month": month_rows,
            "issued_at": month_end_rows + pd.to_timedelta(rng.integers(0, 86400, rows), unit="s"),
            "amount_due": amount_due,
            "amount_paid": amount_due,
            "overdue_amount": sometimes(0.08, 30.0),
            "data_overage_fee": sometimes(0.15, 20.0),
            "voice_overage_fee": sometimes(0.10, 10.0),
            "vas_fee": sometimes(0.10, 10.0),
            "roaming_fee": sometimes(0.03, 50.0),
            "adjustment_amount": -sometimes(0.05, 20.0),
        }
    )
    usage = pd.DataFrame(
        {
            "customer_id": customer_rows,
            "usage_month": month_rows,
            "data_gb": rng.gamma(2.0, 8.0, rows),
            "voice_minutes": rng.gamma(2.0, 150.0, rows),
            "sms_count": rng.poisson(8, rows),
            "dropped_call_rate": rng.beta(1.0, 60.0, rows),
            "avg_download_mbps": rng.gamma(6.0, 15.0, rows),
            "outage_minutes": sometimes(0.1, 40.0),
        }
    )

    n_events = int(0.1 * rows)
    event_type = EVENT_TYPES[rng.integers(0, len(EVENT_TYPES), n_events)]
    service_events = pd.DataFrame(
        {
            "event_id": _ids("E", n_events),
            "customer_id": ids[rng.integers(0, n_customers, n_events)],
            "ts": _stamps(rng, start, end, n_events),
            "event_type": event_type,
            "amount": np.where(
                np.isin(event_type, ["suspension_arrears", "payment", "refund"]),
                rng.gamma(1.0, 30.0, n_events).round(2),
                np.nan,
            ),
        }
    )

    n_contacts = int(0.2 * rows)
    owner = rng.integers(0, n_customers, n_contacts)
    has_ticket = rng.random(n_contacts) < 0.8
    ticket = np.where(has_ticket, owner * 4 + rng.integers(0, 4, n_contacts), -1)
    ticket_ids = np.array([f"T{t:010d}" if t >= 0 else None for t in ticket], dtype=object)
    identified = rng.random(n_contacts) < 0.95
    contacts = pd.DataFrame(
        {
            "contact_id": _ids("K", n_contacts),
            "customer_id": np.where(identified, ids[owner], None),
            "ts": _stamps(rng, start, end, n_contacts),
            "channel": np.array(CHANNELS, dtype=object)[
                rng.choice(
                    len(CHANNELS), n_contacts, p=[0.5, 0.15, 0.03, 0.12, 0.1, 0.06, 0.02, 0.02]
                )
            ],
            "direction": np.where(rng.random(n_contacts) < 0.85, "inbound", "outbound").astype(
                object
            ),
            "category": CATEGORIES[rng.integers(0, len(CATEGORIES), n_contacts)],
            "text": None,
            "ticket_id": ticket_ids,
            "resolved": rng.random(n_contacts) < 0.5,
            "handle_seconds": rng.integers(30, 900, n_contacts),
            "transfers": rng.poisson(0.3, n_contacts),
            "csat": np.where(rng.random(n_contacts) < 0.4, rng.integers(1, 6, n_contacts), np.nan),
            "escalated_flag": rng.random(n_contacts) < 0.02,
            "social_account_id": None,
        }
    )
    return {
        "customers": customers,
        "bills": bills,
        "usage": usage,
        "service_events": service_events,
        "contacts": contacts,
    }


def _cpu_seconds() -> float:
    times = psutil.Process().cpu_times()
    return times.user + times.system


def _measure(rss: PeakRss, step: Callable[[], pd.DataFrame]) -> tuple[float, float, int, int]:
    """Wall seconds, CPU seconds (robust on a shared machine), peak RSS and its rise."""
    before = rss.reset()
    cpu = _cpu_seconds()
    started = time.perf_counter()
    step()
    seconds = time.perf_counter() - started
    cpu = _cpu_seconds() - cpu
    rss.peak = max(rss.peak, rss.current())
    return seconds, cpu, rss.peak, rss.peak - before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--shuffle",
        action="store_true",
        help="shuffle the rows of every event table (worst case for hashing and sorting)",
    )
    args = parser.parse_args()

    rss = PeakRss()
    started = time.perf_counter()
    tables = generate(args.customers, args.months, args.seed)
    if args.shuffle:
        rng = np.random.default_rng(args.seed)
        for name in ("bills", "usage", "service_events", "contacts"):
            order = rng.permutation(len(tables[name]))
            tables[name] = tables[name].iloc[order].reset_index(drop=True)
    as_of = tables["bills"]["bill_month"].max() + pd.offsets.MonthEnd(0)
    print(
        f"generated {args.customers:,} customers in {time.perf_counter() - started:.1f} s: "
        + ", ".join(f"{name} {len(frame):,}" for name, frame in tables.items())
        + f"; RSS {rss.current() / GIB:.2f} GiB; snapshot {as_of.date()}"
        + ("; rows shuffled" if args.shuffle else "")
    )
    ids = tables["customers"]["customer_id"]
    steps = {
        "account": lambda: account_features(tables["customers"], as_of),
        "billing": lambda: billing_features(tables["bills"], tables["service_events"], ids, as_of),
        "usage": lambda: usage_features(tables["usage"], ids, as_of),
        "contact_history": lambda: contact_history_features(tables["contacts"], ids, as_of),
        "total (structured_features)": lambda: structured_features(as_of=as_of, **tables),
    }
    print(f"{'step':<28}{'wall s':>8}{'cpu s':>8}{'peak RSS GiB':>14}{'+GiB':>7}")
    for name, step in steps.items():
        seconds, cpu, peak, added = _measure(rss, step)
        print(f"{name:<28}{seconds:>8.2f}{cpu:>8.2f}{peak / GIB:>14.2f}{added / GIB:>7.2f}")
    rss.stop()


if __name__ == "__main__":
    main()
