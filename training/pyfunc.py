"""The MLflow form of a :class:`~training.model.ProcareModel`: log, register, load.

The pyfunc input is the feature frame plus a ``document`` column (masked complaint tokens);
the output is one ``probability`` column. Services that need reason codes load the
``ProcareModel`` itself with :func:`load_model`. The feature and scoring configurations the model
carries are also written to the MLmodel file's ``metadata`` (key ``procare``), readable without
loading the model: ``mlflow.models.get_model_info(uri).metadata``.
"""

from __future__ import annotations

import warnings
from importlib.metadata import PackageNotFoundError, version

import mlflow
import pandas as pd
from mlflow.models import infer_signature
from mlflow.models.model import ModelInfo

from training.model import ProcareModel

DOCUMENT = "document"
METADATA_KEY = "procare"
REQUIREMENTS = ("lightgbm", "scikit-learn", "pandas", "numpy", "scipy", "jieba", "cloudpickle")


class ProcarePyfunc(mlflow.pyfunc.PythonModel):
    """Wraps a ProcareModel as an MLflow ``python_function`` model."""

    def __init__(self, model: ProcareModel) -> None:
        self.model = model

    def predict(self, context, model_input: pd.DataFrame, params=None) -> pd.DataFrame:
        """Probabilities for a frame of features plus a ``document`` column."""
        documents = model_input[DOCUMENT] if DOCUMENT in model_input.columns else None
        frame = model_input.drop(columns=[DOCUMENT], errors="ignore")
        probability = self.model.predict_proba(frame, documents)
        return pd.DataFrame({"probability": probability}, index=model_input.index)


def pyfunc_input(model: ProcareModel, frame: pd.DataFrame, documents=None) -> pd.DataFrame:
    """The pyfunc input of a feature frame: categoricals as strings, plus ``document``."""
    out = frame[model.input_columns].copy()
    for column in model.schema.categorical_columns:
        if column in out.columns:
            out[column] = out[column].astype("string").astype(object)
    if documents is None:
        out[DOCUMENT] = ""
    elif isinstance(documents, pd.Series):
        out[DOCUMENT] = documents.reindex(frame.index).fillna("").astype(str)
    else:
        out[DOCUMENT] = list(documents)
    return out


def _requirements() -> list[str]:
    pins = []
    for package in REQUIREMENTS:
        try:
            pins.append(f"{package}=={version(package)}")
        except PackageNotFoundError:
            continue
    return pins


def log_procare_model(model: ProcareModel, example: pd.DataFrame, name: str = "model") -> ModelInfo:
    """Log ``model`` as a pyfunc in the active run.

    Args:
        model: The artifact.
        example: A few feature rows (no PII: the ``document`` column is blanked here, and the
            index is dropped) used for the signature and input example.
        name: Model name inside the run.

    Returns:
        The logged model's info (``model_uri`` for registration).
    """
    example = pyfunc_input(model, example.reset_index(drop=True), None)
    output = ProcarePyfunc(model).predict(None, example)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*Inferred schema contains integer.*")
        return mlflow.pyfunc.log_model(
            name=name,
            python_model=ProcarePyfunc(model),
            signature=infer_signature(example, output),
            input_example=example,
            pip_requirements=_requirements(),
            metadata={METADATA_KEY: {"target": model.target, **model.carried_configs()}},
        )


def load_model(uri: str) -> ProcareModel:
    """The ProcareModel behind a model URI, e.g. ``models:/procare-escalation@champion``."""
    wrapper = mlflow.pyfunc.load_model(uri).unwrap_python_model()
    if not isinstance(wrapper, ProcarePyfunc):
        raise TypeError(f"{uri} is not a procare model (found {type(wrapper).__name__})")
    return wrapper.model
