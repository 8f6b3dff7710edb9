"""The judging blueprint: every URL under /events/<slug> loads g.event first, or 404s.
Its views are split by who uses them: judge_views.py (judges) and manage_views.py
(organizers)."""

from flask import Blueprint

from eventhub.events.blueprint import load_event

bp = Blueprint("judging", __name__, url_prefix="/events/<slug>")
bp.url_value_preprocessor(load_event)
