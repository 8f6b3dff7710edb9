"""Calendar SEQUENCE: raised by every change a subscriber would see, wherever it is made.

A calendar client replaces an item it already has only when its SEQUENCE rises, so every
visible change must raise it and nothing may lower it. An item's SEQUENCE is the sum of the
counters of the rows it shows (calendar/items.py); events, sessions and demo slots keep
those counters. ``SHOWN`` is the one list of the fields feeds show, row by row, with whose
counter a change to them raises:

- its own, for events, sessions and demo slots;
- its event's, for rows of other domains shown as items of the event (the judging and
  voting windows, the results, a team's deadline extension, the demo day's room);
- its demo slots', for a project (a slot shows its project's title).

A flush hook applies it, so no service has to remember the calendar, and a field a feed
starts showing is added here, once. A counter's row gets a new ``updated_at`` with it, and
the counters are part of every feed's validator (ETag) and of every stored part's
fingerprint (calendar/store.py): an edit reaches the bytes, not only the number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import event as sa_event
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from eventhub.demoday.models import DemoDay, DemoSlot
from eventhub.events.models import AgendaSession, Event
from eventhub.judging.models import JudgingSettings
from eventhub.submissions.models import DeadlineExtension, Submission
from eventhub.teams.models import Team


def _itself(session: Session, row) -> Iterable:
    return [row]


def _its_event(session: Session, row) -> Iterable:
    if isinstance(row, DeadlineExtension):
        team = session.get(Team, row.team_id)
        event_id = team.event_id if team is not None else None
    else:
        event_id = row.event_id
    found = session.get(Event, event_id) if event_id is not None else None
    return [found] if found is not None else []


def _its_slots(session: Session, row) -> Iterable:
    if row.id is None:
        return []
    return session.scalars(select(DemoSlot).where(DemoSlot.submission_id == row.id)).all()


@dataclass(frozen=True)
class Shown:
    fields: tuple[str, ...]
    counters: Callable[[Session, object], Iterable]  # the rows whose ``sequence`` rises


SHOWN: dict[type, Shown] = {
    Event: Shown(
        (
            "title",
            "summary",  # the event item's description
            "slug",  # every item's link
            "timezone",  # every item's TZID
            "starts_at",
            "ends_at",
            "venue_name",
            "venue_address",
            "online_url",  # "Online" as the place; the link, for registrants
            "status",
            "registration_closes_at",
            "team_formation_closes_at",
            "submission_deadline",
        ),
        _itself,
    ),
    AgendaSession: Shown(
        ("title", "description", "location", "starts_at", "ends_at", "status"), _itself
    ),
    DemoSlot: Shown(("title", "starts_at", "ends_at"), _itself),
    Submission: Shown(("title",), _its_slots),
    JudgingSettings: Shown(
        ("opens_at", "closes_at", "voting_opens_at", "voting_closes_at", "results_published_at"),
        _its_event,
    ),
    DeadlineExtension: Shown(("until",), _its_event),
    DemoDay: Shown(("location",), _its_event),
}


def _shows_change(row, fields: tuple[str, ...], state: str) -> bool:
    if state == "deleted":
        return True
    if state == "new":
        return any(getattr(row, name) is not None for name in fields)
    attrs = inspect(row).attrs
    return any(attrs[name].history.has_changes() for name in fields)


def _raise_sequences(session: Session, flush_context, instances) -> None:
    raised: dict[int, object] = {}  # by identity: a row shown twice rises once
    groups = (("new", session.new), ("dirty", session.dirty), ("deleted", session.deleted))
    with session.no_autoflush:
        for state, rows in groups:
            for row in list(rows):
                shown = SHOWN.get(type(row))
                if shown is None or not _shows_change(row, shown.fields, state):
                    continue
                for counter in shown.counters(session, row):
                    raised[id(counter)] = counter
        for counter in raised.values():
            # A new row starts at 0 (nothing holds it yet); a deleted one is gone.
            if inspect(counter).persistent and counter not in session.deleted:
                counter.sequence += 1


def install() -> None:
    """Listen on every ORM session (idempotent: create_app may run many times)."""
    if not sa_event.contains(Session, "before_flush", _raise_sequences):
        sa_event.listen(Session, "before_flush", _raise_sequences)
