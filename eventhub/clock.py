"""The one source of "now". Tests may set app.config["CLOCK"] to a callable; nothing else does."""

from datetime import UTC, datetime

from flask import current_app, has_app_context


def now() -> datetime:
    if has_app_context():
        override = current_app.config.get("CLOCK")
        if override is not None:
            return override()
    return datetime.now(UTC)
