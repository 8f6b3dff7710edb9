"""Calendar SEQUENCE for the items whose rows have no sequence of their own.

A calendar client replaces an item it already has only when its SEQUENCE rises, so every
visible change must raise it and nothing may lower it. Events, sessions and demo slots keep
their own counters (their services bump them). The judging and voting windows, the results,
a team's deadline extension and the demo day's room are shown as items of the event, with
the event's SEQUENCE, but live in rows that other domains write (judging settings, deadline
extensions, the demo day). Rather than have each of those services remember the calendar,
this hook raises the event's counter whenever such a row changes one of the fields a
subscriber sees, wherever the change is made. The event's ``updated_at`` moves with it,
so the feed's validator (ETag, Last-Modified) changes too.
"""

from __future__ import annotations

from sqlalchemy import event as sa_event
from sqlalchemy import inspect
from sqlalchemy.orm import Session

from eventhub.demoday.models import DemoDay
from eventhub.events.models import Event
from eventhub.judging.models import JudgingSettings
from eventhub.submissions.models import DeadlineExtension
from eventhub.teams.models import Team

# model -> the fields a subscriber sees
WATCHED: dict[type, tuple[str, ...]] = {
    JudgingSettings: (
        "opens_at",
        "closes_at",
        "voting_opens_at",
        "voting_closes_at",
        "results_published_at",
    ),
    DeadlineExtension: ("until",),
    DemoDay: ("location",),
}


def _event_id(session: Session, row) -> int | None:
    if isinstance(row, DeadlineExtension):
        team = session.get(Team, row.team_id)
        return team.event_id if team is not None else None
    return row.event_id


def _shows_change(row, fields: tuple[str, ...], state: str) -> bool:
    if state == "deleted":
        return True
    if state == "new":
        return any(getattr(row, name) is not None for name in fields)
    attrs = inspect(row).attrs
    return any(attrs[name].history.has_changes() for name in fields)


def _raise_sequences(session: Session, flush_context, instances) -> None:
    touched: set[int] = set()
    groups = (("new", session.new), ("dirty", session.dirty), ("deleted", session.deleted))
    with session.no_autoflush:
        for state, rows in groups:
            for row in rows:
                fields = WATCHED.get(type(row))
                if fields and _shows_change(row, fields, state):
                    event_id = _event_id(session, row)
                    if event_id is not None:
                        touched.add(event_id)
        for event_id in sorted(touched):
            found = session.get(Event, event_id)
            if found is not None and found not in session.deleted:
                found.sequence += 1


def install() -> None:
    """Listen on every ORM session (idempotent: create_app may run many times)."""
    if not sa_event.contains(Session, "before_flush", _raise_sequences):
        sa_event.listen(Session, "before_flush", _raise_sequences)
