"""Event pages: lists, the event page, create, edit, publish, cancel, organizers, partners."""

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from eventhub.authz import can, requires
from eventhub.challenges.queries import challenges_of
from eventhub.clock import now
from eventhub.enums import EventKind, EventStatus
from eventhub.errors import DomainError
from eventhub.events import queries, services
from eventhub.events.blueprint import bp
from eventhub.events.forms import EventForm, OrganizerForm, PartnerForm
from eventhub.events.models import Partner
from eventhub.events.phases import event_phase, registration_closed
from eventhub.events.registration import joins_waitlist, registration_status
from eventhub.extensions import db
from eventhub.forms import ActionForm
from eventhub.teams.queries import team_of

__all__ = ["bp"]


@bp.get("")
@requires("public")
def index():
    kind = request.args.get("kind") or None
    if kind is not None and kind not in {k.value for k in EventKind}:
        abort(400, "Unknown kind. Choose one of: " + ", ".join(k.value for k in EventKind) + ".")
    at = now()
    return render_template(
        "events/index.html",
        kind=kind,
        at=at,
        upcoming=queries.listed_events(past=False, at=at, kind=kind),
        past=queries.listed_events(past=True, at=at, kind=kind),
        drafts=queries.my_drafts(current_user),
    )


@bp.app_template_global("joins_waitlist")
def joins_waitlist_now(event) -> bool:
    """For event cards: the same badge as the event page."""
    return joins_waitlist(event, now())


@bp.route("/new", methods=["GET", "POST"])
@requires("event.create")
def create():
    form = EventForm(timezone="America/New_York")
    if form.validate_on_submit():
        try:
            event = services.create_event(form.data_for_service(), actor=current_user)
        except DomainError as exc:
            form.add_error(exc.message, exc.field)
        else:
            db.session.commit()
            flash(
                "Event created as a draft. Add sessions and partners, then publish it.", "success"
            )
            return redirect(url_for("events.show", slug=event.slug))
    return render_template("events/form.html", form=form, event=None)


@bp.get("/<slug>")
@requires("event.view")
def show():
    event = g.event
    reg = queries.registration_of(event, current_user)
    at = now()
    phase = event_phase(event, at)
    return render_template(
        "events/show.html",
        event=event,
        phase=phase,
        full=joins_waitlist(event, at),
        reg=reg,
        position=queries.waitlist_position(reg) if reg else None,
        registration=registration_status(event, at),
        registration_closed=registration_closed(event, at),
        organizers=queries.organizers(event),
        challenges=challenges_of(event),
        show_link=can(current_user, "event.online_link", event),
        my_team=team_of(event, current_user),
        form=ActionForm(),
    )


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@requires("event.manage")
def edit():
    event = g.event
    form = EventForm(obj=event)
    if request.method == "GET":
        form.fill_times(event, event.timezone)
    if form.validate_on_submit():
        try:
            services.update_event(event, form.data_for_service(), actor=current_user)
        except DomainError as exc:
            db.session.rollback()
            form.add_error(exc.message, exc.field)
        else:
            db.session.commit()
            flash("Event saved.", "success")
            return redirect(url_for("events.show", slug=event.slug))
    return render_template("events/form.html", form=form, event=event)


def _status_action(status: EventStatus, message: str):
    try:
        services.set_status(g.event, status, actor=current_user)
    except DomainError as exc:
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(message, "success")
    return redirect(url_for("events.show", slug=g.event.slug))


@bp.post("/<slug>/publish")
@requires("event.manage")
def publish():
    return _status_action(EventStatus.PUBLISHED, "The event is published.")


@bp.post("/<slug>/unpublish")
@requires("event.manage")
def unpublish():
    return _status_action(
        EventStatus.DRAFT, "The event is a draft again, visible to organizers only."
    )


@bp.post("/<slug>/cancel")
@requires("event.manage")
def cancel():
    return _status_action(
        EventStatus.CANCELLED, "The event is cancelled. It stays listed as cancelled."
    )


@bp.route("/<slug>/organizers", methods=["GET", "POST"])
@requires("event.manage")
def organizers():
    form = OrganizerForm()
    if form.validate_on_submit():
        try:
            role = services.add_organizer(g.event, form.email.data, actor=current_user)
        except DomainError as exc:
            form.add_error(exc.message, exc.field)
        else:
            db.session.commit()
            flash(f"{role.user.name} is now an organizer of this event.", "success")
            return redirect(url_for("events.organizers", slug=g.event.slug))
    return render_template(
        "events/organizers.html",
        event=g.event,
        form=form,
        people=queries.organizers(g.event),
        action=ActionForm(),
    )


@bp.post("/<slug>/organizers/<int:user_id>/remove")
@requires("event.manage")
def remove_organizer(user_id: int):
    try:
        services.remove_organizer(g.event, user_id, actor=current_user)
    except DomainError as exc:
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash("Organizer removed.", "success")
    return redirect(url_for("events.organizers", slug=g.event.slug))


@bp.route("/<slug>/partners", methods=["GET", "POST"])
@requires("event.manage")
def partners():
    form = PartnerForm()
    if form.validate_on_submit():
        services.add_partner(g.event, form.data_for_service(), actor=current_user)
        db.session.commit()
        flash("Partner added.", "success")
        return redirect(url_for("events.partners", slug=g.event.slug))
    return render_template("events/partners.html", event=g.event, form=form, action=ActionForm())


@bp.post("/<slug>/partners/<int:partner_id>/remove")
@requires("event.manage")
def remove_partner(partner_id: int):
    partner = queries.get_owned(Partner, g.event, partner_id)
    services.remove_partner(partner, actor=current_user)
    db.session.commit()
    flash("Partner removed.", "success")
    return redirect(url_for("events.partners", slug=g.event.slug))


from eventhub.events import agenda_views, registration_views  # noqa: E402,F401  (routes on bp)
