"""Judge services: invitations by email (send, resend, revoke, accept), the judge's profile
(affiliations) and the conflicts a judge declares, plus the organizer's view of them.

An invitation link carries a random token; only its SHA-256 is stored, so a database dump
opens no invitations. A link is used once: accepting takes it with a conditional UPDATE, so
two clicks (or two people) cannot both accept it. Links get forwarded, so the account that
accepts need not have the invited address; the invitation records who accepted.
"""

from __future__ import annotations

import hashlib
import secrets
from collections import defaultdict
from dataclasses import dataclass, field

from flask import current_app, url_for
from sqlalchemy.exc import IntegrityError

from eventhub import mail
from eventhub.accounts.models import User
from eventhub.clock import now
from eventhub.core.audit import audit
from eventhub.enums import EventRoleKind
from eventhub.errors import DomainError
from eventhub.events.models import Event, EventRole
from eventhub.extensions import db
from eventhub.judging import queries
from eventhub.judging.conflicts import conflicts_of
from eventhub.judging.models import JudgeConflict, JudgeInvitation, JudgeProfile
from eventhub.submissions.models import Submission
from eventhub.teams.models import Team, TeamMembership

DERIVED = ("is a member of", "shares an affiliation with")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- reads ------------------------------------------------------------------------------


def pending_invitations(event: Event) -> list[JudgeInvitation]:
    return list(
        db.session.scalars(
            db.select(JudgeInvitation)
            .where(
                JudgeInvitation.event_id == event.id,
                JudgeInvitation.accepted_at.is_(None),
                JudgeInvitation.revoked_at.is_(None),
            )
            .order_by(JudgeInvitation.created_at, JudgeInvitation.id)
        )
    )


def find_invitation(event: Event, token: str) -> JudgeInvitation | None:
    """The event's open invitation for this token; used, revoked or unknown ones are None."""
    if not token or len(token) > 100:
        return None
    return db.session.scalar(
        db.select(JudgeInvitation).where(
            JudgeInvitation.event_id == event.id,
            JudgeInvitation.token_hash == token_hash(token),
            JudgeInvitation.accepted_at.is_(None),
            JudgeInvitation.revoked_at.is_(None),
        )
    )


def invitation_of(event: Event, invitation_id: int) -> JudgeInvitation | None:
    return db.session.scalar(
        db.select(JudgeInvitation).where(
            JudgeInvitation.event_id == event.id, JudgeInvitation.id == invitation_id
        )
    )


def is_active_judge(event: Event, user) -> bool:
    """Has the judge role and has not dropped out."""
    role = db.session.scalar(
        db.select(EventRole.id).where(
            EventRole.event_id == event.id,
            EventRole.user_id == user.id,
            EventRole.role == EventRoleKind.JUDGE.value,
        )
    )
    if role is None:
        return False
    profile = queries.profile_of(event, user)
    return profile is None or profile.dropped_at is None


def accepted_at_by_judge(event: Event) -> dict[int, object]:
    """judge id -> when they accepted their invitation (judges appointed otherwise have none)."""
    rows = db.session.execute(
        db.select(JudgeInvitation.accepted_by_id, JudgeInvitation.accepted_at).where(
            JudgeInvitation.event_id == event.id, JudgeInvitation.accepted_at.is_not(None)
        )
    )
    return {judge_id: at for judge_id, at in rows if judge_id is not None}


def event_teams(event: Event) -> list[Team]:
    return list(
        db.session.scalars(
            db.select(Team)
            .where(Team.event_id == event.id, Team.dissolved_at.is_(None))
            .order_by(Team.name, Team.id)
        )
    )


def event_members(event: Event, *, besides=None) -> list[tuple[User, Team]]:
    """Current members of the event's teams by name (for picking a person), without
    ``besides`` (a judge does not declare a conflict with themself)."""
    rows = db.session.execute(
        db.select(User, Team)
        .join(TeamMembership, TeamMembership.user_id == User.id)
        .join(Team, Team.id == TeamMembership.team_id)
        .where(
            TeamMembership.event_id == event.id,
            TeamMembership.left_at.is_(None),
            Team.dissolved_at.is_(None),
        )
        .order_by(User.name, User.id)
    ).all()
    skip = getattr(besides, "id", None)
    return [(user, team) for user, team in rows if user.id != skip]


def declared_conflicts(event: Event, judge=None) -> list[JudgeConflict]:
    stmt = db.select(JudgeConflict).where(JudgeConflict.event_id == event.id)
    if judge is not None:
        stmt = stmt.where(JudgeConflict.judge_id == judge.id)
    return list(db.session.scalars(stmt.order_by(JudgeConflict.created_at, JudgeConflict.id)))


def conflict_of(event: Event, judge, conflict_id: int) -> JudgeConflict | None:
    """The judge's own declared conflict; another judge's, or another event's, is None."""
    return db.session.scalar(
        db.select(JudgeConflict).where(
            JudgeConflict.id == conflict_id,
            JudgeConflict.event_id == event.id,
            JudgeConflict.judge_id == judge.id,
        )
    )


@dataclass
class EntryConflict:
    """One entry a judge may not score, with each reason and whether it was derived."""

    title: str
    team: str
    reasons: list[tuple[str, bool]] = field(default_factory=list)


def entry_conflicts(event: Event) -> dict[int, list[EntryConflict]]:
    """judge id -> the entries they are conflicted with (from conflicts.conflicts_of), each
    reason flagged derived (membership, shared affiliation) or declared."""
    found = conflicts_of(event)
    if not found:
        return {}
    entries = {
        sub_id: (title, team)
        for sub_id, title, team in db.session.execute(
            db.select(Submission.id, Submission.title, Team.name)
            .join(Team, Team.id == Submission.team_id)
            .where(Submission.event_id == event.id)
        )
    }
    by_judge: dict[int, list[EntryConflict]] = defaultdict(list)
    for (judge_id, sub_id), reasons in sorted(found.items()):
        title, team = entries[sub_id]
        by_judge[judge_id].append(
            EntryConflict(title, team, [(r, r.startswith(DERIVED)) for r in reasons])
        )
    return dict(by_judge)


# --- invitations ------------------------------------------------------------------------


@dataclass
class Invited:
    sent: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)


def _judge_emails(event: Event, emails: list[str]) -> set[str]:
    rows = db.session.execute(
        db.select(User.email, JudgeProfile.dropped_at)
        .join(EventRole, EventRole.user_id == User.id)
        .outerjoin(
            JudgeProfile,
            (JudgeProfile.user_id == User.id) & (JudgeProfile.event_id == event.id),
        )
        .where(
            EventRole.event_id == event.id,
            EventRole.role == EventRoleKind.JUDGE.value,
            User.email.in_(emails),
        )
    )
    return {email for email, dropped in rows if dropped is None}


def _send(event: Event, invitation: JudgeInvitation, *, actor) -> None:
    """A fresh token for the invitation, mailed; any earlier link of it stops working."""
    token = secrets.token_urlsafe(32)
    invitation.token_hash = token_hash(token)
    link = current_app.config["BASE_URL"].rstrip("/") + url_for(
        "judging.invitation", slug=event.slug, token=token
    )
    mail.queue(
        db.session,
        invitation.email,
        f"{actor.name} invites you to judge {event.title}",
        "judge_invitation",
        event=event,
        inviter=actor,
        link=link,
    )


def invite_judges(event: Event, data: dict, *, actor) -> Invited:
    """Invite each address; one with an open invitation gets a new one (its old link stops
    working), one of a current judge is only reported."""
    outcome = Invited()
    already = _judge_emails(event, data["emails"])
    for email in data["emails"]:
        if email in already:
            outcome.already.append(email)
            continue
        open_ones = db.session.scalars(
            db.select(JudgeInvitation).where(
                JudgeInvitation.event_id == event.id,
                JudgeInvitation.email == email,
                JudgeInvitation.accepted_at.is_(None),
                JudgeInvitation.revoked_at.is_(None),
            )
        ).all()
        for old in open_ones:
            old.revoked_at = now()
        invitation = JudgeInvitation(event_id=event.id, email=email, invited_by_id=actor.id)
        _send(event, invitation, actor=actor)
        db.session.add(invitation)
        db.session.flush()
        audit(actor, "judge.invite", invitation, event=event, email=email, replaced=len(open_ones))
        (outcome.replaced if open_ones else outcome.sent).append(email)
    return outcome


def _check_open(invitation: JudgeInvitation) -> None:
    if invitation.accepted_at is not None:
        raise DomainError(f"The invitation to {invitation.email} was already accepted.")
    if invitation.revoked_at is not None:
        raise DomainError(f"The invitation to {invitation.email} was revoked or replaced.")


def resend_invitation(invitation: JudgeInvitation, *, actor) -> None:
    """Mail a new link (only the token's hash is kept, so the old one cannot be re-sent)."""
    _check_open(invitation)
    event = db.session.get(Event, invitation.event_id)
    _send(event, invitation, actor=actor)
    invitation.created_at = now()
    db.session.flush()
    audit(actor, "judge.invite_resend", invitation, event=event, email=invitation.email)


def revoke_invitation(invitation: JudgeInvitation, *, actor) -> None:
    _check_open(invitation)
    invitation.revoked_at = now()
    db.session.flush()
    event = db.session.get(Event, invitation.event_id)
    audit(actor, "judge.invite_revoke", invitation, event=event, email=invitation.email)


def accept_invitation(invitation: JudgeInvitation, *, actor) -> JudgeProfile:
    """Make the signed-in person a judge of the event. Organizers may judge too: conflicts
    apply to them as to anyone. A current judge leaves the invitation open for whoever it
    was meant for."""
    event = db.session.get(Event, invitation.event_id)
    if is_active_judge(event, actor):
        raise DomainError(
            f"You are already a judge of {event.title}. The invitation stays open for the "
            "person it was meant for."
        )
    taken = db.session.execute(
        db.update(JudgeInvitation)
        .where(
            JudgeInvitation.id == invitation.id,
            JudgeInvitation.accepted_at.is_(None),
            JudgeInvitation.revoked_at.is_(None),
        )
        .values(accepted_at=now(), accepted_by_id=actor.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if taken != 1:
        raise DomainError("This invitation was already used or revoked.")
    try:
        with db.session.begin_nested():
            profile = _make_judge(event, actor)
    except IntegrityError:  # a second invitation accepted at the same moment
        raise DomainError(f"You are already a judge of {event.title}.") from None
    audit(
        actor,
        "judge.accept",
        invitation,
        event=event,
        invited=invitation.email,
        accepted_by=actor.email,
    )
    return profile


def _make_judge(event: Event, user) -> JudgeProfile:
    has_role = db.session.scalar(
        db.select(EventRole.id).where(
            EventRole.event_id == event.id,
            EventRole.user_id == user.id,
            EventRole.role == EventRoleKind.JUDGE.value,
        )
    )
    if has_role is None:
        db.session.add(
            EventRole(event_id=event.id, user_id=user.id, role=EventRoleKind.JUDGE.value)
        )
    profile = queries.profile_of(event, user)
    if profile is None:
        profile = JudgeProfile(event_id=event.id, user_id=user.id, affiliations="")
        db.session.add(profile)
    profile.dropped_at = None  # invited back after dropping out
    db.session.flush()
    return profile


# --- a judge's own profile and conflicts ------------------------------------------------


def profile_for_update(event: Event, judge) -> JudgeProfile:
    """The judge's profile, made on first use (judges appointed without one have none)."""
    profile = queries.profile_of(event, judge)
    if profile is None:
        profile = JudgeProfile(event_id=event.id, user_id=judge.id, affiliations="")
        db.session.add(profile)
    return profile


def set_affiliations(event: Event, data: dict, *, actor) -> JudgeProfile:
    queries.check_not_final(event)  # an affiliation can make a judge's scores stop counting
    profile = profile_for_update(event, actor)
    before = profile.affiliation_list if profile.id is not None else []
    profile.affiliations = data["affiliations"]
    db.session.flush()
    audit(
        actor,
        "judge.affiliations",
        profile,
        event=event,
        before=before,
        after=profile.affiliation_list,
    )
    return profile


def declare_conflict(event: Event, data: dict, *, actor) -> JudgeConflict:
    """A conflict with one of the event's teams (``team_id``) or with a person in one of its
    teams (``person_id``), with the judge's reason."""
    queries.check_not_final(event)
    team_id, person_id = data.get("team_id"), data.get("person_id")
    mine = declared_conflicts(event, actor)
    if team_id:
        team = next((t for t in event_teams(event) if t.id == team_id), None)
        if team is None:
            raise DomainError("Choose one of this event's teams.", field="team_id")
        if any(c.team_id == team.id and c.source == "declared" for c in mine):
            raise DomainError(f"You already declared a conflict with {team.name}.", field="team_id")
        conflict = JudgeConflict(team_id=team.id)
        named = team.name
    else:
        people = {user.id: user for user, _ in event_members(event, besides=actor)}
        person = people.get(person_id)
        if person is None:
            raise DomainError("Choose a member of one of this event's teams.", field="person_id")
        if any(c.person_id == person.id for c in mine):
            raise DomainError(
                f"You already declared a conflict with {person.name}.", field="person_id"
            )
        conflict = JudgeConflict(person_id=person.id)
        named = person.name
    conflict.event_id, conflict.judge_id = event.id, actor.id
    conflict.reason, conflict.source = data["reason"], "declared"
    db.session.add(conflict)
    db.session.flush()
    audit(actor, "judge.conflict_declare", conflict, event=event, to=named, reason=conflict.reason)
    return conflict


def remove_conflict(conflict: JudgeConflict, *, actor) -> None:
    if conflict.source != "declared":
        raise DomainError("A recusal stays: ask the organizers if you recused yourself by mistake.")
    event = db.session.get(Event, conflict.event_id)
    queries.check_not_final(event)
    named = conflict.team.name if conflict.team else conflict.person.name
    audit(actor, "judge.conflict_remove", conflict, event=event, to=named, reason=conflict.reason)
    db.session.delete(conflict)
    db.session.flush()
