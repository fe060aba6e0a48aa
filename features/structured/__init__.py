"""Structured features: billing, usage, account and contact history (prefixes bill_, use_,
acct_, ct_)."""

from features.structured.combine import FEATURES, structured_features

__all__ = ["FEATURES", "structured_features"]
