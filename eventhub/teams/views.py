"""Team pages: the event's teams, one team's page with its captain's controls, joining by
code or invite link, leaving. Every button is a plain POST form, so it all works without
JavaScript; the board, join requests and organizer views are in board_views."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, render_template, url_for
from flask_login import current_user

from eventhub.authz import requires
from eventhub.clock import now
from eventhub.errors import DomainError
from eventhub.events.blueprint import load_event
from eventhub.events.phases import team_formation_closes, team_formation_open
from eventhub.extensions import db, limiter
from eventhub.teams import board, queries, services
from eventhub.teams.forms import (
    CaptainForm,
    InviteForm,
    JoinCodeForm,
    JoinRequestForm,
    TeamDetailsForm,
    TeamForm,
)

bp = Blueprint("teams", __name__, url_prefix="/events/<slug>")
bp.url_value_preprocessor(load_event)


def to_team(team):
    return redirect(url_for("teams.show", slug=g.event.slug, team_id=team.id))


def to_index():
    return redirect(url_for("teams.index", slug=g.event.slug))


def attempt(service, *args, success: str, **kwargs):
    """Run a button's service: commit and say so, or roll back and show the refusal."""
    try:
        result = service(*args, actor=current_user, **kwargs)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return None
    db.session.commit()
    flash(success, "success")
    return result or True


def act(form, service, target):
    """Run a service for a valid form; a refusal rolls back and lands beside its field, or,
    when it is about the page rather than a field (registration, captaincy, the deadline),
    at the top of the page: the form itself may not be shown to this person."""
    if not form.validate_on_submit():
        return None
    try:
        result = service(target, form.data_for_service(), actor=current_user)
    except DomainError as exc:
        db.session.rollback()
        if exc.field:
            form.add_error(exc.message, exc.field)
        else:
            flash(exc.message, "error")
        return None
    db.session.commit()
    return result or True


def _index_page(form=None, code_form=None):
    event = g.event
    return render_template(
        "teams/index.html",
        event=event,
        teams=queries.teams_of(event),
        my_team=queries.team_of(event, current_user),
        form=form or TeamForm(),
        code_form=code_form or JoinCodeForm(),
        formation_open=team_formation_open(event, now()),
        formation_closes=team_formation_closes(event),
        closed=services.formation_closed_message(event),
        join_refusal=services.participation_refusal(event, current_user),
    )


def team_page(team, **forms):
    event = g.event
    is_captain = current_user.is_authenticated and team.captain_id == current_user.id
    my_team = queries.team_of(event, current_user)
    is_member = my_team is not None and my_team.id == team.id
    defaults = {
        "details_form": TeamDetailsForm(obj=team),
        "invite_form": InviteForm(),
        "captain_form": CaptainForm(team=team),
        "request_form": JoinRequestForm(),
    }
    return render_template(
        "teams/show.html",
        event=event,
        team=team,
        my_team=my_team,
        is_captain=is_captain,
        requests=queries.pending_requests(team) if is_captain else [],
        my_request=queries.pending_request_of(team, current_user),
        invite_link=services.invite_link(team),
        formation_open=team_formation_open(event, now()),
        closed=services.formation_closed_message(event),
        join_refusal=services.participation_refusal(event, current_user),
        leave_refusal=services.leave_refusal(team, actor=current_user) if is_member else None,
        invite_refusal=services.invite_refusal(team),
        accept_refusal=board.accept_refusal,
        **{**defaults, **forms},
    )


@bp.app_template_global("team_departure")
def team_departure(event):
    """What cancelling the current person's registration does to their team (or None)."""
    if not current_user.is_authenticated:
        return None
    return services.departure_on_cancel(event, current_user)


@bp.get("/teams")
@requires("team.view")
def index():
    return _index_page()


@bp.post("/teams")
@requires("team.participate")
def create():
    form = TeamForm()
    team = act(form, services.create_team, g.event)
    if team:
        flash(f"Team “{team.name}” created. You are its captain.", "success")
        return to_team(team)
    return _index_page(form=form)


@bp.post("/teams/join")
@requires("team.participate")
def join_code():
    form = JoinCodeForm()
    team = act(form, services.join_by_code, g.event)
    if team:
        flash(f"You joined “{team.name}”.", "success")
        return to_team(team)
    return _index_page(code_form=form)


def _join_page(code: str, team):
    """The invite link's page; an unknown or replaced code is a 404 that says so."""
    page = render_template(
        "teams/join.html",
        event=g.event,
        team=team,
        code=code,
        my_team=queries.team_of(g.event, current_user),
        formation_open=team_formation_open(g.event, now()),
        closed=services.formation_closed_message(g.event),
        join_refusal=services.participation_refusal(g.event, current_user),
    )
    return page, 200 if team is not None else 404


@bp.get("/teams/join/<code>")
@requires("team.participate")
def join_link(code: str):
    return _join_page(code, queries.team_by_code(g.event, code))


@bp.post("/teams/join/<code>")
@requires("team.participate")
def join_link_post(code: str):
    if queries.team_by_code(g.event, code) is None:
        return _join_page(code, None)
    team = attempt(services.join_by_code, g.event, code, success="Welcome to the team.")
    return to_team(team) if team else to_index()


@bp.route("/teams/<int:team_id>", methods=["GET"])
@requires("team.view")
def show(team_id: int):
    return team_page(queries.get_team(g.event, team_id))


@bp.post("/teams/<int:team_id>")
@requires("team.manage")
def edit(team_id: int):
    team = queries.get_team(g.event, team_id)
    form = TeamDetailsForm()
    if act(form, services.update_team, team):
        flash("Team details saved.", "success")
        return to_team(team)
    return team_page(team, details_form=form)


@bp.post("/teams/<int:team_id>/code")
@requires("team.manage")
def regenerate_code(team_id: int):
    team = queries.get_team(g.event, team_id)
    attempt(
        services.regenerate_code,
        team,
        success="The team has a new invite code and link. The old ones no longer work.",
    )
    return to_team(team)


def _invite_limit() -> str:
    return current_app.config["INVITE_RATE_LIMIT"]


def _inviter() -> str:
    return f"team-invite-user:{current_user.get_id()}"


@bp.post("/teams/<int:team_id>/invite")
@requires("team.manage")
@limiter.limit(_invite_limit, key_func=_inviter)
def invite(team_id: int):
    """Limited per person: each invitation is an email to an address nobody has confirmed."""
    team = queries.get_team(g.event, team_id)
    form = InviteForm()
    if act(form, services.invite_by_email, team):
        flash(f"Invitation sent to {form.email.data}.", "success")
        return to_team(team)
    return team_page(team, invite_form=form)


@bp.post("/teams/<int:team_id>/members/<int:member_id>/remove")
@requires("team.manage")
def remove_member(team_id: int, member_id: int):
    team = queries.get_team(g.event, team_id)
    attempt(services.remove_member, team, member_id, success="The member is removed.")
    return to_team(team)


@bp.post("/teams/<int:team_id>/captain")
@requires("team.manage")
def transfer_captaincy(team_id: int):
    team = queries.get_team(g.event, team_id)
    form = CaptainForm(team=team)
    done = act(form, services.transfer_captaincy, team)
    if done:
        flash(f"{done.user.name} is now the captain.", "success")
        return to_team(team)
    return team_page(team, captain_form=form)


@bp.post("/teams/<int:team_id>/leave")
@requires("team.participate")
def leave(team_id: int):
    team = queries.get_team(g.event, team_id)
    if attempt(services.leave_team, team, success=f"You left “{team.name}”."):
        return to_index()
    return to_team(team)


from eventhub.teams import board_views  # noqa: E402,F401  (routes on bp)
