"""Setting judging up: the rubric (the event's and challenges' replacements), the settings,
judges and their invitations, and each judge's own affiliations and conflicts.

Every button is a plain POST form, so it all works without JavaScript. The invitation's
accept route is registered last on purpose: the permission matrix walks routes in this
order, and accepting changes who the walking person is in the event."""

from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from eventhub.actions import act
from eventhub.authz import has_role, requires
from eventhub.challenges.queries import challenges_of, get_challenge
from eventhub.enums import EventRoleKind
from eventhub.errors import DomainError
from eventhub.extensions import db, limiter
from eventhub.forms import ActionForm
from eventhub.judging import judges, queries, rubric
from eventhub.judging import settings as judging_settings
from eventhub.judging.blueprint import bp
from eventhub.judging.models import Rubric
from eventhub.judging.setup_forms import (
    AffiliationsForm,
    ConfirmForm,
    InviteForm,
    PersonConflictForm,
    RubricForm,
    SettingsForm,
    TeamConflictForm,
)

COPY = "a rubric of its own deletes the scores its entries have"
REMOVE = "removing this rubric deletes its scores"


def _to(endpoint: str, **args):
    return redirect(url_for(endpoint, slug=g.event.slug, **args))


# --- rubric -----------------------------------------------------------------------------


def _rubric_page(challenge, current, form=None, copy_form=None, remove_form=None):
    event = g.event
    summary = []
    if current is not None and current.id is not None:
        shares = rubric.weight_shares([c.weight for c in current.criteria])
        summary = [(c, rubric.percent(s)) for c, s in zip(current.criteria, shares, strict=True)]
    own = queries.rubrics_of(event)
    return render_template(
        "judging/rubric.html",
        event=event,
        challenge=challenge,
        rubric=current,
        summary=summary,
        form=form,
        challenges=[(c, c.id in own) for c in challenges_of(event)] if challenge is None else [],
        copy_form=copy_form
        or (
            ConfirmForm(scored=rubric.scored_in(challenge), what=COPY, prefix="copy")
            if challenge
            else None
        ),
        remove_form=remove_form
        or (
            ConfirmForm(scored=rubric.scored_on(current), what=REMOVE, prefix="remove")
            if challenge and current
            else None
        ),
    )


def _edit_rubric(challenge):
    current = rubric.rubric_of(g.event, challenge)
    scored = rubric.scored_on(current)
    if request.method == "POST":
        form = RubricForm(scored=scored)
    else:
        form = RubricForm.showing(rubric.criteria_data(current), scored)
    target = current or Rubric(event_id=g.event.id, challenge_id=None)
    if act(form, rubric.save_rubric, target):
        flash("The rubric is saved.", "success")
        return redirect(request.path)
    return _rubric_page(challenge, current, form)


@bp.route("/manage/judging/rubric", methods=["GET", "POST"])
@requires("judging.organize")
def rubric_page():
    return _edit_rubric(None)


@bp.route("/manage/judging/rubric/<challenge_slug>", methods=["GET", "POST"])
@requires("judging.organize")
def challenge_rubric(challenge_slug: str):
    challenge = get_challenge(g.event, challenge_slug)
    if rubric.rubric_of(g.event, challenge) is None:
        if request.method == "POST":
            flash(f"“{challenge.title}” uses the event's rubric: make it its own first.", "error")
            return redirect(request.path)
        return _rubric_page(challenge, None)
    return _edit_rubric(challenge)


@bp.post("/manage/judging/rubric/<challenge_slug>/copy")
@requires("judging.organize")
def copy_rubric(challenge_slug: str):
    challenge = get_challenge(g.event, challenge_slug)
    form = ConfirmForm(scored=rubric.scored_in(challenge), what=COPY, prefix="copy")
    if act(form, rubric.create_challenge_rubric, challenge):
        flash(f"“{challenge.title}” has its own rubric now, a copy of the event's.", "success")
        return _to("judging.challenge_rubric", challenge_slug=challenge.slug)
    if rubric.rubric_of(g.event, challenge) is not None:  # made meanwhile (a second click)
        flash(f"“{challenge.title}” already has its own rubric.", "info")
        return _to("judging.challenge_rubric", challenge_slug=challenge.slug)
    return _rubric_page(challenge, None, copy_form=form)


@bp.post("/manage/judging/rubric/<challenge_slug>/remove")
@requires("judging.organize")
def remove_rubric(challenge_slug: str):
    challenge = get_challenge(g.event, challenge_slug)
    current = rubric.rubric_of(g.event, challenge)
    form = ConfirmForm(scored=rubric.scored_on(current), what=REMOVE, prefix="remove")
    if act(form, rubric.remove_challenge_rubric, challenge):
        flash(f"“{challenge.title}” is judged by the event's rubric again.", "success")
        return _to("judging.challenge_rubric", challenge_slug=challenge.slug)
    current = rubric.rubric_of(g.event, challenge)
    form_again = RubricForm.showing(rubric.criteria_data(current), rubric.scored_on(current))
    return _rubric_page(challenge, current, form_again if current else None, remove_form=form)


# --- settings ---------------------------------------------------------------------------


@bp.route("/manage/judging/settings", methods=["GET", "POST"])
@requires("judging.organize")
def settings():
    event = g.event
    current = queries.settings_of(event)
    form = SettingsForm(obj=current, zone=event.timezone)
    if request.method == "GET":
        form.fill_times(current, event.timezone)
    if act(form, judging_settings.save_settings, event):
        flash("Judging settings saved.", "success")
        return _to("judging.settings")
    return render_template("judging/settings.html", event=event, form=form)


# --- judges and invitations ------------------------------------------------------------


def _invite_limit() -> str:
    return current_app.config["INVITE_RATE_LIMIT"]


def _inviter() -> str:
    return f"judge-invite-user:{current_user.get_id()}"


def _judges_page(form=None):
    event = g.event
    return render_template(
        "judging/judges.html",
        event=event,
        form=form or InviteForm(),
        judges=queries.judges_of(event, include_dropped=True),
        accepted=judges.accepted_at_by_judge(event),
        declared=judges.declared_conflicts(event),
        entry_conflicts=judges.entry_conflicts(event),
        invitations=judges.pending_invitations(event),
        organizes=lambda user: has_role(user, event, EventRoleKind.ORGANIZER),
    )


@bp.get("/manage/judging/judges")
@requires("judging.organize")
def judges_page():
    return _judges_page()


@bp.post("/manage/judging/judges")
@requires("judging.organize")
@limiter.shared_limit(_invite_limit, scope="judge-invite", key_func=_inviter)
def invite():
    """Limited per person: each address gets an email nobody there asked for."""
    form = InviteForm()
    outcome = act(form, judges.invite_judges, g.event)
    if not outcome:
        return _judges_page(form)
    for emails, text, kind in (
        (outcome.sent, "Invitation sent to", "success"),
        (outcome.replaced, "New invitation sent (the earlier link no longer works) to", "success"),
        (outcome.already, "Already a judge, not invited again:", "info"),
    ):
        if emails:
            flash(f"{text} {', '.join(emails)}.", kind)
    return _to("judging.judges_page")


def _invitation_action(invitation_id: int, service, success: str):
    invitation = judges.invitation_of(g.event, invitation_id) or abort(404)
    if ActionForm().validate_on_submit():
        try:
            service(invitation, actor=current_user)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(success.format(email=invitation.email), "success")
    return _to("judging.judges_page")


@bp.post("/manage/judging/invitations/<int:invitation_id>/resend")
@requires("judging.organize")
@limiter.shared_limit(_invite_limit, scope="judge-invite", key_func=_inviter)
def resend_invitation(invitation_id: int):
    return _invitation_action(
        invitation_id,
        judges.resend_invitation,
        "A new link is on its way to {email}; the earlier one no longer works.",
    )


@bp.post("/manage/judging/invitations/<int:invitation_id>/revoke")
@requires("judging.organize")
def revoke_invitation(invitation_id: int):
    return _invitation_action(
        invitation_id, judges.revoke_invitation, "The invitation to {email} is revoked."
    )


# --- a judge's own conflicts -------------------------------------------------------------


def _conflicts_page(**forms):
    event, me = g.event, current_user
    profile = queries.profile_of(event, me)
    defaults = {
        "affiliations_form": AffiliationsForm(
            formdata=None, affiliations=profile.affiliations if profile else ""
        ),
        "team_form": TeamConflictForm(formdata=None, teams=judges.event_teams(event)),
        "person_form": PersonConflictForm(
            formdata=None, people=judges.event_members(event, besides=me)
        ),
    }
    return render_template(
        "judging/conflicts.html",
        event=event,
        declared=judges.declared_conflicts(event, me),
        entries=judges.entry_conflicts(event).get(me.id, []),
        action=ActionForm(),
        **{**defaults, **forms},
    )


@bp.route("/judging/conflicts", methods=["GET", "POST"])
@requires("judging.judge")
def conflicts():
    if request.method == "GET":
        return _conflicts_page()
    event = g.event
    if "team-team_id" in request.form:
        form, name = TeamConflictForm(teams=judges.event_teams(event)), "team_form"
    else:
        people = judges.event_members(event, besides=current_user)
        form, name = PersonConflictForm(people=people), "person_form"
    if act(form, judges.declare_conflict, event):
        flash("Your conflict is recorded: you will not be given their entries.", "success")
        return _to("judging.conflicts")
    return _conflicts_page(**{name: form})


@bp.post("/judging/affiliations")
@requires("judging.judge")
def affiliations():
    form = AffiliationsForm()
    if act(form, judges.set_affiliations, g.event):
        flash("Your affiliations are saved.", "success")
        return _to("judging.conflicts")
    return _conflicts_page(affiliations_form=form)


@bp.post("/judging/conflicts/<int:conflict_id>/remove")
@requires("judging.judge")
def remove_conflict(conflict_id: int):
    conflict = judges.conflict_of(g.event, current_user, conflict_id) or abort(404)
    if ActionForm().validate_on_submit():
        try:
            judges.remove_conflict(conflict, actor=current_user)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash("The conflict is removed.", "success")
    return _to("judging.conflicts")


# --- the invitation link (accept stays last: see the module docstring) -----------------


@bp.get("/judging/invitations/<token>")
@requires("judging.invitation")
def invitation(token: str):
    found = judges.find_invitation(g.event, token) or abort(404)
    return render_template(
        "judging/invitation.html",
        event=g.event,
        invitation=found,
        token=token,
        already=current_user.is_authenticated and judges.is_active_judge(g.event, current_user),
        action=ActionForm(),
    )


@bp.post("/judging/invitations/<token>/accept")
@requires("judging.accept")
def accept_invitation(token: str):
    found = judges.find_invitation(g.event, token) or abort(404)
    if not ActionForm().validate_on_submit():
        return _to("judging.invitation", token=token)
    try:
        judges.accept_invitation(found, actor=current_user)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return _to("events.show")
    db.session.commit()
    flash(
        f"You are a judge of {g.event.title}. Tell us your affiliations and any conflicts "
        "of interest, so that you are never given an entry you are tied to.",
        "success",
    )
    return _to("judging.conflicts")
