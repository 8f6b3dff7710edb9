"""Events, organizers, partners and the agenda: rules that span rows."""

from __future__ import annotations

from flask import g

from eventhub.accounts.services import find_user
from eventhub.core.audit import audit
from eventhub.enums import EventRoleKind, EventStatus, SessionStatus
from eventhub.errors import DomainError
from eventhub.events.models import AgendaSession, Event, EventRole, Partner
from eventhub.events.queries import event_by_slug
from eventhub.extensions import db


def _apply(target, data: dict) -> list[str]:
    """Set what changed; calendar SEQUENCE follows on its own (calendar/sequence.py)."""
    changed = [k for k, v in data.items() if getattr(target, k) != v]
    for key in changed:
        setattr(target, key, data[key])
    return changed


def _check_times(event_data: dict) -> None:
    start, end = event_data["starts_at"], event_data["ends_at"]
    if end <= start:
        raise DomainError("The end must be after the start.", field="ends_at")
    closes = event_data.get("registration_closes_at")
    opens = event_data.get("registration_opens_at")
    if opens and closes and closes <= opens:
        raise DomainError("Registration must close after it opens.", field="registration_closes_at")
    if closes and closes > end:
        raise DomainError(
            "Registration must close before the event ends.", field="registration_closes_at"
        )
    deadline = event_data.get("submission_deadline")
    if deadline and deadline <= start:
        raise DomainError(
            "Submissions must be due after the event starts.", field="submission_deadline"
        )
    teams_close = event_data.get("team_formation_closes_at")
    if teams_close and teams_close > (deadline or end):
        raise DomainError(
            "Teams must close by the time submissions are due.", field="team_formation_closes_at"
        )


def create_event(data: dict, *, actor) -> Event:
    _check_times(data)
    if event_by_slug(data["slug"]) is not None:
        raise DomainError(
            "Another event already uses this web address. Choose another.", field="slug"
        )
    event = Event(status=EventStatus.DRAFT.value, **data)
    db.session.add(event)
    db.session.flush()
    db.session.add(
        EventRole(event_id=event.id, user_id=actor.id, role=EventRoleKind.ORGANIZER.value)
    )
    audit(actor, "event.create", event, event=event)
    return event


def update_event(event: Event, data: dict, *, actor) -> list[str]:
    from eventhub.events.registration import promote_waitlist

    _check_times(data)
    if data["slug"] != event.slug and event_by_slug(data["slug"]) is not None:
        raise DomainError(
            "Another event already uses this web address. Choose another.", field="slug"
        )
    capacity = data.get("capacity")
    if capacity is not None and capacity < event.seats_taken:
        raise DomainError(
            f"{event.seats_taken} people are already confirmed; the capacity "
            "cannot be lower than that.",
            field="capacity",
        )
    outside = [
        s.title
        for s in event.sessions
        if s.starts_at < data["starts_at"] or s.ends_at > data["ends_at"]
    ]
    if outside:
        raise DomainError(
            "These sessions would fall outside the event: "
            + ", ".join(outside)
            + ". Move them first.",
            field="starts_at",
        )
    changed = _apply(event, data)
    if "capacity" in changed:
        promote_waitlist(event)
    audit(actor, "event.update", event, event=event, fields=changed)
    return changed


def set_status(event: Event, status: EventStatus, *, actor) -> None:
    allowed = {
        EventStatus.PUBLISHED: {EventStatus.DRAFT},
        EventStatus.CANCELLED: {EventStatus.PUBLISHED, EventStatus.DRAFT},
        EventStatus.DRAFT: {EventStatus.PUBLISHED},
    }
    if event.status not in allowed[status]:
        raise DomainError(f"A {event.status} event cannot become {status}.")
    _apply(event, {"status": status.value})
    audit(actor, f"event.{status.value}", event, event=event)


def add_organizer(event: Event, email: str, *, actor) -> EventRole:
    user = find_user(email)
    if user is None:
        raise DomainError(
            "No account uses that email. Ask the person to sign up first, then add them.",
            field="email",
        )
    exists = db.session.scalar(
        db.select(EventRole).where(
            EventRole.event_id == event.id,
            EventRole.user_id == user.id,
            EventRole.role == EventRoleKind.ORGANIZER.value,
        )
    )
    if exists:
        raise DomainError(f"{user.name} is already an organizer of this event.", field="email")
    role = EventRole(event_id=event.id, user_id=user.id, role=EventRoleKind.ORGANIZER.value)
    db.session.add(role)
    g.pop("_roles", None)
    audit(actor, "event.organizer_add", event, event=event, user_id=user.id)
    return role


def remove_organizer(event: Event, user_id: int, *, actor) -> None:
    roles = db.session.scalars(
        db.select(EventRole).where(
            EventRole.event_id == event.id, EventRole.role == EventRoleKind.ORGANIZER.value
        )
    ).all()
    target = next((r for r in roles if r.user_id == user_id), None)
    if target is None:
        raise DomainError("That person is not an organizer of this event.")
    if len(roles) == 1:
        raise DomainError(
            "An event needs at least one organizer. Add another before removing this one."
        )
    db.session.delete(target)
    g.pop("_roles", None)
    audit(actor, "event.organizer_remove", event, event=event, user_id=user_id)


def add_partner(event: Event, data: dict, *, actor) -> Partner:
    partner = Partner(event_id=event.id, position=len(event.partners), **data)
    db.session.add(partner)
    db.session.flush()
    audit(actor, "event.partner_add", partner, event=event, name=partner.name)
    return partner


def remove_partner(partner: Partner, *, actor) -> None:
    audit(actor, "event.partner_remove", partner, event=partner.event, name=partner.name)
    db.session.delete(partner)


def _check_session(event: Event, data: dict) -> None:
    if data["ends_at"] <= data["starts_at"]:
        raise DomainError("The session must end after it starts.", field="ends_at")
    if data["starts_at"] < event.starts_at or data["ends_at"] > event.ends_at:
        raise DomainError(
            "The session must fall within the event's start and end.", field="starts_at"
        )


def add_session(event: Event, data: dict, *, actor) -> AgendaSession:
    _check_session(event, data)
    session = AgendaSession(event_id=event.id, **data)
    db.session.add(session)
    db.session.flush()
    audit(actor, "session.create", session, event=event)
    return session


def update_session(session: AgendaSession, data: dict, *, actor) -> list[str]:
    _check_session(session.event, data)
    changed = _apply(session, data)
    audit(actor, "session.update", session, event=session.event, fields=changed)
    return changed


def cancel_session(session: AgendaSession, *, actor) -> None:
    """Soft: a cancelled session stays in the agenda and in calendars, marked cancelled."""
    if session.is_cancelled:
        raise DomainError("This session is already cancelled.")
    _apply(session, {"status": SessionStatus.CANCELLED.value})
    audit(actor, "session.cancel", session, event=session.event)
