"""Identity: one customer across channels and social accounts.

Contacts and posts are attributed to a customer by ``customer_id`` when present, else by the
social account whose ``bound_msisdn`` is the customer's msisdn. Unbound accounts stay anonymous.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionArray

from features.core.grouped import group_count, group_max, group_sum
from features.core.inputs import flag_values, float_values, stamp_values, take
from features.core.point_in_time import known_mask, last_days_mask
from features.registry import FeatureSpec

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

    Works on any subset of customers as long as the tables hold all rows of those customers, so
    one customer online gets the same row as in the batch.

    Args:
        contacts: Contacts after :func:`resolve_contacts`.
        posts: Social posts after :func:`resolve_posts`.
        owners: Output of :func:`account_owners`.
        customer_ids: The customers to describe (one output row each, repeats allowed).
        as_of: Snapshot date.

    Returns:
        Frame indexed by ``customer_id`` with the columns of :data:`FEATURES`. Repost counts are
        taken only from posts at least ``REPOST_SETTLE_DAYS`` old, since the export holds the
        final count and a fresh post's later reposts would come from the future.
        ``id_followers`` keeps the dtype of ``owners["followers"]``.

    Raises:
        TypeError: ``ts`` of a non-empty ``contacts`` or ``posts`` is not naive datetime64.
    """
    index = pd.Index(customer_ids, name="customer_id")
    columns = identity_columns(contacts, posts, owners, index, as_of)
    return pd.DataFrame(columns, index=index, copy=False)


def identity_columns(
    contacts: pd.DataFrame,
    posts: pd.DataFrame,
    owners: pd.DataFrame,
    customer_ids: pd.Index,
    as_of: str | pd.Timestamp,
) -> dict[str, np.ndarray | ExtensionArray]:
    """The arrays of :func:`identity_features` (one entry per id of ``customer_ids``), by name."""
    index = customer_ids
    unique = index if index.is_unique else index.unique()
    size = len(unique)
    recent_contacts = np.flatnonzero(last_days_mask(_stamps(contacts), as_of, 30))
    social_contacts = recent_contacts[_flags(contacts, "resolved_via_social", recent_contacts)]
    post_stamps = _stamps(posts)
    recent_posts = np.flatnonzero(last_days_mask(post_stamps, as_of, 90))
    brand_posts = recent_posts[_flags(posts, "mentions_brand", recent_posts)]
    owner_codes, contact_codes, post_codes = _customer_codes(
        unique,
        _ids(owners, np.arange(len(owners))),
        _ids(contacts, social_contacts),
        _ids(posts, brand_posts),
    )
    owned = owner_codes >= 0
    columns = {
        "id_social_accounts": group_count(owner_codes, size, owned),
        "id_followers": _largest_followers(owners["followers"], owner_codes, owned, size),
        "id_social_contacts_30d": group_count(contact_codes, size, contact_codes >= 0),
        **_brand_post_columns(posts, post_stamps, brand_posts, post_codes, size, as_of),
    }
    if index is not unique:
        positions = unique.get_indexer(index)
        columns = {name: values[positions] for name, values in columns.items()}
    return {name: columns[name] for name in IDENTITY_COLUMNS}


def _brand_post_columns(
    posts: pd.DataFrame,
    stamps: np.ndarray,
    rows: np.ndarray,
    codes: np.ndarray,
    size: int,
    as_of: str | pd.Timestamp,
) -> dict[str, np.ndarray]:
    """Post counts and settled repost totals per customer from brand posts of the last 90 days.

    ``rows`` are the positions of those posts in ``posts``, ``codes`` their customer positions.
    """
    rows, codes = rows[codes >= 0], codes[codes >= 0]
    row_stamps = stamps[rows]
    settled = known_mask(row_stamps, as_of, days_before=REPOST_SETTLE_DAYS)
    reposts = np.zeros(0)
    if rows.size or "reposts" not in posts.columns:
        reposts = _float_values(posts["reposts"], rows)
    has_settled = group_count(codes, size, settled) > 0
    # np.bincount returns int64 for no rows even with weights, hence the cast of the sum.
    return {
        "id_brand_posts_30d": group_count(codes, size, last_days_mask(row_stamps, as_of, 30)),
        "id_brand_posts_90d": group_count(codes, size),
        "id_brand_post_reposts_90d": group_sum(codes, reposts, size, settled).astype(np.float64),
        "id_max_post_reposts_90d": np.where(
            has_settled, group_max(codes, reposts, size, mask=settled), 0.0
        ),
    }


def _largest_followers(
    followers: pd.Series, codes: np.ndarray, owned: np.ndarray, size: int
) -> np.ndarray | ExtensionArray:
    """Largest follower count per customer (0 without accounts), in the dtype of ``followers``."""
    values = _float_values(followers, slice(None))
    largest = group_max(codes, values, size, mask=owned)
    largest = np.where(group_count(codes, size, owned) > 0, largest, 0.0)
    if isinstance(followers.dtype, np.dtype):
        return largest.astype(followers.dtype)
    return pd.array(largest, dtype=followers.dtype)


def _customer_codes(index: pd.Index, *ids: np.ndarray | ExtensionArray) -> list[np.ndarray]:
    """Position in the unique ``index`` of every id in each of ``ids``; -1 if null or unknown.

    ``pd.factorize`` numbers ``index`` first, so codes below ``len(index)`` are positions. One
    hash of everything costs less than an ``Index.get_indexer`` per table on a few rows.
    """
    if not any(len(part) for part in ids):
        return [np.zeros(0, dtype=np.intp) for _ in ids]
    arrays = [np.asarray(index, dtype=object), *(np.asarray(part, dtype=object) for part in ids)]
    values = np.concatenate(arrays)
    codes, _ = pd.factorize(values, use_na_sentinel=False)
    codes[(codes >= len(index)) | pd.isna(values)] = -1
    ends = np.cumsum([len(part) for part in arrays]).tolist()
    return [codes[start:end] for start, end in zip(ends[:-1], ends[1:], strict=True)]


def _flags(frame: pd.DataFrame, column: str, rows: np.ndarray) -> np.ndarray:
    """Boolean ``column`` at ``rows``, missing values False; not read when there are no rows."""
    if not rows.size and column in frame.columns:
        return np.zeros(0, dtype=bool)
    return flag_values(frame[column], rows)


def _ids(frame: pd.DataFrame, rows: np.ndarray) -> np.ndarray | ExtensionArray:
    """``customer_id`` at ``rows``; not read when there are no rows."""
    if not rows.size and "customer_id" in frame.columns:
        return np.zeros(0, dtype=object)
    return take(frame["customer_id"], rows)


def _float_values(series: pd.Series, rows: np.ndarray | slice) -> np.ndarray:
    """``series`` at ``rows`` as float64 with missing values NaN."""
    values = take(series, rows)
    if isinstance(values, np.ndarray) and values.dtype.kind in "biuf":
        return values.astype(np.float64)
    return float_values(series, rows, nan=None)


def _stamps(frame: pd.DataFrame) -> np.ndarray:
    """The ``ts`` values of ``frame``; an empty table's untyped column counts as timestamps."""
    if not len(frame):
        return np.empty(0, dtype="datetime64[ns]")
    return stamp_values(frame["ts"])
