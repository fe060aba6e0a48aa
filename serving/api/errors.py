"""Client errors in the log: one line each, not a traceback at ERROR.

BentoML answers a body that breaks the request schema with a 400 and logs it through
``log_exception``: ``Exception on /score [POST]`` at ERROR with the whole traceback (a fuzz
run wrote 2,057 of them, 10.6 MB). A client's mistake is not a server error: the filter turns
such a record into one WARNING line naming the route, the error count and the pydantic error
types, never the input (values, or keys a client made up).
"""

from __future__ import annotations

import logging

from pydantic import ValidationError

BENTOML_HTTP_LOGGER = "bentoml._internal.server.http_app"


class ClientErrorFilter(logging.Filter):
    """Rewrites BentoML's exception record of a request validation error into one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if not isinstance(exc, ValidationError):
            return True
        path, method = record.args if isinstance(record.args, tuple) else ("?", "?")
        kinds = sorted({error["type"] for error in exc.errors(include_input=False)})
        record.msg = "rejected %s %s with 400: %d schema violation(s) (%s)"
        record.args = (method, path, exc.error_count(), ", ".join(kinds))
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True


def quiet_validation_errors() -> None:
    """Install :class:`ClientErrorFilter` on BentoML's HTTP logger (once per process)."""
    logger = logging.getLogger(BENTOML_HTTP_LOGGER)
    if not any(isinstance(f, ClientErrorFilter) for f in logger.filters):
        logger.addFilter(ClientErrorFilter())
