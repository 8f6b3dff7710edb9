"""Registration, waitlist and check-in.

Seats are counted in ``events.seats_taken`` and only ever changed by conditional UPDATEs,
so concurrent requests cannot overfill an event: the database decides who gets the last
place. The waitlist is ordered by (queued_at, id); a freed seat goes to its head at once.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from flask import current_app
from sqlalchemy.exc import IntegrityError

from eventhub import mail
from eventhub.clock import now
from eventhub.core.audit import audit
from eventhub.enums import EventPhase, EventStatus, RegistrationStatus
from eventhub.errors import DomainError
from eventhub.events.models import Event, Registration
from eventhub.events.phases import event_phase, registration_is_open, registration_window
from eventhub.events.queries import registration_of
from eventhub.extensions import db
from eventhub.timefmt import format_datetime

CONFIRMED = RegistrationStatus.CONFIRMED.value
WAITLISTED = RegistrationStatus.WAITLISTED.value
CANCELLED = RegistrationStatus.CANCELLED.value


def take_seat(event: Event) -> bool:
    taken = db.session.execute(
        db.update(Event)
        .where(
            Event.id == event.id,
            db.or_(Event.capacity.is_(None), Event.seats_taken < Event.capacity),
        )
        .values(seats_taken=Event.seats_taken + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    return taken == 1


def release_seat(event: Event) -> None:
    db.session.execute(
        db.update(Event)
        .where(Event.id == event.id, Event.seats_taken > 0)
        .values(seats_taken=Event.seats_taken - 1)
        .execution_options(synchronize_session=False)
    )


def window_text(event: Event) -> str:
    opens, closes = registration_window(event)
    zone = event.timezone
    if opens is None:
        return f"until {format_datetime(closes, zone)} ({zone})"
    return f"from {format_datetime(opens, zone)} to {format_datetime(closes, zone)} ({zone})"


def registration_status(event: Event, at) -> str:
    """One sentence for the event page: where registration stands at `at`, with its window."""
    if event.is_cancelled:
        return "Closed: the event is cancelled."
    opens, closes = registration_window(event)
    zone = event.timezone
    if opens is not None and at < opens:
        opening, closing = format_datetime(opens, zone), format_datetime(closes, zone)
        return f"Opens {opening} and closes {closing} ({zone})."
    if at >= closes:
        return f"Closed {format_datetime(closes, zone)} ({zone})."
    if event.status != EventStatus.PUBLISHED:
        return f"Opens when the event is published; open {window_text(event)}."
    return f"Open {window_text(event)}."


def register(event: Event, *, actor) -> Registration:
    if event.is_cancelled:
        raise DomainError("This event is cancelled.")
    if not registration_is_open(event, now()):
        raise DomainError(f"Registration is open {window_text(event)}.")
    reg = registration_of(event, actor)
    if reg is not None and reg.status != CANCELLED:
        raise DomainError("You are already registered for this event.")
    if reg is None:
        reg = Registration(event_id=event.id, user_id=actor.id, status=WAITLISTED)
        try:
            with db.session.begin_nested():
                db.session.add(reg)
        except IntegrityError:  # the same person's second request, a moment later
            raise DomainError("You are already registered for this event.") from None
    else:
        claimed = db.session.execute(
            db.update(Registration)
            .where(Registration.id == reg.id, Registration.status == CANCELLED)
            .values(status=WAITLISTED, queued_at=now(), cancelled_at=None, updated_at=now())
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed != 1:
            raise DomainError("You are already registered for this event.")
    # Someone already waiting keeps their place ahead of a newcomer.
    if not _has_waitlist(event, other_than=reg) and take_seat(event):
        reg.status = CONFIRMED
    else:
        reg.status = WAITLISTED
    reg.queued_at = now()
    db.session.flush()
    db.session.refresh(event)
    audit(actor, "registration.create", reg, event=event, status=reg.status)
    return reg


def _has_waitlist(event: Event, *, other_than: Registration) -> bool:
    return (
        db.session.scalar(
            db.select(db.func.count(Registration.id)).where(
                Registration.event_id == event.id,
                Registration.status == WAITLISTED,
                Registration.id != other_than.id,
            )
        )
        > 0
    )


# What else ends with a registration, filled at start-up by the domains above this one (a
# team seat: eventhub.teams.services). Each runs in the cancel's transaction and may refuse
# with a DomainError, which the caller rolls back: the registration is then not cancelled.
_cancel_hooks: list[Callable] = []


def on_cancel(hook: Callable) -> Callable:
    _cancel_hooks.append(hook)
    return hook


def joins_waitlist(event: Event, at) -> bool:
    """The event's badge while it is open for registration (the phase the page offers the
    button in): registering now means the waitlist (see is_full)."""
    return event_phase(event, at) == EventPhase.REGISTRATION_OPEN and is_full(event)


def is_full(event: Event) -> bool:
    """A newcomer would join the waitlist: no seat left, or people already waiting for one
    (they keep their place ahead of a newcomer, as register() decides)."""
    if event.capacity is None:
        return False
    if event.seats_left == 0:
        return True
    waiting = db.select(Registration.id).where(
        Registration.event_id == event.id, Registration.status == WAITLISTED
    )
    return db.session.scalar(waiting.limit(1)) is not None


def cancel(reg: Registration, *, actor) -> list[Registration]:
    """Cancel a registration and whatever hangs on it (see on_cancel); returns whoever was
    promoted into the freed place."""
    was = reg.status
    done = db.session.execute(
        db.update(Registration)
        .where(
            Registration.id == reg.id, Registration.status == was, Registration.status != CANCELLED
        )
        .values(status=CANCELLED, cancelled_at=now(), updated_at=now())
        .execution_options(synchronize_session=False)
    ).rowcount
    if done != 1:
        raise DomainError("This registration is already cancelled.")
    db.session.refresh(reg)
    for hook in _cancel_hooks:
        hook(reg, actor=actor)
    audit(actor, "registration.cancel", reg, event=reg.event, was=was)
    if was != CONFIRMED:
        return []
    release_seat(reg.event)
    return promote_waitlist(reg.event)


def promote_waitlist(event: Event) -> list[Registration]:
    """Fill free seats from the head of the waitlist and tell each person by email."""
    promoted = []
    while True:
        head = db.session.scalar(
            db.select(Registration)
            .where(Registration.event_id == event.id, Registration.status == WAITLISTED)
            .order_by(Registration.queued_at, Registration.id)
            .limit(1)
        )
        if head is None or not take_seat(event):
            break
        moved = db.session.execute(
            db.update(Registration)
            .where(Registration.id == head.id, Registration.status == WAITLISTED)
            .values(status=CONFIRMED, updated_at=now())
            .execution_options(synchronize_session=False)
        ).rowcount
        if moved != 1:  # someone else promoted or cancelled them meanwhile
            release_seat(event)
            continue
        db.session.refresh(head)
        audit(None, "registration.promote", head, event=event)
        _mail_promotion(head)
        promoted.append(head)
    db.session.refresh(event)
    return promoted


def _mail_promotion(reg: Registration) -> None:
    event = reg.event
    link = current_app.config["BASE_URL"].rstrip("/") + f"/events/{event.slug}"
    mail.queue(
        db.session,
        reg.user.email,
        f"You have a place at {event.title}",
        "promoted",
        reg=reg,
        event=event,
        link=link,
    )


def check_in(reg: Registration, *, actor) -> None:
    if reg.status != CONFIRMED:
        raise DomainError(
            f"{reg.user.name} is {reg.status}, not confirmed: they cannot be checked in."
        )
    if reg.checked_in_at is not None:
        raise DomainError(f"{reg.user.name} is already checked in.")
    reg.checked_in_at = now()
    audit(actor, "registration.check_in", reg, event=reg.event)


def undo_check_in(reg: Registration, *, actor) -> None:
    reg.checked_in_at = None
    audit(actor, "registration.check_in_undo", reg, event=reg.event)


def roster_csv(event: Event, groups: dict[str, list[Registration]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "name",
            "email",
            "affiliation",
            "status",
            "waitlist_position",
            f"registered ({event.timezone})",
            f"checked_in ({event.timezone})",
        ]
    )
    for status in (CONFIRMED, WAITLISTED, CANCELLED):
        for position, reg in enumerate(groups.get(status, []), start=1):
            writer.writerow(
                [
                    _cell(reg.user.name),
                    reg.user.email,
                    _cell(reg.user.affiliation),
                    reg.status,
                    position if status == WAITLISTED else "",
                    format_datetime(reg.queued_at, event.timezone),
                    format_datetime(reg.checked_in_at, event.timezone),
                ]
            )
    return out.getvalue()


def _cell(text: str) -> str:
    """Keep spreadsheet programs from running a cell as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
