"""The looking-for-team board, join requests and the organizer's team overview and CSV."""

from __future__ import annotations

from flask import Response, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from eventhub.authz import requires
from eventhub.teams import board, queries
from eventhub.teams.export import teams_csv
from eventhub.teams.forms import BoardEntryForm, JoinRequestForm
from eventhub.teams.views import act, attempt, bp, team_page, to_team

SKILL_LIMIT = 100


def _skill() -> str:
    """The filter as typed, spaces collapsed; control characters (a NUL byte PostgreSQL
    refuses in text) are dropped rather than failing the page."""
    typed = "".join(c for c in request.args.get("skill", "") if c.isprintable())
    return " ".join(typed.split())[:SKILL_LIMIT]


@bp.get("/board")
@requires("team.view")
def board_index():
    event, skill = g.event, _skill()
    people = queries.board_people(event, skill)
    return render_template(
        "teams/board.html",
        event=event,
        skill=skill,
        people=people,
        teams=queries.board_teams(event, skill),
        teams_by_user=queries.current_teams_by_user(event, [e.user_id for e in people]),
        my_entry=queries.board_entry_of(event, current_user),
        my_team=queries.team_of(event, current_user),
        entry_refusal=board.entry_refusal(event, current_user),
    )


@bp.route("/board/me", methods=["GET", "POST"])
@requires("team.participate")
def board_entry():
    entry = queries.board_entry_of(g.event, current_user)
    form = BoardEntryForm(obj=entry)
    if act(form, board.save_entry, g.event):
        flash("Your board entry is saved.", "success")
        return redirect(url_for("teams.board_index", slug=g.event.slug))
    return render_template(
        "teams/board_entry.html",
        event=g.event,
        form=form,
        entry=entry,
        my_team=queries.team_of(g.event, current_user),
        entry_refusal=board.entry_refusal(g.event, current_user),
    )


@bp.post("/board/me/remove")
@requires("team.participate")
def board_remove():
    attempt(board.remove_entry, g.event, success="You are off the board.")
    return redirect(url_for("teams.board_index", slug=g.event.slug))


@bp.post("/teams/<int:team_id>/requests")
@requires("team.participate")
def ask_to_join(team_id: int):
    team = queries.get_team(g.event, team_id)
    form = JoinRequestForm()
    if not form.validate_on_submit():
        return team_page(team, request_form=form)
    # A refusal (already asked, full, in the team) is about the page, not the message field.
    sent = f"Your request is sent. The captain of “{team.name}” will answer."
    attempt(board.request_to_join, team, form.data_for_service(), success=sent)
    return to_team(team)


@bp.post("/teams/<int:team_id>/requests/<int:request_id>/accept")
@requires("team.manage")
def accept_request(team_id: int, request_id: int):
    team = queries.get_team(g.event, team_id)
    found = queries.get_request(team, request_id)
    attempt(board.accept_request, found, success=f"{found.user.name} joined the team.")
    return to_team(team)


@bp.post("/teams/<int:team_id>/requests/<int:request_id>/decline")
@requires("team.manage")
def decline_request(team_id: int, request_id: int):
    team = queries.get_team(g.event, team_id)
    found = queries.get_request(team, request_id)
    attempt(board.decline_request, found, success=f"{found.user.name}'s request is declined.")
    return to_team(team)


@bp.get("/manage/teams")
@requires("team.organize")
def manage():
    event = g.event
    teams = queries.teams_of(event)
    return render_template(
        "teams/manage.html",
        event=event,
        teams=teams,
        looking=queries.looking_user_ids(event),
        unplaced=queries.unplaced(event, teams),
    )


@bp.get("/manage/teams.csv")
@requires("team.organize")
def manage_csv():
    event = g.event
    teams = queries.teams_of(event)
    return Response(
        teams_csv(event, teams, queries.unplaced(event, teams)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{event.slug}-teams.csv"'},
    )
