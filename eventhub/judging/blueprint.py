"""The judging blueprint: every URL under /events/<slug> loads g.event first, or 404s.
Its views are split by who uses them: judge_views.py (judges) and manage_views.py
(organizers)."""

from flask import Blueprint

from eventhub.events.blueprint import load_event
from eventhub.judging import queries

bp = Blueprint("judging", __name__, url_prefix="/events/<slug>")
bp.url_value_preprocessor(load_event)


@bp.app_template_global("judging_is_final")
def judging_is_final(event) -> bool:
    """For pages that offer a change to judging: none once the results are published."""
    return queries.results_final(event)
