"""The looking-for-team board and join requests.

A person's board entry says what they bring; a team says what it needs (``needs_skills``).
A request is answered by the captain; accepting seats the person through the same
conditional UPDATE as any join, so a team that filled up meanwhile refuses cleanly. Both
sides hear by email: the captain when asked, the requester when answered.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy.exc import IntegrityError

from eventhub import mail
from eventhub.authz import is_registrant
from eventhub.clock import now
from eventhub.core.audit import audit
from eventhub.errors import DomainError
from eventhub.events.models import Event
from eventhub.events.phases import team_formation_open
from eventhub.extensions import db
from eventhub.teams import queries, services
from eventhub.teams.models import BoardEntry, JoinRequest, Team

BOARD_FIELDS = ("looking", "skills", "interests", "line")


def _link(path: str) -> str:
    return current_app.config["BASE_URL"].rstrip("/") + path


def entry_refusal(event: Event, person) -> str | None:
    """Why saving a board entry would be refused (None: ``person`` may be on the board)."""
    return None if is_registrant(person, event) else services.NOT_REGISTERED


def save_entry(event: Event, data: dict, *, actor) -> BoardEntry:
    services.check_participant(event, actor)
    entry = queries.board_entry_of(event, actor)
    if entry is None:
        entry = BoardEntry(event_id=event.id, user_id=actor.id)
        db.session.add(entry)
    for key in BOARD_FIELDS:
        setattr(entry, key, data[key])
    entry.updated_at = now()
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:  # the same person's other save, a moment earlier
        raise DomainError("Your entry was just saved from elsewhere. Try again.") from None
    audit(actor, "board.save", entry, event=event, looking=entry.looking)
    return entry


def remove_entry(event: Event, *, actor) -> None:
    """Anyone can take themselves off the board, registered or not any more."""
    entry = queries.board_entry_of(event, actor)
    if entry is None:
        raise DomainError("You are not on the board.")
    audit(actor, "board.remove", entry, event=event)
    db.session.delete(entry)
    db.session.flush()


def request_to_join(team: Team, message: str, *, actor) -> JoinRequest:
    event = team.event
    services.check_may_take_part(event, actor)
    if queries.team_of(event, actor) is team:
        raise DomainError(f"You are already in “{team.name}”.")
    if team.member_count >= event.team_max_size:
        raise DomainError(
            f"“{team.name}” is full: teams in this event have at most {event.team_max_size} "
            "members."
        )
    already = f"You have already asked to join “{team.name}”; the captain has not answered yet."
    if queries.pending_request_of(team, actor) is not None:
        raise DomainError(already)
    found = JoinRequest(team_id=team.id, user_id=actor.id, message=message)
    try:
        with db.session.begin_nested():
            db.session.add(found)
    except IntegrityError:
        raise DomainError(already) from None
    audit(actor, "team.request", found, event=event, team_id=team.id)
    if team.captain is not None:
        mail.queue(
            db.session,
            team.captain.email,
            f"{actor.name} asks to join {team.name}",
            "team_join_request",
            team=team,
            event=event,
            requester=actor,
            message=message,
            link=_link(f"/events/{event.slug}/teams/{team.id}"),
        )
    return found


def _answer(found: JoinRequest, status: str, *, actor) -> None:
    """Claim the pending request with one conditional UPDATE: it is answered only once."""
    claimed = db.session.execute(
        db.update(JoinRequest)
        .where(JoinRequest.id == found.id, JoinRequest.status == "pending")
        .values(status=status, answered_at=now())
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise DomainError(f"{found.user.name}'s request is already answered or withdrawn.")
    db.session.refresh(found)


def accept_refusal(found: JoinRequest) -> str | None:
    """Why accepting this request would be refused now (None: the captain may accept it)."""
    team, person = found.team, found.user
    if not team_formation_open(team.event, now()):
        return services.formation_closed_message(team.event)
    if not is_registrant(person, team.event):
        return f"{person.name} has no confirmed registration, so cannot join a team."
    if team.member_count >= team.event.team_max_size:
        return (
            f"“{team.name}” is full: teams in this event have at most "
            f"{team.event.team_max_size} members."
        )
    current = queries.membership_of(team.event, person)
    if current is not None and current.team_id != team.id:  # accepting moves them
        return services.last_member_refusal(current.team, person, actor=None)
    return None


def accept_request(found: JoinRequest, *, actor) -> None:
    team = found.team
    services.check_captain(team, actor)
    refusal = accept_refusal(found)
    if refusal is not None:
        raise DomainError(refusal)
    _answer(found, "accepted", actor=actor)
    # Seated by the conditional UPDATE, which still decides a race for the last seat.
    services.seat_member(team, found.user, "request", actor=actor)
    audit(actor, "team.request_accept", found, event=team.event, team_id=team.id)
    _tell_requester(found, accepted=True)


def decline_request(found: JoinRequest, *, actor) -> None:
    team = found.team
    services.check_captain(team, actor)
    _answer(found, "declined", actor=actor)
    audit(actor, "team.request_decline", found, event=team.event, team_id=team.id)
    _tell_requester(found, accepted=False)


def _tell_requester(found: JoinRequest, *, accepted: bool) -> None:
    team, event = found.team, found.team.event
    subject = (
        f"You are in {team.name} at {event.title}"
        if accepted
        else f"{team.name} could not take you at {event.title}"
    )
    path = f"/events/{event.slug}/teams/{team.id}" if accepted else f"/events/{event.slug}/board"
    mail.queue(
        db.session,
        found.user.email,
        subject,
        "team_request_answer",
        team=team,
        event=event,
        request=found,
        accepted=accepted,
        link=_link(path),
    )
