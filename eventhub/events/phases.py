"""The one place an event's phase is derived. Nothing stores a phase."""

from __future__ import annotations

from datetime import datetime

from eventhub.enums import EventPhase, EventStatus


def registration_window(event) -> tuple[datetime | None, datetime]:
    """Registration opens at registration_opens_at (or on publication) and closes at
    registration_closes_at, or when the event starts if no close is set."""
    return event.registration_opens_at, event.registration_closes_at or event.starts_at


def registration_is_open(event, at: datetime) -> bool:
    if event.status != EventStatus.PUBLISHED:
        return False
    opens, closes = registration_window(event)
    return (opens is None or opens <= at) and at < closes


def team_formation_closes(event) -> datetime:
    """Teams form and change until this moment: the formation close, else the submission
    deadline, else the end of the event."""
    return event.team_formation_closes_at or event.submission_deadline or event.ends_at


def team_formation_open(event, at: datetime) -> bool:
    return event.status == EventStatus.PUBLISHED and at < team_formation_closes(event)


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
