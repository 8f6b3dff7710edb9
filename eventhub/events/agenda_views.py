"""The agenda: sessions grouped by day in the event's zone."""

from itertools import groupby

from flask import flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from eventhub.authz import requires
from eventhub.demoday import queries as demoday_queries
from eventhub.errors import DomainError
from eventhub.events import services
from eventhub.events.blueprint import bp
from eventhub.events.forms import SessionForm
from eventhub.events.models import AgendaSession
from eventhub.events.queries import get_owned
from eventhub.extensions import db
from eventhub.forms import ActionForm
from eventhub.timefmt import local


@bp.get("/<slug>/agenda")
@requires("event.view")
def agenda():
    event = g.event
    # The demo day's running order is one more item, at its start time.
    entries = [*event.sessions, *demoday_queries.agenda_entries(event)]
    entries.sort(key=lambda s: s.starts_at)  # stable: sessions keep their order
    days = [
        (day, list(items))
        for day, items in groupby(entries, key=lambda s: local(s.starts_at, event.timezone).date())
    ]
    return render_template("events/agenda.html", event=event, days=days, action=ActionForm())


def _session_form(event, session=None):
    form = SessionForm(obj=session, event=event)
    if request.method == "GET":
        if session is not None:
            form.fill_times(session, event.timezone)
        else:
            form.fill_times(event, event.timezone)  # start at the event's start as a hint
            form.ends_at.raw_data = [""]
    return form


@bp.route("/<slug>/agenda/new", methods=["GET", "POST"])
@requires("event.manage")
def add_session():
    form = _session_form(g.event)
    if form.validate_on_submit():
        try:
            services.add_session(g.event, form.data_for_service(), actor=current_user)
        except DomainError as exc:
            form.add_error(exc.message, exc.field)
        else:
            db.session.commit()
            flash("Session added to the agenda.", "success")
            return redirect(url_for("events.agenda", slug=g.event.slug))
    return render_template("events/session_form.html", event=g.event, form=form, session=None)


@bp.route("/<slug>/agenda/<int:session_id>/edit", methods=["GET", "POST"])
@requires("event.manage")
def edit_session(session_id: int):
    session = get_owned(AgendaSession, g.event, session_id)
    form = _session_form(g.event, session)
    if form.validate_on_submit():
        try:
            services.update_session(session, form.data_for_service(), actor=current_user)
        except DomainError as exc:
            db.session.rollback()
            form.add_error(exc.message, exc.field)
        else:
            db.session.commit()
            flash("Session saved.", "success")
            return redirect(url_for("events.agenda", slug=g.event.slug))
    return render_template("events/session_form.html", event=g.event, form=form, session=session)


@bp.post("/<slug>/agenda/<int:session_id>/cancel")
@requires("event.manage")
def cancel_session(session_id: int):
    session = get_owned(AgendaSession, g.event, session_id)
    try:
        services.cancel_session(session, actor=current_user)
    except DomainError as exc:
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(
            f"“{session.title}” is cancelled; it stays on the agenda marked cancelled.", "success"
        )
    return redirect(url_for("events.agenda", slug=g.event.slug))
