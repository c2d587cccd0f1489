"""Structured JSON logs (structlog) with secrets scrubbed from every event.

Two layers: values under a secret-sounding key are replaced whole, and every string value
(the event, exception text, tracebacks) passes ``config.scrub``. Records of the standard
``logging`` module (uvicorn, lark-oapi, httpx) pass the same scrubber through a filter.
"""

from __future__ import annotations

import logging
import re
from collections.abc import MutableMapping
from typing import Any

import structlog

from config.scrub import scrub as scrub_text

__all__ = ["configure_logging", "scrub", "ScrubFilter"]

SECRET_KEYS = re.compile(r"(secret|token|password|authorization|encrypt|api_key)", re.I)


def scrub(_logger: Any, _name: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    for key in list(event):
        if SECRET_KEYS.search(key):
            event[key] = "***"
        elif isinstance(event[key], str):
            event[key] = scrub_text(event[key])
    return event


class ScrubFilter(logging.Filter):
    """Scrubs a standard-library record's message (arguments merged) and its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = scrub_text(record.getMessage())
        record.args = None
        if record.exc_info:
            record.exc_text = scrub_text(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


def configure_logging(level: str = "INFO", json_output: bool = True) -> None:
    logging.basicConfig(level=level, format="%(message)s")
    # The root handlers, and lark-oapi's own stdout handler (its logger "Lark" writes there
    # too, e.g. the long connection's URL with its ticket).
    for handler in (*logging.getLogger().handlers, *logging.getLogger("Lark").handlers):
        if not any(isinstance(f, ScrubFilter) for f in handler.filters):
            handler.addFilter(ScrubFilter())
    renderer: Any = (
        structlog.processors.JSONRenderer() if json_output else structlog.dev.ConsoleRenderer()
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            scrub,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
    )
