"""The events blueprint: every URL under /events/<slug> loads g.event first, or 404s."""

from flask import Blueprint, abort, g

from eventhub.events.queries import event_by_slug

bp = Blueprint("events", __name__, url_prefix="/events")


@bp.url_value_preprocessor
def load_event(endpoint, values) -> None:
    if values and "slug" in values:
        event = event_by_slug(values.pop("slug"))
        if event is None:
            abort(404)
        g.event = event
