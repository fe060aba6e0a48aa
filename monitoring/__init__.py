"""Monitoring: data quality, feature and score drift, expected and realized performance.

Pure computations live in small modules (:mod:`monitoring.drift`, :mod:`monitoring.expected`,
:mod:`monitoring.realized`, :mod:`monitoring.data_quality`, :mod:`monitoring.recommend`); reading
snapshots, scores and the registry, and logging to MLflow (experiment ``procare-monitoring``),
happen in :mod:`monitoring.run` and the modules it calls.
"""
