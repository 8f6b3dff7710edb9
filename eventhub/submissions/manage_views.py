"""Organizer pages for projects: every submission with its state and last change, the CSV,
the gallery switch and per-team deadline extensions."""

from __future__ import annotations

from flask import Response, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from eventhub.authz import requires
from eventhub.errors import DomainError
from eventhub.events.phases import submission_deadline
from eventhub.extensions import db
from eventhub.forms import ActionForm
from eventhub.submissions import organize, queries
from eventhub.submissions.blueprint import bp
from eventhub.submissions.forms import ExtensionForm


def _manage_page(extension_form=None, failed_team_id=None):
    return render_template(
        "projects/manage.html",
        event=g.event,
        submissions=queries.for_organizers(g.event),
        teams=queries.teams_of(g.event),
        extensions=queries.extensions_of(g.event),
        deadline=submission_deadline(g.event),
        extension_form=extension_form,
        failed_team_id=failed_team_id,
        action=ActionForm(),
    )


@bp.get("/manage/projects")
@requires("project.organize")
def manage():
    return _manage_page()


@bp.get("/manage/projects.csv")
@requires("project.organize")
def manage_csv():
    body = organize.projects_csv(g.event, queries.for_organizers(g.event))
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{g.event.slug}-projects.csv"'},
    )


@bp.post("/manage/projects/gallery")
@requires("project.organize")
def gallery_switch():
    if ActionForm().validate_on_submit():
        opened = organize.set_gallery(
            g.event, {"open": request.form.get("open") == "1"}, actor=current_user
        )
        db.session.commit()
        flash(
            "The gallery is open to the public." if opened else "The gallery is closed.", "success"
        )
    return redirect(url_for("projects.manage", slug=g.event.slug))


@bp.post("/manage/teams/<int:team_id>/extension")
@requires("project.organize")
def extension(team_id: int):
    """Grant (or move) a team's extension; with revoke=1, take it back."""
    team = queries.get_team(g.event, team_id)
    form = ExtensionForm(zone=g.event.timezone)
    try:
        if request.form.get("revoke") == "1" and ActionForm().validate_on_submit():
            organize.revoke_extension(team, actor=current_user)
            message = f"{team.name}'s extension is revoked."
        elif form.validate_on_submit():
            organize.grant_extension(team, form.data_for_service(), actor=current_user)
            message = f"{team.name} may edit its project until the new time."
        else:
            return _manage_page(form, team.id)
    except DomainError as exc:
        db.session.rollback()
        form.add_error(exc.message, exc.field)
        return _manage_page(form, team.id)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("projects.manage", slug=g.event.slug))
