"""Judges' pages: the queue, one entry's score sheet (save, save and next, recuse) and the
pairwise round's comparisons.

"judging.judge" lets the event's judges in; scoring.refusal then decides per entry (403 with
the reason, showing nothing of the entry), and the window decides whether a sheet is saved.
"""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from eventhub.actions import act
from eventhub.authz import requires
from eventhub.judging import pairwise_round, scoring
from eventhub.judging.blueprint import bp
from eventhub.judging.score_forms import CompareForm, RecuseForm, sheet_form


def _to(endpoint: str, **args):
    return redirect(url_for(f"judging.{endpoint}", slug=g.event.slug, **args))


@bp.get("/judging")
@requires("judging.judge")
def queue():
    return render_template(
        "judging/queue.html", event=g.event, queue=scoring.queue_of(g.event, current_user)
    )


def _refused(message: str):
    return render_template("judging/score.html", event=g.event, refused=message), 403


@bp.route("/judging/<int:project_id>", methods=["GET", "POST"])
@requires("judging.judge")
def score(project_id: int):
    entry = scoring.get_entry(g.event, project_id)
    reason = scoring.refusal(g.event, entry, current_user)
    if reason is not None:
        return _refused(reason)
    sheet = scoring.sheet_of(g.event, entry, current_user)
    posted = request.method == "POST"
    if posted and not sheet.window.is_open:
        return _refused(f"{sheet.window.text} Scores can be saved only while judging is open.")
    form = sheet_form(sheet, posted=posted)
    if posted and act(form, scoring.save_sheet, entry):
        flash(f"Scores for “{entry.title}” saved.", "success")
        if request.form.get("then") != "next":
            return _to("score", project_id=entry.id)
        following = scoring.next_unscored(g.event, current_user, entry.id)
        if following is None:
            flash("Every entry in your queue is scored. Thank you!", "success")
            return _to("queue")
        return _to("score", project_id=following)
    return render_template(
        "judging/score.html", event=g.event, sheet=sheet, form=form, recuse_form=RecuseForm()
    )


@bp.post("/judging/<int:project_id>/recuse")
@requires("judging.judge")
def recuse(project_id: int):
    entry = scoring.get_entry(g.event, project_id)
    form = RecuseForm()
    if act(form, scoring.recuse, entry):
        flash(
            "You recused yourself from that entry; your scores for it were deleted and the "
            "organizers can see your reason.",
            "success",
        )
        return _to("queue")
    flash(" ".join(form.form_errors or form.reason.errors) or "Nothing was changed.", "error")
    return _to("score", project_id=entry.id)


@bp.route("/judging/compare", methods=["GET", "POST"])
@requires("judging.judge")
def compare():
    form = CompareForm()
    if request.method == "POST":
        message = act(form, pairwise_round.answer, g.event)
        errors = form.form_errors or form.choice.errors
        if errors:
            flash(" ".join(errors), "error")
        elif isinstance(message, str):
            flash(message, "success")
        return _to("compare")
    return render_template(
        "judging/compare.html",
        event=g.event,
        screen=pairwise_round.screen_of(g.event, current_user),
        form=form,
    )
