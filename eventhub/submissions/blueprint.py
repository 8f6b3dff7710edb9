"""The projects blueprint: every URL under /events/<slug> loads g.event first, or 404s.
Its views are split by who uses them: views.py (teams and the public) and manage_views.py
(organizers)."""

from flask import Blueprint

from eventhub.events.blueprint import load_event
from eventhub.submissions import uploads

bp = Blueprint("projects", __name__, url_prefix="/events/<slug>")
bp.url_value_preprocessor(load_event)


@bp.record_once
def _on_register(state) -> None:
    """Files written for a transaction that does not commit are removed."""
    uploads.install()
