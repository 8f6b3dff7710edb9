"""Template filters and globals: times in the event's zone, Markdown, links, permissions."""

from __future__ import annotations

from flask import Flask
from flask_login import current_user

from eventhub import timefmt
from eventhub.authz import can
from eventhub.enums import EventKind, EventPhase, SessionKind
from eventhub.safetext import mail_address, web_url
from eventhub.textfmt import excerpt, render_markdown, render_rich_text


def configure_templates(app: Flask) -> None:
    app.jinja_env.filters.update(
        markdown=render_markdown,
        rich_text=render_rich_text,
        excerpt=excerpt,
        datetime_in=timefmt.format_datetime,
        time_in=timefmt.format_time,
        date_in=timefmt.format_date,
        range_in=timefmt.format_range,
        # Every href built from stored data goes through one of these (see safetext).
        web_url=web_url,
        mail_address=mail_address,
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def globals_():
        return {
            "can": lambda name, event=None: can(current_user, name, event),
            "EventKind": EventKind,
            "EventPhase": EventPhase,
            "SessionKind": SessionKind,
        }
