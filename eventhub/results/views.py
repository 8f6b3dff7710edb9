"""Results pages: the public results (a preview for organizers until published), a team's
feedback, and the organizer's page with its three actions (break a tie, award a challenge's
prizes, publish or take down). The people's choice ballot adds its routes to this blueprint
from vote_views.py, imported at the end."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from eventhub.actions import act
from eventhub.authz import can, requires
from eventhub.events.blueprint import load_event
from eventhub.judging.queries import results_published, settings_of
from eventhub.results import queries, services
from eventhub.results.compute import Results, compute_results
from eventhub.results.forms import (
    PublishForm,
    ReopenForm,
    TieBreakForm,
    entry_id,
    prize_form,
    ranking_key,
)
from eventhub.teams.queries import team_of

bp = Blueprint("results", __name__, url_prefix="/events/<slug>")
bp.url_value_preprocessor(load_event)


@bp.app_template_global("results_are_published")
def results_are_published(event) -> bool:
    """For the links to the results on the event page and to the feedback on a team's page."""
    return results_published(settings_of(event))


@bp.get("/results")
@requires("results.view")
def view():
    results = compute_results(g.event)
    if not results.published and not can(current_user, "results.organize", g.event):
        abort(404)
    return render_template("results/show.html", event=g.event, results=results)


@bp.get("/results/feedback")
@requires("results.feedback")
def feedback():
    event = g.event
    team = team_of(event, current_user)
    entry = queries.submission_of_team(event, team) if team is not None else None
    published = results_published(settings_of(event))
    shown = entry is not None and published
    return render_template(
        "results/feedback.html",
        event=event,
        team=team,
        entry=entry,
        published=published,
        results=compute_results(event) if shown else None,
        comments=queries.comments_for_team(event, entry.id) if shown else [],
    )


def _challenge_entries(results: Results, challenge) -> list:
    """The projects a challenge's prizes can be given to on the page, in ranking order."""
    ranking = results.ranking(challenge.id)
    return [row.entry for row in ranking.rows] + ranking.unranked if ranking else []


def _organize_page(results: Results | None = None, **sent):
    """The page, with the form that was sent (and failed) keeping its input and errors."""
    results = results or compute_results(g.event)
    tie_forms = {
        r.slug: sent.get(f"tie-{r.slug}") or TieBreakForm(ranking=r, formdata=None)
        for r in results.rankings
        if r.tied_entries or f"tie-{r.slug}" in sent
    }
    prize_forms = {
        c.id: sent.get(f"prizes-{c.id}")
        or prize_form(c, _challenge_entries(results, c), results.awards, formdata=None)
        for c in results.challenges
        if c.prizes
    }
    publish = sent.get("publish") or PublishForm(publish=not results.published, formdata=None)
    reopen = sent.get("reopen") or ReopenForm(zone=g.event.timezone, formdata=None)
    return render_template(
        "results/organize.html",
        event=g.event,
        results=results,
        tie_forms=tie_forms,
        prize_forms=prize_forms,
        publish_form=publish,
        reopen_form=reopen if results.published else None,
    )


@bp.get("/manage/results")
@requires("results.organize")
def organize():
    return _organize_page()


def _back(message: str, category: str = "success", anchor: str | None = None):
    flash(message, category)
    return redirect(url_for("results.organize", slug=g.event.slug, _anchor=anchor))


@bp.post("/manage/results/ties")
@requires("results.organize")
def ties():
    key = ranking_key(request.form.get("ranking"))
    if key is not None and key is not False:
        queries.get_challenge(g.event, key)  # another event's challenge is a 404
    results = compute_results(g.event)
    ranking = results.ranking(key) if key is not False else None
    if ranking is None:
        return _back("Choose the ranking whose tie you are breaking.", "error")
    form = TieBreakForm(ranking=ranking)
    decision = act(form, services.break_tie, g.event)
    if decision is None:
        return _organize_page(results, **{f"tie-{ranking.slug}": form})
    above, below = results.entries[decision.above_id], results.entries[decision.below_id]
    return _back(f"{above.title} is placed above {below.title}.", anchor=f"ranking-{ranking.slug}")


@bp.post("/manage/results/prizes")
@requires("results.organize")
def prizes():
    number = entry_id(request.form.get("challenge_id", ""))
    if not number:
        return _back("Choose the challenge whose prizes you are awarding.", "error")
    challenge = queries.get_challenge(g.event, number)
    results = compute_results(g.event)
    form = prize_form(challenge, _challenge_entries(results, challenge), results.awards)
    if act(form, services.award_prizes, challenge) is None:
        return _organize_page(results, **{f"prizes-{challenge.id}": form})
    return _back(f"The prizes of {challenge.title} are saved.", anchor=f"prizes-{challenge.id}")


@bp.post("/manage/results/publish")
@requires("results.organize")
def publish():
    publishing = request.form.get("publish", "1") != "0"
    form = PublishForm(publish=publishing)
    service = services.publish_results if publishing else services.unpublish_results
    if act(form, service, g.event) is None:
        return _organize_page(publish=form)
    if publishing:
        return _back("The results are published. Judging is closed.")
    return _back("The results are taken down: only organizers can see them. Judging stays closed.")


@bp.post("/manage/results/reopen")
@requires("results.organize")
def reopen():
    form = ReopenForm(zone=g.event.timezone)
    settings = act(form, services.reopen_judging, g.event)
    if settings is None:
        return _organize_page(reopen=form)
    return _back("The results are taken down and judging is open again.")


from eventhub.results import vote_views  # noqa: E402,F401  (its routes go on bp)
