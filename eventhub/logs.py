"""Logging that never writes a secret: calendar tokens and reset tokens are cut from paths.

Two traps, both met in production:

- gunicorn's access log passes one dict of "atoms" as the record's args (the request line,
  the path, the query, headers and environ values, formatted by ``%(r)s``-style keys). A
  filter that treats args as a tuple turns that dict into its keys: the format then fails,
  logging prints a traceback instead of the line, and the line is lost. The dict is redacted
  value by value, in place, so gunicorn's own mapping (which answers missing keys with "-")
  keeps working.
- A filter on a logger sees only records logged on that very logger, not those of its
  children ("eventhub.mail") that merely pass through its handlers. So the filter is also put
  on the handlers the records end in.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

SECRET_PATHS = re.compile(r"(/(?:reset|calendar)/)[^/\s?.\"']+")
LOGGERS = ("eventhub", "gunicorn.access", "gunicorn.error", "werkzeug")


def redact(text: str) -> str:
    return SECRET_PATHS.sub(r"\1[redacted]", text)


def _clean(value):
    return redact(value) if isinstance(value, str) else value


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "redact", True):  # a development mail, logged on purpose
            return True
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        args = record.args
        if isinstance(args, Mapping):
            for key, value in list(args.items()):
                if isinstance(value, str):
                    args[key] = redact(value)  # type: ignore[index]
        elif isinstance(args, tuple):
            record.args = tuple(_clean(a) for a in args)
        return True


def _guard(holder: logging.Logger | logging.Handler) -> None:
    if not any(isinstance(f, RedactingFilter) for f in holder.filters):
        holder.addFilter(RedactingFilter())


def configure_logging(app) -> None:
    level = app.config.get("LOG_LEVEL", "INFO")
    logging.getLogger("eventhub").setLevel(level)
    app.logger.setLevel(level)
    if not logging.getLogger().handlers and not logging.getLogger("eventhub").handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logging.getLogger("eventhub").addHandler(handler)
    for name in ("", *LOGGERS):
        logger = logging.getLogger(name)
        if name:
            _guard(logger)
        for handler in logger.handlers:
            _guard(handler)
