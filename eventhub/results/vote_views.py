"""The people's choice ballot page, on the results blueprint (imported at the end of
results/views.py, once ``bp`` exists)."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from eventhub.actions import act
from eventhub.authz import requires
from eventhub.clock import now
from eventhub.judging.queries import settings_of, voting_open
from eventhub.results import voting
from eventhub.results.views import bp
from eventhub.results.vote_forms import VoteForm

DONE = {
    "cast": "Your vote for {title} is in. You can change it until voting closes.",
    "change": "Your vote now goes to {title}.",
    "same": "Your vote already goes to {title}.",
}


@bp.app_template_global("voting_is_open")
def voting_is_open(event) -> bool:
    """For the event page's "Vote for the people's choice" link."""
    return voting_open(event, settings_of(event), now())


@bp.route("/vote", methods=["GET", "POST"])
@requires("vote.cast")
def vote():
    event = g.event
    if request.method == "POST" and (refused := voting.refusal(event, current_user)):
        flash(refused, "error")
        return redirect(url_for("results.vote", slug=event.slug))
    entries = voting.ballot(event)
    mine = voting.vote_of(event, current_user)
    form = VoteForm(entries=entries, submission_id=mine.submission_id if mine else None)
    result = act(form, voting.cast_vote, event) if request.method == "POST" else None
    if result:
        chosen, what = result
        title = next(e.title for e in entries if e.id == chosen.submission_id)
        flash(DONE[what].format(title=title), "success")
        return redirect(url_for("results.vote", slug=event.slug))
    return render_template(
        "results/vote.html",
        event=event,
        form=form,
        entries=entries,
        mine=mine,
        own_team_id=voting.own_team_id(event, current_user),
        registered=voting.is_registered(event, current_user),
        closed=voting.window_text(event),
        tally=voting.tally(event),
    )
