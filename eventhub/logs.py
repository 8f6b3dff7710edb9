"""Logging that never writes a secret: calendar tokens and reset tokens are cut from paths."""

import logging
import re

SECRET_PATHS = re.compile(r"(/(?:reset|calendar)/)[^/\s?.]+")


def redact(text: str) -> str:
    return SECRET_PATHS.sub(r"\1[redacted]", text)


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if record.args:
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        return True


def configure_logging(app) -> None:
    level = app.config.get("LOG_LEVEL", "INFO")
    logging.getLogger("eventhub").setLevel(level)
    app.logger.setLevel(level)
    for name in ("eventhub", "gunicorn.access", "gunicorn.error", "werkzeug"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactingFilter) for f in logger.filters):
            logger.addFilter(RedactingFilter())
    if not logging.getLogger().handlers and not logging.getLogger("eventhub").handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logging.getLogger("eventhub").addHandler(handler)
