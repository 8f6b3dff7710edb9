"""Project pages: the gallery, one project, and the team's forms for it.

Who sees a project is decided in queries.get_submission (404 when hidden); who changes it in
queries.get_own_submission (403 for people who may only look) and again in the services,
with the deadline. The dataset picker is a GET search whose results carry "Add" buttons,
so it works without JavaScript.
"""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from eventhub.actions import act
from eventhub.authz import is_organizer, requires
from eventhub.challenges.forms import DatasetSearchForm
from eventhub.challenges.queries import search_catalog
from eventhub.errors import DomainError
from eventhub.extensions import db
from eventhub.forms import ActionForm
from eventhub.http import id_arg, page_arg
from eventhub.security import larger_body
from eventhub.submissions import queries, services, uploads
from eventhub.submissions.blueprint import bp
from eventhub.submissions.forms import ScreenshotForm, SubmissionDatasetForm, SubmissionForm

# Room for the rest of the form beside a screenshot at its limit.
UPLOAD_OVERHEAD = 256 * 1024


def _screenshot_limit() -> tuple[int, str]:
    """A screenshot may be larger than the site-wide request limit."""
    return (
        uploads.MAX_BYTES + UPLOAD_OVERHEAD,
        "The image is larger than 5 MB; nothing was uploaded.",
    )


def _to(endpoint: str, submission=None, **args):
    if submission is not None:
        args["project_id"] = submission.id
    return redirect(url_for(f"projects.{endpoint}", slug=g.event.slug, **args))


def _run(service, *targets, done: str):
    """A button's action: the outcome, or the service's refusal, as a flash message."""
    try:
        service(*targets, actor=current_user)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return False
    db.session.commit()
    flash(done, "success")
    return True


def _form(submission=None) -> SubmissionForm:
    return SubmissionForm(obj=submission, challenges=queries.challenges_of(g.event))


def _lock(team) -> dict:
    """Whether the team may still change its project, and the sentence when it may not: every
    project page offers its buttons by this, the rule the services apply."""
    return {"open": services.changes_open(team), "closed": services.closed_message(team)}


@bp.app_template_global("team_project")
def team_project(team) -> dict:
    """The team's project for the event page and the team page: where its members go to
    submit or edit it, and until when."""
    return {
        "submission": queries.submission_of(team),
        "deadline": services.deadline_text(team),
        **_lock(team),
    }


@bp.get("/projects")
@requires("project.view")
def gallery():
    challenge_id = request.args.get("challenge", type=id_arg)
    dataset_id = request.args.get("dataset", type=id_arg)
    shown = g.event.gallery_open or is_organizer(current_user, g.event)
    return render_template(
        "projects/gallery.html",
        event=g.event,
        projects=queries.gallery(g.event, challenge_id=challenge_id, dataset_id=dataset_id)
        if shown
        else [],
        shown=shown,
        challenges=queries.challenges_of(g.event),
        datasets=queries.gallery_datasets(g.event) if shown else [],
        chosen={"challenge": challenge_id, "dataset": dataset_id},
        team=queries.current_team(g.event, current_user),
    )


@bp.route("/projects/new", methods=["GET", "POST"])
@requires("project.edit")
def create():
    team = queries.current_team(g.event, current_user)
    existing = queries.submission_of(team) if team is not None else None
    if existing is not None:
        return _to("edit", existing)
    form = _form()
    submission = act(form, services.create_submission, team) if team is not None else None
    if submission:
        flash("Project saved as a draft. Add datasets and screenshots, then submit it.", "success")
        return _to("show", submission)
    return render_template(
        "projects/form.html",
        event=g.event,
        form=form,
        team=team,
        submission=None,
        deadline=services.deadline_text(team) if team is not None else None,
        **(_lock(team) if team is not None else {}),
    )


@bp.get("/projects/<int:project_id>")
@requires("project.view")
def show(project_id: int):
    submission = queries.get_submission(g.event, project_id, current_user)
    member = queries.is_member(submission, current_user)
    return render_template(
        "projects/show.html",
        event=g.event,
        submission=submission,
        member=member,
        insider=member or is_organizer(current_user, g.event),
        deadline=services.deadline_text(submission.team),
        submit_refusal=services.submit_refusal(submission),
        withdraw_refusal=services.withdraw_refusal(submission),
        action=ActionForm(),
        **_lock(submission.team),
    )


@bp.route("/projects/<int:project_id>/edit", methods=["GET", "POST"])
@requires("project.edit")
def edit(project_id: int):
    submission = queries.get_own_submission(g.event, project_id, current_user)
    form = _form(submission)
    if act(form, services.update_submission, submission):
        flash("Project saved.", "success")
        return _to("show", submission)
    return render_template(
        "projects/form.html",
        event=g.event,
        form=form,
        team=submission.team,
        submission=submission,
        deadline=services.deadline_text(submission.team),
        **_lock(submission.team),
    )


@bp.post("/projects/<int:project_id>/submit")
@requires("project.edit")
def submit(project_id: int):
    submission = queries.get_own_submission(g.event, project_id, current_user)
    done = "Project submitted. Every member of your team gets a receipt by email."
    _run(services.submit_submission, submission, done=done)
    return _to("show", submission)


@bp.post("/projects/<int:project_id>/withdraw")
@requires("project.edit")
def withdraw(project_id: int):
    submission = queries.get_own_submission(g.event, project_id, current_user)
    done = (
        "Project withdrawn. It is no longer entered; you can submit it again before the deadline."
    )
    _run(services.withdraw_submission, submission, done=done)
    return _to("show", submission)


@bp.route("/projects/<int:project_id>/datasets", methods=["GET", "POST"])
@requires("project.edit")
def datasets(project_id: int):
    submission = queries.get_own_submission(g.event, project_id, current_user)
    search = DatasetSearchForm(request.args)
    q = search.q.data if search.validate() else ""
    form = SubmissionDatasetForm()
    link = act(form, services.add_dataset, submission)
    if link:
        flash(f"“{link.dataset.title}” is listed as used by this project.", "success")
        return _to("datasets", submission, q=q or None)
    return render_template(
        "projects/datasets.html",
        event=g.event,
        submission=submission,
        search=search,
        form=form,
        q=q,
        results=search_catalog(q, request.args.get("page", 1, type=page_arg)),
        suggested=submission.challenge.datasets if submission.challenge else [],
        used={d.id for d in submission.datasets},
        **_lock(submission.team),
    )


@bp.post("/projects/<int:project_id>/datasets/<int:dataset_id>/remove")
@requires("project.edit")
def remove_dataset(project_id: int, dataset_id: int):
    submission = queries.get_own_submission(g.event, project_id, current_user)
    link = queries.get_link(submission, dataset_id)
    title = link.dataset.title
    _run(services.remove_dataset, link, submission, done=f"“{title}” is no longer listed.")
    return _to("datasets", submission)


@bp.route("/projects/<int:project_id>/screenshots", methods=["GET", "POST"])
@requires("project.edit")
@larger_body(_screenshot_limit)
def screenshots(project_id: int):
    submission = queries.get_own_submission(g.event, project_id, current_user)
    form = ScreenshotForm()
    if act(form, services.add_screenshot, submission):
        flash("Screenshot added.", "success")
        return _to("screenshots", submission)
    return render_template(
        "projects/screenshots.html",
        event=g.event,
        submission=submission,
        form=form,
        **_lock(submission.team),
    )


@bp.post("/projects/<int:project_id>/screenshots/<int:screenshot_id>/remove")
@requires("project.edit")
def remove_screenshot(project_id: int, screenshot_id: int):
    submission = queries.get_own_submission(g.event, project_id, current_user)
    shot = queries.get_screenshot(submission, screenshot_id=screenshot_id)
    name = shot.stored_name
    if _run(services.remove_screenshot, shot, submission, done="Screenshot removed."):
        uploads.discard(name)
    return _to("screenshots", submission)


@bp.get("/projects/<int:project_id>/screenshots/<name>")
@requires("project.view")
def screenshot(project_id: int, name: str):
    """The image, only to people who may see the project, as an inert image: its stored
    type, no sniffing, no scripts even if opened on its own."""
    submission = queries.get_submission(g.event, project_id, current_user)
    shot = queries.get_screenshot(submission, name=name)
    path = uploads.path_of(shot.stored_name)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=shot.media_type, conditional=True, max_age=0)
    public = g.event.gallery_open and submission.state == queries.SUBMITTED
    response.headers["Cache-Control"] = "public, max-age=3600" if public else "private, max-age=300"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Content-Disposition"] = "inline"
    return response
