"""Realized labels computed straight from the contract tables, with the product's definitions.

``repeat_contact``: >= 2 inbound contacts attributed to the customer in
``[T + 1 day, T + 31 days)``. ``escalation``: in that window a regulator contact, a flagged
contact, contacts on >= 3 channels, or a brand-mentioning post with >= 100 reposts by an
account bound to the customer's number. A contact is attributed by ``customer_id``, else by a
social account bound to the customer.
"""

from __future__ import annotations

import pandas as pd


def attributed_contacts(world) -> pd.DataFrame:
    """Inbound contacts with the attributed customer in column ``who`` (attributed only)."""
    owner = bound_owner(world)
    contacts = world.contacts
    who = contacts["customer_id"].astype(object)
    via_account = contacts["social_account_id"].astype(object).map(owner)
    who = who.where(who.notna(), via_account)
    inbound = contacts.assign(who=who)
    return inbound.loc[(inbound["direction"] == "inbound") & inbound["who"].notna()]


def bound_owner(world) -> pd.Series:
    """Account id -> customer id for accounts bound to a customer's number."""
    customers = world.customers
    by_msisdn = pd.Series(
        customers["customer_id"].astype(object).values, index=customers["msisdn"].astype(object)
    )
    accounts = world.social_accounts.dropna(subset=["bound_msisdn"])
    return pd.Series(
        accounts["bound_msisdn"].astype(object).map(by_msisdn).values,
        index=accounts["account_id"].astype(object),
    )


def realized_labels(world, horizon: int = 30, min_reposts: int = 100) -> pd.DataFrame:
    """The oracle table joined with realized labels (and their parts) per customer and as_of."""
    contacts = attributed_contacts(world)
    owner = bound_owner(world)
    posts = world.social_posts
    posts = posts.assign(who=posts["account_id"].astype(object).map(owner))
    viral_posts = posts.loc[posts["mentions_brand"] & posts["who"].notna()]
    viral_posts = viral_posts.loc[viral_posts["reposts"] >= min_reposts]
    frames = []
    for as_of, oracle in world.oracle.groupby("as_of"):
        start = pd.Timestamp(as_of) + pd.Timedelta(days=1)
        end = start + pd.Timedelta(days=horizon)
        window = contacts.loc[(contacts["ts"] >= start) & (contacts["ts"] < end)]
        by_who = window.groupby("who")
        count = by_who.size()
        channels = by_who["channel"].nunique()
        regulator = set(window.loc[window["channel"] == "regulator", "who"])
        flagged = set(window.loc[window["escalated_flag"], "who"])
        viral = set(
            viral_posts.loc[(viral_posts["ts"] >= start) & (viral_posts["ts"] < end), "who"]
        )
        ids = oracle["customer_id"].astype(object)
        frame = oracle.assign(
            contacts=ids.map(count).fillna(0).to_numpy(),
            regulator=ids.isin(regulator).to_numpy(),
            flagged=ids.isin(flagged).to_numpy(),
            multichannel=(ids.map(channels).fillna(0) >= 3).to_numpy(),
            viral=ids.isin(viral).to_numpy(),
        )
        frame["repeat_contact"] = frame["contacts"] >= 2
        frame["escalation"] = (
            frame["regulator"] | frame["flagged"] | frame["multichannel"] | frame["viral"]
        )
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)
