"""The home page and the health check."""

from flask import Blueprint, jsonify, render_template
from flask_login import current_user

from eventhub.authz import requires
from eventhub.clock import now
from eventhub.database import database_ok
from eventhub.events.queries import listed_events, my_drafts

bp = Blueprint("core", __name__)


@bp.get("/")
@requires("public")
def home():
    upcoming = listed_events(past=False, at=now())[:6]
    return render_template("core/home.html", upcoming=upcoming, drafts=my_drafts(current_user))


@bp.get("/healthz")
@requires("public")
def healthz():
    ok, detail = database_ok()
    body = {"status": "ok" if ok else "unavailable", "database": detail}
    return jsonify(body), 200 if ok else 503
