"""Text-mined complaint features (Chinese): PII masking, intent and anger analysis, topic
shares, per-customer aggregates, customer documents and a TF-IDF risk model.

Public API:
    mask_pii, analyze_texts, text_features, customer_documents, normalize_numbers,
    text_signal_table, TelecomTokenizer, TextRiskModel, oof_scores, FEATURES, TEXT_DEFAULTS,
    STANCES.
"""

from features.text.aggregate import FEATURE_COLUMNS, text_features
from features.text.analysis import ANALYSIS_COLUMNS, analyze_masked, analyze_texts
from features.text.documents import customer_documents
from features.text.normalize import NORMAL_TOKENS, normalize_numbers
from features.text.patterns import ESCALATION_KINDS, TOPICS
from features.text.pii import MASK_TOKENS, mask_pii
from features.text.risk_model import TextRiskModel, oof_scores
from features.text.signals import text_signal_table
from features.text.specs import FEATURES, TEXT_DEFAULTS
from features.text.stance import STANCES
from features.text.tokenizer import TelecomTokenizer, rjieba_available

__all__ = [
    "ANALYSIS_COLUMNS",
    "ESCALATION_KINDS",
    "FEATURES",
    "FEATURE_COLUMNS",
    "MASK_TOKENS",
    "NORMAL_TOKENS",
    "STANCES",
    "TEXT_DEFAULTS",
    "TOPICS",
    "TelecomTokenizer",
    "TextRiskModel",
    "analyze_masked",
    "analyze_texts",
    "customer_documents",
    "mask_pii",
    "normalize_numbers",
    "oof_scores",
    "rjieba_available",
    "text_features",
    "text_signal_table",
]
