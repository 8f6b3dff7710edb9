"""Challenge pages: the public challenge, and the organizer's forms for it, its prizes and its
datasets. The dataset picker is a GET search whose results each carry an "Add" button, so it
works without JavaScript."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from eventhub.actions import act
from eventhub.authz import requires
from eventhub.challenges import queries, services
from eventhub.challenges.forms import ChallengeForm, DatasetLinkForm, DatasetSearchForm, PrizeForm
from eventhub.events.blueprint import load_event
from eventhub.extensions import db
from eventhub.forms import ActionForm
from eventhub.http import page_arg

bp = Blueprint("challenges", __name__, url_prefix="/events/<slug>/challenges")
bp.url_value_preprocessor(load_event)


def _to(endpoint: str, challenge=None, **args):
    if challenge is not None:
        args["challenge_slug"] = challenge.slug
    return redirect(url_for(f"challenges.{endpoint}", slug=g.event.slug, **args))


@bp.get("")
@requires("challenge.view")
def index():
    return render_template(
        "challenges/index.html", event=g.event, challenges=queries.challenges_of(g.event)
    )


@bp.route("/new", methods=["GET", "POST"])
@requires("challenge.manage")
def create():
    form = ChallengeForm()
    challenge = act(form, services.create_challenge, g.event)
    if challenge:
        flash("Challenge created. Now add its prizes and datasets.", "success")
        return _to("show", challenge)
    return render_template("challenges/form.html", event=g.event, form=form, challenge=None)


@bp.get("/<challenge_slug>")
@requires("challenge.view")
def show(challenge_slug: str):
    challenge = queries.get_challenge(g.event, challenge_slug)
    return render_template("challenges/show.html", event=g.event, challenge=challenge)


@bp.route("/<challenge_slug>/edit", methods=["GET", "POST"])
@requires("challenge.manage")
def edit(challenge_slug: str):
    challenge = queries.get_challenge(g.event, challenge_slug)
    form = ChallengeForm(obj=challenge)
    if act(form, services.update_challenge, challenge):
        flash("Challenge saved.", "success")
        return _to("show", challenge)
    return render_template("challenges/form.html", event=g.event, form=form, challenge=challenge)


@bp.route("/<challenge_slug>/prizes", methods=["GET", "POST"])
@requires("challenge.manage")
def prizes(challenge_slug: str):
    challenge = queries.get_challenge(g.event, challenge_slug)
    form = PrizeForm()
    prize = act(form, services.add_prize, challenge)
    if prize:
        flash(f"Prize “{prize.name}” added.", "success")
        return _to("prizes", challenge)
    return render_template(
        "challenges/prizes.html", event=g.event, challenge=challenge, form=form, action=ActionForm()
    )


@bp.post("/<challenge_slug>/prizes/<int:prize_id>/remove")
@requires("challenge.manage")
def remove_prize(challenge_slug: str, prize_id: int):
    challenge = queries.get_challenge(g.event, challenge_slug)
    prize = queries.get_prize(challenge, prize_id)
    name = prize.name
    services.remove_prize(prize, actor=current_user)
    db.session.commit()
    flash(f"Prize “{name}” removed.", "success")
    return _to("prizes", challenge)


@bp.route("/<challenge_slug>/datasets", methods=["GET", "POST"])
@requires("challenge.manage")
def datasets(challenge_slug: str):
    challenge = queries.get_challenge(g.event, challenge_slug)
    search = DatasetSearchForm(request.args)
    q = search.q.data if search.validate() else ""
    page = request.args.get("page", 1, type=page_arg)
    form = DatasetLinkForm()
    link = act(form, services.link_dataset, challenge)
    if link:
        flash(f"“{link.dataset.title}” is linked to this challenge.", "success")
        return _to("datasets", challenge, q=q or None, page=page if page > 1 else None)
    return render_template(
        "challenges/datasets.html",
        event=g.event,
        challenge=challenge,
        search=search,
        form=form,
        q=q,
        results=queries.search_catalog(q, page),
        linked={d.id for d in challenge.datasets},
    )


@bp.post("/<challenge_slug>/datasets/<int:dataset_id>/remove")
@requires("challenge.manage")
def unlink_dataset(challenge_slug: str, dataset_id: int):
    challenge = queries.get_challenge(g.event, challenge_slug)
    link = queries.get_link(challenge, dataset_id)
    title = link.dataset.title
    services.unlink_dataset(link, actor=current_user)
    db.session.commit()
    flash(f"“{title}” is no longer linked to this challenge.", "success")
    return _to("datasets", challenge)
