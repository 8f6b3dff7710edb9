"""The one place an event's phase is derived. Nothing stores a phase."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from eventhub.enums import EventPhase, EventStatus


@dataclass(frozen=True)
class Window:
    """A span in which something may be done: from ``opens`` (None: from the start) until
    ``closes`` (None: no close is set). ``held`` False: there is no such window at all.

    Build it with ``window()``: every "is this open" question of the app is asked of a Window,
    so a later closing moment can never outlive an earlier one."""

    opens: datetime | None
    closes: datetime | None
    held: bool = True

    def is_open(self, at: datetime) -> bool:
        return (
            self.held
            and (self.opens is None or self.opens <= at)
            and (self.closes is None or at < self.closes)
        )

    def has_closed(self, at: datetime) -> bool:
        return self.closes is not None and at >= self.closes


def window(opens: datetime | None, *closings: datetime | None, held: bool = True) -> Window:
    """The window that closes at the earliest of the closing moments that apply (the ones
    set; None stands for a moment that does not apply)."""
    set_ = [moment for moment in closings if moment is not None]
    return Window(opens, min(set_) if set_ else None, held)


def registration_window(event) -> tuple[datetime | None, datetime]:
    """Registration opens at registration_opens_at (or on publication) and closes at
    registration_closes_at, or when the event starts if no close is set."""
    return event.registration_opens_at, event.registration_closes_at or event.starts_at


def registration_is_open(event, at: datetime) -> bool:
    opens, closes = registration_window(event)
    return window(opens, closes, held=event.status == EventStatus.PUBLISHED).is_open(at)


def team_formation_window(event) -> Window:
    """Teams form and change while the event is published, until the earliest of the
    formation close, the submission deadline and the end of the event."""
    return window(
        None,
        event.team_formation_closes_at,
        event.submission_deadline,
        event.ends_at,
        held=event.status == EventStatus.PUBLISHED,
    )


def team_formation_closes(event) -> datetime:
    return team_formation_window(event).closes


def team_formation_open(event, at: datetime) -> bool:
    return team_formation_window(event).is_open(at)


def submission_deadline(event) -> datetime:
    """Work is due at the submission deadline, else when the event ends."""
    return event.submission_deadline or event.ends_at


def registration_closed(event, at: datetime) -> bool:
    """True once registration can no longer open: closed, cancelled, or the event started."""
    return event.status == EventStatus.CANCELLED or at >= registration_window(event)[1]


def event_phase(event, at: datetime) -> EventPhase:
    if event.status == EventStatus.CANCELLED:
        return EventPhase.CANCELLED
    if event.status == EventStatus.DRAFT:
        return EventPhase.DRAFT
    deadline = event.submission_deadline
    if deadline is not None and event.starts_at <= at < deadline:
        return EventPhase.HACKING
    if at >= event.ends_at:
        return EventPhase.ENDED
    if deadline is not None and at >= deadline:
        return EventPhase.SUBMISSIONS_CLOSED
    if at >= event.starts_at:
        return EventPhase.IN_PROGRESS
    if registration_is_open(event, at):
        return EventPhase.REGISTRATION_OPEN
    return EventPhase.UPCOMING
