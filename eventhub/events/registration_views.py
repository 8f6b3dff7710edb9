"""Registering and cancelling; the organizer's roster, CSV export and door check-in."""

from flask import Response, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from eventhub.authz import requires
from eventhub.errors import DomainError
from eventhub.events import queries, registration
from eventhub.events.blueprint import bp
from eventhub.events.models import Registration
from eventhub.extensions import db
from eventhub.forms import ActionForm, search_words


@bp.post("/<slug>/register")
@requires("registration.create")
def register():
    try:
        reg = registration.register(g.event, actor=current_user)
    except DomainError as exc:
        flash(exc.message, "error")
    else:
        db.session.commit()
        if reg.is_confirmed:
            flash("You are registered. See you there!", "success")
        else:
            position = queries.waitlist_position(reg)
            flash(
                f"The event is full. You are number {position} on the waitlist; "
                "we will email you if a place frees up.",
                "info",
            )
    return redirect(url_for("events.show", slug=g.event.slug))


@bp.get("/<slug>/registration/cancel")
@requires("registration.create")
def confirm_cancel_registration():
    """What cancelling also does (the person's team: see teams/_cancel_effect.html), asked
    before it is done."""
    reg = queries.registration_of(g.event, current_user)
    if reg is None or reg.status == registration.CANCELLED:
        flash("You are not registered for this event.", "info")
        return redirect(url_for("events.show", slug=g.event.slug))
    return render_template("events/cancel_registration.html", event=g.event, reg=reg)


@bp.post("/<slug>/registration/cancel")
@requires("registration.create")
def cancel_registration():
    reg = queries.registration_of(g.event, current_user)
    try:
        if reg is None:
            raise DomainError("You are not registered for this event.")
        registration.cancel(reg, actor=current_user)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash("Your registration is cancelled.", "success")
    return redirect(url_for("events.show", slug=g.event.slug))


@bp.get("/<slug>/roster")
@requires("registration.manage")
def roster():
    return render_template("events/roster.html", event=g.event, groups=queries.roster(g.event))


@bp.get("/<slug>/roster.csv")
@requires("registration.manage")
def roster_csv():
    body = registration.roster_csv(g.event, queries.roster(g.event))
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{g.event.slug}-roster.csv"'},
    )


@bp.get("/<slug>/checkin")
@requires("registration.manage")
def checkin():
    query = search_words(request.args.get("q"))
    confirmed = queries.roster(g.event)["confirmed"]
    if query:
        needle = query.lower()
        confirmed = [
            r for r in confirmed if needle in r.user.name.lower() or needle in r.user.email.lower()
        ]
    return render_template(
        "events/checkin.html", event=g.event, people=confirmed, query=query, action=ActionForm()
    )


@bp.post("/<slug>/checkin/<int:registration_id>")
@requires("registration.manage")
def check_in(registration_id: int):
    reg = queries.get_owned(Registration, g.event, registration_id)
    try:
        if request.form.get("undo") == "1":
            registration.undo_check_in(reg, actor=current_user)
            message = f"{reg.user.name}'s check-in is undone."
        else:
            registration.check_in(reg, actor=current_user)
            message = f"{reg.user.name} is checked in."
    except DomainError as exc:
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(message, "success")
    return redirect(url_for("events.checkin", slug=g.event.slug, q=request.args.get("q", "")))
