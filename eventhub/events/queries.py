"""Reads that pages share. Event-owned rows are always fetched through the event."""

from __future__ import annotations

from flask import abort

from eventhub.accounts.models import User
from eventhub.enums import EventRoleKind, EventStatus, RegistrationStatus
from eventhub.events.models import Event, EventRole, Registration
from eventhub.extensions import db


def get_owned(model, event: Event, object_id: int):
    """A row of ``model`` that belongs to ``event``; another event's id is a 404."""
    row = db.session.scalar(
        db.select(model).where(model.id == object_id, model.event_id == event.id)
    )
    if row is None:
        abort(404)
    return row


def event_by_slug(slug: str) -> Event | None:
    return db.session.scalar(db.select(Event).where(Event.slug == slug))


def listed_events(*, past: bool, at, kind: str | None = None):
    """Upcoming (not yet ended, soonest first) or past (most recent first) visible events."""
    stmt = db.select(Event).where(Event.status != EventStatus.DRAFT.value)
    stmt = stmt.where(Event.ends_at <= at) if past else stmt.where(Event.ends_at > at)
    if kind:
        stmt = stmt.where(Event.kind == kind)
    stmt = stmt.order_by(Event.starts_at.desc() if past else Event.starts_at)
    return db.session.scalars(stmt).all()


def my_drafts(user) -> list[Event]:
    if not getattr(user, "is_authenticated", False):
        return []
    stmt = db.select(Event).where(Event.status == EventStatus.DRAFT.value)
    if not user.is_admin:
        stmt = stmt.join(EventRole, EventRole.event_id == Event.id).where(
            EventRole.user_id == user.id, EventRole.role == EventRoleKind.ORGANIZER.value
        )
    return db.session.scalars(stmt.order_by(Event.starts_at)).all()


def organizers(event: Event) -> list[User]:
    return db.session.scalars(
        db.select(User)
        .join(EventRole, EventRole.user_id == User.id)
        .where(EventRole.event_id == event.id, EventRole.role == EventRoleKind.ORGANIZER.value)
        .order_by(User.name)
    ).all()


def registration_of(event: Event, user) -> Registration | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        db.select(Registration).where(
            Registration.event_id == event.id, Registration.user_id == user.id
        )
    )


def waitlist_position(reg: Registration) -> int | None:
    """1-based place in the queue, by (queued_at, id): positions are always distinct."""
    if reg.status != RegistrationStatus.WAITLISTED:
        return None
    ahead = db.session.scalar(
        db.select(db.func.count(Registration.id)).where(
            Registration.event_id == reg.event_id,
            Registration.status == RegistrationStatus.WAITLISTED.value,
            db.or_(
                Registration.queued_at < reg.queued_at,
                db.and_(Registration.queued_at == reg.queued_at, Registration.id < reg.id),
            ),
        )
    )
    return int(ahead) + 1


def roster(event: Event) -> dict[str, list[Registration]]:
    rows = db.session.scalars(
        db.select(Registration)
        .where(Registration.event_id == event.id)
        .options(db.joinedload(Registration.user))
        .order_by(Registration.queued_at, Registration.id)
    ).all()
    groups: dict[str, list[Registration]] = {s.value: [] for s in RegistrationStatus}
    for reg in rows:
        groups[reg.status].append(reg)
    return groups


def counts(event: Event) -> dict[str, int]:
    rows = db.session.execute(
        db.select(Registration.status, db.func.count(Registration.id))
        .where(Registration.event_id == event.id)
        .group_by(Registration.status)
    ).all()
    result = {s.value: 0 for s in RegistrationStatus}
    result.update({status: n for status, n in rows})
    return result
