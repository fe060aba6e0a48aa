"""Warm-up: run every request path once before the service reports ready."""

from __future__ import annotations

import pandas as pd

from serving.api.events import rescore_customer, text_signals
from serving.api.live import score_frame
from serving.api.state import ServingState


def warm_up(state: ServingState) -> None:
    """Run every code path once so the first request does not pay for lazy initialisation."""
    if len(state.scores):
        first = str(state.scores.frame.index[0])
        frame, documents = state.snapshot_rows([first])
        score_frame(state, frame, documents, explain=True)
    state.tokenizer.transform(pd.Series(["账单扣费不对，我要投诉"]))
    text_signals("再不处理我就去工信部投诉")
    if len(state.scores):
        rescore_customer(state, str(state.scores.frame.index[0]), state.scores.as_of)
