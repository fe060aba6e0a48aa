"""The scoring service for CRM systems (BentoML): scores, reasons, outreach, early warning.

The service class is :class:`serving.api.service.ProcareService`
(``bentoml serve serving.api.service:ProcareService``); importing this package has no side effects
and does not import BentoML.
"""
