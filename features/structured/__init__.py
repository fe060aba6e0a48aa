"""Structured features: billing, usage, account and contact history (prefixes bill_, use_,
acct_, ct_)."""

from features.structured.combine import (
    CONTACT_FREE_FEATURES,
    FEATURES,
    contact_free_features,
    structured_features,
)

__all__ = ["CONTACT_FREE_FEATURES", "FEATURES", "contact_free_features", "structured_features"]
