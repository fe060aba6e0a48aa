"""Baselines: the model families of the reported practice, and the early-warning rules.

- ``logistic_regression``: scaled numeric features, one-hot categoricals, balanced class weights.
- ``decision_tree``: the same inputs, depth-limited, balanced class weights.
- ``mlp``: a small neural net on the same inputs (no class weights in scikit-learn's MLP; it is
  trained on the natural rate and calibrated like every other model).
- ``rule``: escalation = the customer affirmed an intent to escalate in a text of the last 30
  days (``txt_escalation_intent_any_30d``) or contacted us on 3+ channels in 30 days
  (``ct_distinct_channels_30d``), the provincial operator's early-warning rule; repeat contact
  = ranked by inbound contacts in the last 30 days (``ct_inbound_30d``). The rule itself lives
  in :mod:`features.early_warning`, shared with the backtest and the live alert.
"""

from __future__ import annotations

import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.tree import DecisionTreeClassifier

from features.early_warning import rule_score as rule_score
from training.config import BaselineParams
from training.feature_schema import FeatureSchema

BASELINES = ("logistic_regression", "decision_tree", "mlp")
RULE = "rule"


def _preprocessor(schema: FeatureSchema) -> ColumnTransformer:
    numeric = Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())])
    categorical = OneHotEncoder(handle_unknown="ignore")
    parts = [("numeric", numeric, schema.numeric_columns)]
    if schema.categorical_columns:
        parts.append(("categorical", categorical, schema.categorical_columns))
    return ColumnTransformer(parts, sparse_threshold=0.0)


def make_baseline(name: str, schema: FeatureSchema, params: BaselineParams, seed: int) -> Pipeline:
    """An unfitted scikit-learn pipeline of baseline ``name`` over the schema's columns.

    Feed it :meth:`FeatureSchema.to_frame` output, whose categoricals become strings here.

    Raises:
        ValueError: For an unknown baseline name.
    """
    if name == "logistic_regression":
        model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=500)
    elif name == "decision_tree":
        model = DecisionTreeClassifier(
            max_depth=params.tree_max_depth,
            min_samples_leaf=params.tree_min_samples_leaf,
            class_weight="balanced",
            random_state=seed,
        )
    elif name == "mlp":
        model = MLPClassifier(
            hidden_layer_sizes=params.mlp_hidden,
            alpha=1e-3,
            max_iter=params.mlp_max_iter,
            early_stopping=True,
            random_state=seed,
        )
    else:
        raise ValueError(f"unknown baseline {name!r}; choose from {BASELINES}")
    return Pipeline([("prepare", _preprocessor(schema)), ("model", model)])


def sklearn_input(schema: FeatureSchema, frame: pd.DataFrame) -> pd.DataFrame:
    """The schema's frame with categoricals as plain strings (missing -> ``"(missing)"``)."""
    pinned = schema.to_frame(frame)
    for column in schema.categorical_columns:
        pinned[column] = pinned[column].astype(object).where(pinned[column].notna(), "(missing)")
    return pinned
