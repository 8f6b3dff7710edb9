"""Organizers' judging pages: assignment (one click, by hand, a judge dropping out) and the
pairwise round's ranking and finalists.

Each action runs in one transaction and commits once (actions.act); what the planner could
not do comes back as notes, flashed beside the outcome.
"""

from __future__ import annotations

from flask import flash, g, redirect, render_template, url_for
from flask_login import current_user

from eventhub.actions import act
from eventhub.authz import requires
from eventhub.errors import DomainError
from eventhub.extensions import db
from eventhub.forms import ActionForm
from eventhub.judging import assign, pairwise_round, queries
from eventhub.judging.blueprint import bp
from eventhub.judging.score_forms import AssignForm, FinalistsForm, PairForm, RemovePairForm

MOST_FLASHED = 8  # more lines would not fit the session cookie; the page shows the rest


def _to(endpoint: str):
    return redirect(url_for(f"judging.{endpoint}", slug=g.event.slug))


def _flash_lines(lines: list[str], category: str = "info") -> None:
    for line in lines[:MOST_FLASHED]:
        flash(line, category)
    if len(lines) > MOST_FLASHED:
        flash(f"…and {len(lines) - MOST_FLASHED} more; see the lists below.", category)


def _errors(form) -> list[str]:
    return list(form.form_errors) + [e for f in form for e in f.errors]


def _pair_form(view, **kwargs) -> PairForm:
    return PairForm(judges=[u for u, _ in view.judges], entries=view.entries, **kwargs)


def _assignments_page(view=None, **forms):
    view = view or assign.overview(g.event)
    return render_template(
        "judging/assignments.html",
        event=g.event,
        view=view,
        assign_form=forms.get("assign_form") or AssignForm(formdata=None),
        pair_form=forms.get("pair_form") or _pair_form(view, formdata=None),
        remove_form=RemovePairForm(formdata=None),
        action=ActionForm(),
    )


@bp.get("/manage/judging/assignments")
@requires("judging.organize")
def assignments():
    return _assignments_page()


@bp.post("/manage/judging/assign")
@requires("judging.organize")
def assign_judges():
    form = AssignForm()
    outcome = act(form, assign.run_assignment, g.event)
    if not outcome:
        return _assignments_page(assign_form=form)
    removed = f" and removed {len(outcome.removed)}" if outcome.removed else ""
    flash(f"Assignment done: added {len(outcome.added)} pairs{removed}.", "success")
    _flash_lines(outcome.notes)
    return _to("assignments")


@bp.post("/manage/judging/assignments/add")
@requires("judging.organize")
def add_assignment():
    view = assign.overview(g.event)
    form = _pair_form(view)
    row = act(form, assign.add_pair, g.event)
    if not row:
        return _assignments_page(view, pair_form=form)
    flash(f"{row.judge.name} is assigned to “{row.submission.title}”.", "success")
    return _to("assignments")


@bp.post("/manage/judging/assignments/<int:assignment_id>/remove")
@requires("judging.organize")
def remove_assignment(assignment_id: int):
    row = assign.get_assignment(g.event, assignment_id)
    who, what = row.judge.name, row.submission.title
    form = RemovePairForm()
    if act(form, assign.remove_pair, row):
        flash(f"{who} is no longer assigned to “{what}”.", "success")
    else:
        _flash_lines(_errors(form) or ["Nothing was changed."], "error")
    return _to("assignments")


@bp.post("/manage/judging/judges/<int:judge_id>/drop")
@requires("judging.organize")
def drop_judge(judge_id: int):
    judge = assign.get_judge(g.event, judge_id)
    if not ActionForm().validate_on_submit():
        return _to("assignments")
    try:
        outcome = assign.drop_judge(g.event, judge, actor=current_user)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return _to("assignments")
    db.session.commit()
    moved = assign.moves(g.event, outcome)
    flash(
        f"{judge.name} is off judging; {len(outcome.removed)} unscored "
        f"entr{'y was' if len(outcome.removed) == 1 else 'ies were'} handed on.",
        "success",
    )
    _flash_lines(["Moved: " + line for line in moved] + outcome.notes)
    return _to("assignments")


def _pairwise_page(form=None):
    settings = queries.settings_of(g.event)
    return render_template(
        "judging/pairwise.html",
        event=g.event,
        settings=settings,
        rows=pairwise_round.ranking(g.event) if settings.pairwise else [],
        form=form or FinalistsForm(formdata=None, count=settings.finalists),
    )


@bp.get("/manage/judging/pairwise")
@requires("judging.organize")
def pairwise():
    return _pairwise_page()


@bp.post("/manage/judging/pairwise/finalists")
@requires("judging.organize")
def finalists():
    form = FinalistsForm()
    chosen = act(form, pairwise_round.choose_finalists, g.event)
    if not chosen:
        return _pairwise_page(form)
    flash(
        f"{len(chosen)} finalists go on to the rubric round. Assign judges to them next.",
        "success",
    )
    return _to("pairwise")
