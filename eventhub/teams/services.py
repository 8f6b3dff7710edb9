"""Team lifecycle: create, join (by code, link or accepted request), move, leave, remove,
pass captaincy, regenerate the invite code, invite by email.

Seats are counted in ``teams.member_count`` and only changed by conditional UPDATEs, as
``events.registration`` counts an event's places: of concurrent joins for a team's last
seat exactly one gets it. The partial unique index on current memberships backs "one team
per person per event"; a concurrent duplicate ends as a message through a savepoint.

A membership is never deleted: leaving, being removed, moving and dissolution set
``left_at`` and ``left_how``. The last member may not leave a team that has a submission:
the work would be left with nobody to edit, withdraw or present it (their teammates' or
the organizers' call, not a side effect of leaving).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from flask import current_app
from sqlalchemy.exc import IntegrityError

from eventhub import mail
from eventhub.authz import is_registrant
from eventhub.clock import now
from eventhub.core.audit import audit
from eventhub.errors import DomainError
from eventhub.events import registration
from eventhub.events.models import Event, Registration
from eventhub.events.phases import team_formation_closes, team_formation_open
from eventhub.extensions import db
from eventhub.teams import queries
from eventhub.teams.models import BoardEntry, JoinRequest, Team, TeamMembership
from eventhub.timefmt import format_datetime

NAME_TAKEN = "Another team of this event already has this name. Choose another."


def name_key(name: str) -> str:
    """Names compare without case and with runs of spaces as one: "Bus  Fans" is "bus fans"."""
    return re.sub(r"\s+", " ", name).strip().casefold()


def new_code() -> str:
    return secrets.token_urlsafe(12)


def invite_link(team: Team) -> str:
    base = current_app.config["BASE_URL"].rstrip("/")
    return f"{base}/events/{team.event.slug}/teams/join/{team.invite_code}"


def formation_closed_message(event: Event) -> str:
    if event.is_cancelled:
        return "This event is cancelled: teams can no longer change."
    if not event.is_visible:
        return "Teams form once the event is published."
    zone = event.timezone
    closes = format_datetime(team_formation_closes(event), zone)
    return f"Teams could be formed and changed until {closes} ({zone})."


def check_formation_open(event: Event) -> None:
    if not team_formation_open(event, now()):
        raise DomainError(formation_closed_message(event))


NOT_REGISTERED = (
    "Teams are for confirmed registrants. Register for the event first; "
    "if you are on the waitlist, you can join a team once you have a place."
)


def check_participant(event: Event, actor, *, person=None) -> None:
    """``person`` joins on ``actor``'s say (a captain accepting a request)."""
    person = person or actor
    if person.id != actor.id and not is_registrant(person, event):
        raise DomainError(f"{person.name} has no confirmed registration, so cannot join a team.")
    if not is_registrant(person, event):
        raise DomainError(NOT_REGISTERED)


def participation_refusal(event: Event, person) -> str | None:
    """Why ``person`` may not start, join or ask to join a team now (None: they may). The
    pages ask this before they offer those forms; the services check the same rules."""
    if not team_formation_open(event, now()):
        return formation_closed_message(event)
    if not is_registrant(person, event):
        return NOT_REGISTERED
    current = queries.membership_of(event, person)
    if current is not None:  # joining another team is a move out of this one
        return last_member_refusal(current.team, person, actor=person)
    return None


def check_may_take_part(event: Event, actor) -> None:
    refusal = participation_refusal(event, actor)
    if refusal is not None:
        raise DomainError(refusal)


def last_member_refusal(team: Team, person, *, actor) -> str | None:
    """The one rule that keeps a team in being: its last member may not go while it has a
    project. None when ``person`` leaving leaves someone behind or no work orphaned."""
    if team.member_count > 1 or not _has_submission(team):
        return None
    return _last_member_message(team, person, actor=actor)


def _last_member_message(team: Team, person, *, actor) -> str:
    return (
        f"{_who(person, actor)} the last member of “{team.name}” and it has a project "
        "submission. Invite someone to take it over first, or ask the organizers."
    )


def leave_refusal(team: Team, *, actor) -> str | None:
    """Why the ``Leave the team`` button would be refused now (None: it would not)."""
    if not team_formation_open(team.event, now()):
        return formation_closed_message(team.event)
    return last_member_refusal(team, actor, actor=actor)


def _check_team(team: Team) -> None:
    check_formation_open(team.event)
    if team.is_dissolved:
        raise DomainError(f"Team “{team.name}” no longer exists.")


def check_captain(team: Team, actor) -> None:
    if team.captain_id != getattr(actor, "id", None):
        raise DomainError(f"Only the captain of “{team.name}” can do that.")


# --- seats ------------------------------------------------------------------------------


def take_seat(team: Team) -> bool:
    """One conditional UPDATE: the team gains a member only if it exists and has room."""
    taken = db.session.execute(
        db.update(Team)
        .where(
            Team.id == team.id,
            Team.dissolved_at.is_(None),
            Team.member_count < team.event.team_max_size,
        )
        .values(member_count=Team.member_count + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    return taken == 1


def release_seat(team: Team) -> None:
    db.session.execute(
        db.update(Team)
        .where(Team.id == team.id, Team.member_count > 0)
        .values(member_count=Team.member_count - 1)
        .execution_options(synchronize_session=False)
    )


def _has_submission(team: Team) -> bool:
    # submissions.models imports teams.models, so this import waits until it is needed.
    from eventhub.submissions.models import Submission

    found = db.select(Submission.id).where(Submission.team_id == team.id).limit(1)
    return db.session.scalar(found) is not None


# --- joining and leaving ----------------------------------------------------------------


def _end_membership(membership: TeamMembership, how: str, *, actor) -> None:
    """End one current membership; then the team passes captaincy on or is dissolved.

    Decided from the seat count after our own UPDATE, which waits for any concurrent
    leaver's commit: two last members leaving at once cannot both think someone stays."""
    team = membership.team
    ended = db.session.execute(
        db.update(TeamMembership)
        .where(TeamMembership.id == membership.id, TeamMembership.left_at.is_(None))
        .values(left_at=now(), left_how=how)
        .execution_options(synchronize_session=False)
    ).rowcount
    if ended != 1:  # a concurrent request ended it first
        raise DomainError(f"{membership.user.name} is no longer in “{team.name}”.")
    release_seat(team)
    db.session.refresh(team)
    db.session.refresh(membership)
    if team.member_count == 0:
        if _has_submission(team):
            raise DomainError(_last_member_message(team, membership.user, actor=actor))
        team.dissolved_at = now()
        team.captain_id = None
        audit(actor, "team.dissolve", team, event=team.event)
    elif team.captain_id == membership.user_id:
        team.captain_id = _longest_standing(team).user_id
        audit(actor, "team.captain", team, event=team.event, captain_id=team.captain_id)
    db.session.flush()


def _longest_standing(team: Team, *, other_than: int | None = None) -> TeamMembership | None:
    return db.session.scalar(
        db.select(TeamMembership)
        .where(
            TeamMembership.team_id == team.id,
            TeamMembership.left_at.is_(None),
            TeamMembership.user_id != other_than,
        )
        .order_by(TeamMembership.joined_at, TeamMembership.id)
        .limit(1)
    )


# --- a cancelled registration takes its person off their team -------------------------------


@dataclass(frozen=True)
class Departure:
    """What cancelling ``person``'s registration does to their team, for the page that asks
    them to confirm: who captains next, whether the team ends, or why it cannot be done."""

    team: Team
    successor: object | None
    dissolves: bool
    refusal: str | None


def departure_on_cancel(event: Event, person) -> Departure | None:
    membership = queries.membership_of(event, person)
    if membership is None:
        return None
    team = membership.team
    refusal = last_member_refusal(team, person, actor=person)
    successor = None
    if team.captain_id == person.id:
        heir = _longest_standing(team, other_than=person.id)
        successor = heir.user if heir is not None else None
    return Departure(team, successor, team.member_count <= 1 and refusal is None, refusal)


@registration.on_cancel
def leave_on_cancel(reg: Registration, *, actor) -> None:
    """Only confirmed registrants are in teams: the team seat goes with the registration, at
    any time (the formation window is about joining), by the rules of leaving, in the same
    transaction, so a refusal (the last member of a team with a project) cancels nothing."""
    membership = queries.membership_of(reg.event, reg.user)
    if membership is None:
        return
    _end_membership(membership, "cancelled", actor=actor)
    audit(actor, "team.leave", membership.team, event=reg.event, user_id=reg.user_id)


def seat_member(team: Team, person, how: str, *, actor) -> TeamMembership:
    """Seat ``person`` in ``team``; from another team of the event this is a move."""
    event = team.event
    check_participant(event, actor, person=person)
    current = queries.membership_of(event, person)
    if current is not None and current.team_id == team.id:
        raise DomainError(f"{_who(person, actor)} already in “{team.name}”.")
    if current is not None:
        # Lock both teams in id order: two people swapping teams at once then queue instead
        # of deadlocking (SQLite has one writer anyway and ignores FOR UPDATE).
        db.session.execute(
            db.select(Team.id)
            .where(Team.id.in_([team.id, current.team_id]))
            .order_by(Team.id)
            .with_for_update()
        ).all()
    if not take_seat(team):
        db.session.refresh(team)
        if team.is_dissolved:  # its last member left a moment ago
            raise DomainError(f"Team “{team.name}” no longer exists.")
        raise DomainError(
            f"“{team.name}” is full: teams in this event have at most "
            f"{event.team_max_size} members."
        )
    moved_from = None
    if current is not None:
        moved_from = current.team
        _end_membership(current, "moved", actor=actor)
    membership = TeamMembership(team_id=team.id, event_id=event.id, user_id=person.id)
    try:
        with db.session.begin_nested():
            db.session.add(membership)
    except IntegrityError:  # the same person's other join, a moment earlier
        raise DomainError(f"{_who(person, actor)} already in a team of this event.") from None
    _after_joining(event, person, team)
    db.session.refresh(team)
    audit(
        actor,
        "team.join",
        team,
        event=event,
        user_id=person.id,
        how=how,
        moved_from=moved_from.id if moved_from else None,
    )
    return membership


def _who(person, actor) -> str:
    return "You are" if person.id == getattr(actor, "id", None) else f"{person.name} is"


def _after_joining(event: Event, person, team: Team) -> None:
    """Someone with a team is no longer looking, and their other requests are moot."""
    db.session.execute(
        db.update(BoardEntry)
        .where(BoardEntry.event_id == event.id, BoardEntry.user_id == person.id)
        .values(looking=False, updated_at=now())
        .execution_options(synchronize_session=False)
    )
    others = db.select(Team.id).where(Team.event_id == event.id, Team.id != team.id)
    db.session.execute(
        db.update(JoinRequest)
        .where(
            JoinRequest.user_id == person.id,
            JoinRequest.status == "pending",
            JoinRequest.team_id.in_(others),
        )
        .values(status="withdrawn", answered_at=now())
        .execution_options(synchronize_session=False)
    )


def create_team(event: Event, data: dict, *, actor) -> Team:
    check_may_take_part(event, actor)
    key = name_key(data["name"])
    if queries.team_by_name_key(event, key) is not None:
        raise DomainError(NAME_TAKEN, field="name")
    team = Team(
        event_id=event.id,
        name=data["name"],
        name_key=key,
        invite_code=new_code(),
        captain_id=actor.id,
        description=data.get("description", ""),
        needs_skills=data.get("needs_skills", ""),
        member_count=0,
    )
    try:
        with db.session.begin_nested():
            db.session.add(team)
    except IntegrityError:
        raise DomainError(NAME_TAKEN, field="name") from None
    db.session.refresh(team)
    audit(actor, "team.create", team, event=event, name=team.name)
    seat_member(team, actor, "created", actor=actor)
    return team


def update_team(team: Team, data: dict, *, actor) -> None:
    """What the team is about and needs: the captain's to say, at any time."""
    check_captain(team, actor)
    team.description = data.get("description", "")
    team.needs_skills = data.get("needs_skills", "")
    db.session.flush()
    audit(actor, "team.update", team, event=team.event)


def join_by_code(event: Event, code: str, *, actor) -> Team:
    check_may_take_part(event, actor)
    team = queries.team_by_code(event, code)
    if team is None:
        raise DomainError(
            "No team of this event has that invite code. It may be mistyped, or the captain "
            "may have made a new one: ask them for the current code.",
            field="code",
        )
    seat_member(team, actor, "code", actor=actor)
    return team


def leave_team(team: Team, *, actor) -> None:
    _check_team(team)
    membership = queries.membership_of(team.event, actor)
    if membership is None or membership.team_id != team.id:
        raise DomainError(f"You are not in “{team.name}”.")
    _end_membership(membership, "left", actor=actor)
    audit(actor, "team.leave", team, event=team.event, user_id=actor.id)


def remove_member(team: Team, user_id: int, *, actor) -> TeamMembership:
    _check_team(team)
    check_captain(team, actor)
    if user_id == actor.id:
        raise DomainError("To stop being in the team yourself, use “Leave the team”.")
    membership = next((m for m in team.current_members if m.user_id == user_id), None)
    if membership is None:
        raise DomainError("That person is not in this team.")
    _end_membership(membership, "removed", actor=actor)
    audit(actor, "team.remove", team, event=team.event, user_id=user_id)
    return membership


def transfer_captaincy(team: Team, user_id: int | None, *, actor) -> TeamMembership:
    check_captain(team, actor)
    membership = next((m for m in team.current_members if m.user_id == user_id), None)
    if membership is None or user_id == actor.id:
        raise DomainError("Choose another current member of the team.", field="member")
    team.captain_id = membership.user_id
    db.session.flush()
    audit(actor, "team.captain", team, event=team.event, captain_id=team.captain_id)
    return membership


def regenerate_code(team: Team, *, actor) -> str:
    """A new code at once: links and codes given out before stop working."""
    check_captain(team, actor)
    team.invite_code = new_code()
    db.session.flush()
    audit(actor, "team.code", team, event=team.event)
    return team.invite_code


def invite_refusal(team: Team) -> str | None:
    """Why the captain may not invite anyone now (None: they may)."""
    if not team_formation_open(team.event, now()):
        return formation_closed_message(team.event)
    if team.member_count >= team.event.team_max_size:
        return f"“{team.name}” is full ({team.event.team_max_size} members): nobody more can join."
    return None


def invite_by_email(team: Team, email: str, *, actor) -> None:
    _check_team(team)
    check_captain(team, actor)
    refusal = invite_refusal(team)
    if refusal is not None:
        raise DomainError(refusal, field="email")
    mail.queue(
        db.session,
        email,
        f"{actor.name} invites you to join {team.name} at {team.event.title}",
        "team_invitation",
        team=team,
        event=team.event,
        inviter=actor,
        link=invite_link(team),
    )
    audit(actor, "team.invite", team, event=team.event)
