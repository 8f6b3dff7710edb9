"""The items of the feeds, built from rows (ORM objects or plain rows with the same names).

UIDs never change: ``event-42@host``, ``session-7@host``, ``deadline-submissions-42@host``,
``judging-42@host``, ``demo-slot-9@host``... with the host of BASE_URL.

SEQUENCE never decreases: an item's SEQUENCE is the sum of the counters of the rows it
shows, each of which only ever rises. A session shows its event's place and status, so it
is the session's counter plus the event's; a deadline is a field of the event (or of rows
whose changes raise the event's counter), so it is the event's; a demo slot shows its
project's title, whose changes raise the slot's counter. Every field read here must be in
calendar/sequence.py's SHOWN, which raises those counters (a test holds the two together).
DTSTAMP and LAST-MODIFIED are the newest ``updated_at`` of those same rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from flask import current_app, url_for

from eventhub.calendar.ics import Item
from eventhub.enums import EventStatus, RegistrationStatus, SessionStatus
from eventhub.judging.queries import judging_closes, judging_opens
from eventhub.safetext import web_url


@dataclass(frozen=True)
class Site:
    """Where links and UIDs point: BASE_URL, so the bytes do not depend on the Host header."""

    base: str
    host: str

    @classmethod
    def current(cls) -> Site:
        base = current_app.config["BASE_URL"].rstrip("/")
        return cls(base, urlsplit(base).hostname or "localhost")

    def uid(self, name: str) -> str:
        return f"{name}@{self.host}"

    def url(self, endpoint: str, **values) -> str:
        return self.base + url_for(endpoint, **values)


def _status(cancelled: bool, tentative: bool = False) -> str:
    if cancelled:
        return "CANCELLED"
    return "TENTATIVE" if tentative else "CONFIRMED"


def place(event) -> str:
    """The venue as one line; the online link stays out of public feeds (it is for
    registrants only)."""
    found = ", ".join(part for part in (event.venue_name, event.venue_address) if part)
    return found or ("Online" if event.online_url else "")


def _cancelled(event) -> bool:
    return event.status == EventStatus.CANCELLED


def event_item(
    event, site: Site, registration: str | None = None, registered: datetime | None = None
) -> Item:
    """The event itself. In a person's feed ``registration`` is their status (``registered``
    when it last changed): waitlisted is TENTATIVE (promotion adds one to SEQUENCE: it never
    goes back, and leaving drops the item), confirmed carries the online link."""
    summary, description = event.title, event.summary
    sequence = event.sequence
    if registration == RegistrationStatus.WAITLISTED:
        summary = f"{event.title} (waitlisted)"
        description = "You are on the waitlist.\n\n" + description
    elif registration == RegistrationStatus.CONFIRMED:
        sequence += 1
        if online := web_url(event.online_url):
            description = f"{description}\n\nJoin online: {online}"
    return Item(
        uid=site.uid(f"event-{event.id}"),
        summary=summary,
        start=event.starts_at,
        end=event.ends_at,
        zone=event.timezone,
        modified=max(event.updated_at, registered or event.updated_at),
        sequence=sequence,
        status=_status(_cancelled(event), registration == RegistrationStatus.WAITLISTED),
        location=place(event),
        description=description.strip(),
        url=site.url("events.show", slug=event.slug),
    )


def session_item(session, event, site: Site, agenda_url: str | None = None) -> Item:
    cancelled = session.status == SessionStatus.CANCELLED or _cancelled(event)
    description = f"Part of {event.title}."
    if session.description:
        description += "\n\n" + session.description
    return Item(
        uid=site.uid(f"session-{session.id}"),
        summary=session.title,
        start=session.starts_at,
        end=session.ends_at,
        zone=event.timezone,
        modified=max(session.updated_at, event.updated_at),
        sequence=session.sequence + event.sequence,
        status=_status(cancelled),
        location=session.location or place(event),
        description=description,
        url=agenda_url or site.url("events.agenda", slug=event.slug),
    )


def _milestone(event, site: Site, name: str, summary: str, at: datetime, **fields) -> Item:
    """A deadline (a moment: no DTEND) or a window of the event (judging, the vote), shown
    as free time: it must not make the person look busy."""
    fields.setdefault("modified", event.updated_at)
    return Item(
        uid=site.uid(f"{name}-{event.id}"),
        summary=f"{summary}: {event.title}",
        start=at,
        end=fields.pop("end", None),
        zone=event.timezone,
        sequence=event.sequence,
        status=_status(_cancelled(event)),
        url=fields.pop("url", None) or site.url("events.show", slug=event.slug),
        transparent=True,
        **fields,
    )


def registration_deadline(event, site: Site) -> list[Item]:
    if event.registration_closes_at is None:
        return []
    return [
        _milestone(
            event,
            site,
            "deadline-registration",
            "Registration closes",
            event.registration_closes_at,
        )
    ]


def team_deadlines(event, site: Site, extension: datetime | None = None) -> list[Item]:
    """Teams close, projects due. A team's extension moves its own "projects due"."""
    found = []
    if event.team_formation_closes_at is not None:
        found.append(
            _milestone(event, site, "deadline-teams", "Teams close", event.team_formation_closes_at)
        )
    if event.submission_deadline is not None:
        due = max(event.submission_deadline, extension or event.submission_deadline)
        found.append(_milestone(event, site, "deadline-submissions", "Projects due", due))
    return found


def _window(start: datetime, end: datetime | None) -> datetime | None:
    return end if end is not None and end > start else None


def judging_item(event, settings, site: Site) -> list[Item]:
    """The judging window, once organizers set one (an event without judging settings has
    no such item). Without a closing time it is the moment judging opens."""
    if settings is None or (settings.opens_at is None and settings.closes_at is None):
        return []
    opens = judging_opens(event, settings)
    return [
        _milestone(
            event,
            site,
            "judging",
            "Judging",
            opens,
            modified=max(event.updated_at, settings.updated_at),
            end=_window(opens, judging_closes(settings)),
        )
    ]


def voting_item(event, settings, site: Site) -> list[Item]:
    """The people's choice vote, when it has both ends."""
    if settings is None or settings.voting_opens_at is None or settings.voting_closes_at is None:
        return []
    return [
        _milestone(
            event,
            site,
            "voting",
            "People's choice voting",
            settings.voting_opens_at,
            modified=max(event.updated_at, settings.updated_at),
            end=_window(settings.voting_opens_at, settings.voting_closes_at),
        )
    ]


def results_item(event, settings, site: Site) -> list[Item]:
    """The moment results were published (an item only once they are: the schema has no
    planned date for them)."""
    if settings is None or settings.results_published_at is None:
        return []
    return [
        _milestone(
            event,
            site,
            "results",
            "Results published",
            settings.results_published_at,
            modified=max(event.updated_at, settings.updated_at),
            url=site.url("results.view", slug=event.slug),
        )
    ]


def slot_item(slot, event, demo, site: Site) -> Item:
    """A presentation; ``slot.title`` is its project's title (queries.SLOT_COLUMNS)."""
    changed = max(slot.updated_at, event.updated_at, demo.updated_at if demo else slot.updated_at)
    return Item(
        uid=site.uid(f"demo-slot-{slot.id}"),
        summary=f"Demo: {slot.title}",
        start=slot.starts_at,
        end=slot.ends_at,
        zone=event.timezone,
        modified=changed,
        sequence=slot.sequence + event.sequence,
        status=_status(_cancelled(event)),
        location=(demo.location if demo is not None else "") or place(event),
        description=f"Demo day of {event.title}.",
        url=site.url("demoday.view", slug=event.slug),
    )
