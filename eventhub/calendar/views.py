"""Calendar feeds, "add to calendar" downloads, the site feed's page and the personal feed's
buttons.

A feed answers a conditional request from its validator alone (queries.py): the feed is
built only when the client's copy is stale. Public feeds may be cached by anyone for five
minutes; a personal feed only by its owner's client. The personal feed's URL carries its
secret, so eventhub/logs.py cuts ``/calendar/<token>`` out of every log line.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit, urlunsplit

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from werkzeug.http import is_resource_modified

from eventhub.actions import act
from eventhub.authz import requires
from eventhub.calendar import feeds, queries, sequence, services, store
from eventhub.calendar.forms import ReminderForm
from eventhub.calendar.queries import Validator
from eventhub.clock import now
from eventhub.enums import EventKind
from eventhub.errors import DomainError
from eventhub.events.models import AgendaSession
from eventhub.events.queries import event_by_slug, get_owned
from eventhub.extensions import db
from eventhub.forms import ActionForm

bp = Blueprint("calendar", __name__)


@bp.record_once
def _on_register(state) -> None:
    """Raise SEQUENCE wherever visible rows change; start with no feed parts in memory
    (their fingerprints hold row versions, which mean nothing to another app's database)."""
    sequence.install()
    store.MEMORY.clear()


KINDS = tuple(kind.value for kind in EventKind)
PUBLIC_CACHE = "public, max-age=300"
PRIVATE_CACHE = "private, no-cache"


@bp.url_value_preprocessor
def load_event(endpoint, values) -> None:
    """Under /events/<slug>: the event (404 if unknown). The event feed loads its validator
    in the same statement, so a 304 costs the one query the permission check needs anyway."""
    if not values or "slug" not in values:
        return
    slug = values.pop("slug")
    if endpoint == "calendar.event_feed":
        found = queries.event_with_validator(slug, now(), _base())
        g.event, g.validator = found if found is not None else (None, None)
    else:
        g.event = event_by_slug(slug)
    if g.event is None:
        abort(404)


def _base() -> str:
    return current_app.config["BASE_URL"].rstrip("/")


def feed_url(endpoint: str, **values) -> str:
    return _base() + url_for(endpoint, **values)


def subscribe_links(url: str) -> dict[str, str]:
    """webcal:// for Apple Calendar and Outlook, Google's subscribe link, and the plain URL."""
    parts = urlsplit(url)
    webcal = urlunsplit(("webcal", *parts[1:]))
    return {
        "https": url,
        "webcal": webcal,
        "google": "https://calendar.google.com/calendar/render?cid=" + quote(webcal, safe=""),
    }


@bp.app_context_processor
def calendar_helpers() -> dict:
    return {
        "feed_url": feed_url,
        "subscribe_links": subscribe_links,
        "my_calendar_feed": _my_feed,
        "reminder_form": _reminder_form,
    }


def _my_feed():
    return services.feed_of(current_user) if current_user.is_authenticated else None


def _reminder_form(feed=None) -> ReminderForm:
    return ReminderForm(formdata=None, data={"reminder": feed.reminder if feed else "none"})


def requested_kinds() -> tuple[str, ...]:
    """``?kind=a&kind=b`` or ``?kind=a,b``; an unknown kind is a 400 naming the known ones."""
    asked = {k.strip() for value in request.args.getlist("kind") for k in value.split(",")}
    asked.discard("")
    unknown = sorted(asked - set(KINDS))
    if unknown:
        abort(
            400,
            f"Unknown kind: {', '.join(unknown)}. The kinds are: {', '.join(KINDS)}.",
        )
    return tuple(sorted(asked))


def built(feed, *args) -> bytes:
    """The feed's bytes; the parts it had to write are then stored for other processes."""
    parts = store.Parts()
    body = feed(*args, parts)
    parts.save()
    return body


def ics_response(validator: Validator, build, *, private: bool = False, filename: str = ""):
    """304 from the validator alone when the client's copy is current; else the feed."""
    current = not is_resource_modified(
        request.environ, etag=validator.etag, last_modified=validator.last_modified
    )
    response = Response(None if current else build(), 304 if current else 200)
    response.mimetype = "text/calendar"
    response.set_etag(validator.etag)
    response.last_modified = validator.last_modified
    response.headers["Cache-Control"] = PRIVATE_CACHE if private else PUBLIC_CACHE
    if filename:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/calendar.ics")
@requires("calendar.public")
def site_feed():
    kinds, at = requested_kinds(), now()
    validator = queries.site_validator(at, kinds, _base())
    return ics_response(validator, lambda: built(feeds.site_feed, at, kinds))


@bp.get("/calendar")
@requires("calendar.public")
def site_page():
    kinds = requested_kinds()
    links = subscribe_links(feed_url("calendar.site_feed", kind=",".join(kinds) or None))
    return render_template("calendar/site.html", kinds=kinds, links=links)


@bp.get("/events/<slug>/calendar.ics")
@requires("event.view")
def event_feed():
    event, at = g.event, now()
    return ics_response(
        g.validator, lambda: built(feeds.event_feed, event, at), private=not event.is_visible
    )


def _download(body: bytes, filename: str) -> Response:
    validator = Validator(queries.digest(body), None)
    return ics_response(validator, lambda: body, private=not g.event.is_visible, filename=filename)


@bp.get("/events/<slug>/event.ics")
@requires("event.view")
def event_download():
    return _download(built(feeds.event_download, g.event), f"{g.event.slug}.ics")


@bp.get("/events/<slug>/agenda/<int:session_id>.ics")
@requires("event.view")
def session_download(session_id: int):
    session = get_owned(AgendaSession, g.event, session_id)
    body = built(feeds.session_download, session, g.event)
    return _download(body, f"{g.event.slug}-session-{session.id}.ics")


@bp.get("/calendar/<token>.ics")
@requires("calendar.personal")
def personal_feed(token: str):
    """The token is the credential: unknown and revoked tokens are the same 404."""
    at = now()
    found = queries.token_with_validator(services.token_hash(token), at, _base())
    if found is None:
        abort(404)
    feed, validator = found
    return ics_response(validator, lambda: built(feeds.personal_feed, feed, at), private=True)


@bp.post("/account/calendar-feed")
@requires("calendar.manage")
def create_feed():
    """Shown once, in this answer (never stored, so no page can show it again)."""
    form = ReminderForm()
    token = act(form, services.create_feed, current_user)
    if token is None:
        flash(" ".join(form.reminder.errors) or "Choose when to be reminded.", "error")
        return redirect(url_for("accounts.profile"))
    url = feed_url("calendar.personal_feed", token=token)
    page = render_template("calendar/feed_created.html", links=subscribe_links(url))
    response = make_response(page)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/account/calendar-feed/revoke")
@requires("calendar.manage")
def revoke_feed():
    if ActionForm().validate_on_submit():
        try:
            services.revoke_feed(current_user, actor=current_user)
        except DomainError as exc:
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash("Your calendar feed is turned off. Its address no longer works.", "success")
    return redirect(url_for("accounts.profile"))


@bp.post("/account/calendar-feed/reminders")
@requires("calendar.manage")
def set_reminder():
    form = ReminderForm()
    if act(form, services.set_reminder, current_user):
        flash("Your reminders are saved. Calendar apps pick them up at their next refresh.")
    else:
        flash(" ".join(form.form_errors + form.reminder.errors) or "Nothing changed.", "error")
    return redirect(url_for("accounts.profile"))
