"""What each customer did in the horizon after a snapshot: labels, contact volumes, re-opens."""

from __future__ import annotations

import numpy as np
import pandas as pd

from features.core.timeline import label_window, snapshot_end
from features.labels import LabelConfig, make_labels

OUTCOME_COLUMNS = (
    "repeat_contact",
    "escalation",
    "inbound",
    "repeat_contacts",
    "escalation_contacts",
    "reopened_tickets",
)


def reopened_tickets(
    contacts: pd.DataFrame, customer_ids: pd.Index, as_of: str | pd.Timestamp, horizon_days: int
) -> pd.Series:
    """Re-opened tickets per customer in the horizon.

    A ticket is re-opened in the horizon when an inbound contact in ``(T, T + H]`` comes on a
    ticket that already had a ``resolved`` contact (at any earlier time), the definition of
    ``ct_reopened_tickets_90d``.
    """
    index = pd.Index(customer_ids, name="customer_id")
    end = snapshot_end(as_of) + pd.Timedelta(days=horizon_days)
    rows = contacts.loc[
        contacts["ticket_id"].notna() & contacts["customer_id"].notna() & (contacts["ts"] < end),
        ["customer_id", "ticket_id", "ts", "resolved", "direction"],
    ]
    if rows.empty:
        return pd.Series(0, index=index, dtype=np.int64, name="reopened_tickets")
    rows = rows.sort_values(["ticket_id", "ts"], kind="stable")
    resolved = rows["resolved"].astype("boolean").fillna(False).to_numpy(dtype=np.int64)
    resolved_before = (
        pd.Series(resolved, index=rows.index)
        .groupby(rows["ticket_id"].to_numpy(), sort=False)
        .cumsum()
        .to_numpy()
        - resolved
    )
    in_window = (rows["ts"] >= snapshot_end(as_of)).to_numpy()
    reopen = in_window & (rows["direction"] == "inbound").to_numpy() & (resolved_before > 0)
    hits = rows.loc[reopen, ["customer_id", "ticket_id"]].drop_duplicates()
    counts = hits.groupby("customer_id").size()
    return counts.reindex(index, fill_value=0).astype(np.int64).rename("reopened_tickets")


def window_outcomes(
    contacts: pd.DataFrame,
    posts: pd.DataFrame,
    customer_ids: pd.Index,
    as_of: str | pd.Timestamp,
    labels: LabelConfig | None = None,
) -> pd.DataFrame:
    """Realized outcomes of each customer in the label window after ``as_of``.

    Args:
        contacts: Contacts with identity resolved (``features.identity.resolve_contacts``);
            rows before the window are used only to know which tickets were resolved.
        posts: Social posts with ``customer_id`` resolved (for viral-post escalations).
        customer_ids: Customers to describe.
        as_of: Snapshot date T; the window is ``(T, T + H]``.
        labels: Label definitions (horizon, thresholds).

    Returns:
        Indexed by customer_id: the labels ``repeat_contact`` and ``escalation``, ``inbound``
        (identified inbound contacts), ``repeat_contacts`` (inbound contacts beyond the first),
        ``escalation_contacts`` (regulator or flagged inbound contacts) and
        ``reopened_tickets``.
    """
    labels = labels or LabelConfig()
    index = pd.Index(customer_ids, name="customer_id")
    out = make_labels(contacts, posts, index, as_of, labels)
    window = label_window(contacts, "ts", as_of, labels.horizon_days)
    inbound = window.loc[(window["direction"] == "inbound") & window["customer_id"].notna()]
    count = inbound.groupby("customer_id").size().reindex(index, fill_value=0)
    escalated = inbound["escalated_flag"].astype(bool) | (inbound["channel"] == "regulator")
    out["inbound"] = count.astype(np.int64)
    out["repeat_contacts"] = (count - 1).clip(lower=0).astype(np.int64)
    out["escalation_contacts"] = (
        escalated.groupby(inbound["customer_id"]).sum().reindex(index, fill_value=0)
    ).astype(np.int64)
    out["reopened_tickets"] = reopened_tickets(contacts, index, as_of, labels.horizon_days)
    return out[list(OUTCOME_COLUMNS)]
