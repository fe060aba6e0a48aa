"""Training: LightGBM and baselines, out-of-time evaluation, MLflow tracking and the registry.

Import the submodules directly (``training.train``, ``training.pyfunc``, ...); this package
imports nothing heavy on its own.
"""
