"""Identity: one customer across channels and social accounts.

Contacts and posts are attributed to a customer by ``customer_id`` when present, else by the
social account whose ``bound_msisdn`` is the customer's msisdn. Unbound accounts stay anonymous.
"""

from __future__ import annotations

import pandas as pd

from features.registry import FeatureSpec
from features.timeline import in_last_days, known_at

REPOST_SETTLE_DAYS = 2

FEATURES: list[FeatureSpec] = [
    FeatureSpec(
        "id_social_accounts",
        "identity",
        "Social accounts bound to the customer's number",
        "绑定本人号码的社交账号数",
        "int",
    ),
    FeatureSpec(
        "id_followers",
        "identity",
        "Followers of the customer's largest bound social account",
        "本人社交账号最大粉丝数",
        "float",
        "social account with {value:,.0f} followers",
        "社交账号粉丝 {value:,.0f} 人",
    ),
    FeatureSpec(
        "id_social_contacts_30d",
        "identity",
        "Contacts in the last 30 days attributed only through a bound social account",
        "近30天经社交账号识别到的联系次数",
        "int",
        "{value:.0f} contacts via social media in 30 days",
        "近30天通过社交媒体联系 {value:.0f} 次",
    ),
    FeatureSpec(
        "id_brand_posts_30d",
        "identity",
        "Brand-mentioning posts by the customer's accounts in the last 30 days",
        "近30天本人账号提及品牌的帖子数",
        "int",
        "{value:.0f} public posts about us in 30 days",
        "近30天发布 {value:.0f} 条提及品牌的帖子",
    ),
    FeatureSpec(
        "id_brand_posts_90d",
        "identity",
        "Brand-mentioning posts by the customer's accounts in the last 90 days",
        "近90天本人账号提及品牌的帖子数",
        "int",
    ),
    FeatureSpec(
        "id_brand_post_reposts_90d",
        "identity",
        "Reposts of the customer's brand posts in the last 90 days (posts at least 2 days old)",
        "近90天品牌相关帖子被转发总数（发布满2天的帖子）",
        "float",
        "posts about us reposted {value:,.0f} times",
        "相关帖子被转发 {value:,.0f} 次",
    ),
    FeatureSpec(
        "id_max_post_reposts_90d",
        "identity",
        "Largest repost count of one brand post in the last 90 days (posts at least 2 days old)",
        "近90天单条品牌帖子最高转发数（发布满2天的帖子）",
        "float",
    ),
]

IDENTITY_COLUMNS = [spec.name for spec in FEATURES]


def account_owners(customers: pd.DataFrame, social_accounts: pd.DataFrame) -> pd.DataFrame:
    """Map each bound social account to its customer.

    Args:
        customers: Contract ``customers`` table (customer_id, msisdn).
        social_accounts: Contract ``social_accounts`` table.

    Returns:
        One row per bound account: account_id, customer_id, platform, followers.
    """
    bound = social_accounts.dropna(subset=["bound_msisdn"])
    owners = bound.merge(
        customers[["customer_id", "msisdn"]],
        left_on="bound_msisdn",
        right_on="msisdn",
        how="inner",
    )
    return owners[["account_id", "customer_id", "platform", "followers"]].reset_index(drop=True)


def resolve_contacts(contacts: pd.DataFrame, owners: pd.DataFrame) -> pd.DataFrame:
    """Fill ``customer_id`` of contacts that came in through a bound social account.

    Args:
        contacts: Contract ``contacts`` table.
        owners: Output of :func:`account_owners`.

    Returns:
        A copy of ``contacts`` with ``customer_id`` resolved where possible and a boolean
        ``resolved_via_social`` column.
    """
    owner_of = owners.set_index("account_id")["customer_id"]
    via_social = contacts["social_account_id"].map(owner_of)
    resolved = contacts.copy()
    missing = resolved["customer_id"].isna()
    resolved["resolved_via_social"] = missing & via_social.notna()
    resolved["customer_id"] = resolved["customer_id"].where(~missing, via_social)
    return resolved


def resolve_posts(posts: pd.DataFrame, owners: pd.DataFrame) -> pd.DataFrame:
    """Attach ``customer_id`` (nullable) to social posts through bound accounts."""
    owner_of = owners.set_index("account_id")["customer_id"]
    return posts.assign(customer_id=posts["account_id"].map(owner_of))


def identity_features(
    contacts: pd.DataFrame,
    posts: pd.DataFrame,
    owners: pd.DataFrame,
    customer_ids: pd.Index,
    as_of: str | pd.Timestamp,
) -> pd.DataFrame:
    """Per-customer identity features at ``as_of``.

    Args:
        contacts: Contacts after :func:`resolve_contacts`.
        posts: Social posts after :func:`resolve_posts`.
        owners: Output of :func:`account_owners`.
        customer_ids: The customers to describe (one output row each).
        as_of: Snapshot date.

    Returns:
        Frame indexed by ``customer_id`` with the columns of :data:`FEATURES`. Repost counts are
        taken only from posts at least ``REPOST_SETTLE_DAYS`` old, since the export holds the
        final count and a fresh post's later reposts would come from the future.
    """
    index = pd.Index(customer_ids, name="customer_id")
    out = pd.DataFrame(index=index)
    account_groups = owners.groupby("customer_id")
    out["id_social_accounts"] = account_groups.size().reindex(index, fill_value=0)
    out["id_followers"] = account_groups["followers"].max().reindex(index, fill_value=0)

    recent = in_last_days(contacts, "ts", as_of, 30)
    via_social = recent.loc[recent["resolved_via_social"]]
    out["id_social_contacts_30d"] = (
        via_social.groupby("customer_id").size().reindex(index, fill_value=0)
    )

    brand = known_at(posts, "ts", as_of)
    brand = brand.loc[brand["mentions_brand"] & brand["customer_id"].notna()]
    out["id_brand_posts_30d"] = (
        in_last_days(brand, "ts", as_of, 30).groupby("customer_id").size()
    ).reindex(index, fill_value=0)
    last_90 = in_last_days(brand, "ts", as_of, 90)
    out["id_brand_posts_90d"] = last_90.groupby("customer_id").size().reindex(index, fill_value=0)
    settled_before = pd.Timestamp(as_of).normalize() + pd.Timedelta(days=1 - REPOST_SETTLE_DAYS)
    settled = last_90.loc[last_90["ts"] < settled_before].groupby("customer_id")["reposts"]
    out["id_brand_post_reposts_90d"] = settled.sum().reindex(index, fill_value=0).astype(float)
    out["id_max_post_reposts_90d"] = settled.max().reindex(index, fill_value=0).astype(float)
    return out.astype({spec.name: "int64" for spec in FEATURES if spec.dtype == "int"})
