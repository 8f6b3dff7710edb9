"""Reads for demo-day pages, the agenda and the room screen. Writes live in the services.

A slot is *live* when it is a break or its project is still submitted: a project withdrawn
after the order was built keeps its slot (and its time) until an organizer removes it, but
the public never sees it. Every read here takes a fixed number of queries, however many
slots there are (slots come with their project, team and challenge in one statement).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import joinedload

from eventhub.challenges.models import Challenge
from eventhub.demoday.models import DemoDay, DemoSlot
from eventhub.events.models import Event
from eventhub.events.queries import get_owned
from eventhub.extensions import db
from eventhub.submissions.models import Submission
from eventhub.timefmt import local

SUBMITTED = "submitted"
# current_slot_id once the organizer has pressed Next after the last slot. Row ids start at 1
# on both backends, so 0 never names a slot (the column has no foreign key).
FINISHED = 0


def clock_span(start: datetime, end: datetime, zone: str) -> str:
    """'2:05 PM to 2:10 PM EST': a span within a day, the zone named once."""
    a, b = local(start, zone), local(end, zone)
    return f"{a:%I:%M %p}".lstrip("0") + " to " + f"{b:%I:%M %p}".lstrip("0") + f" {b.tzname()}"


def demo_day_of(event: Event) -> DemoDay | None:
    return db.session.get(DemoDay, event.id)


def is_live(slot: DemoSlot) -> bool:
    return slot.is_break or (slot.submission is not None and slot.submission.state == SUBMITTED)


def slots_of(event: Event) -> list[DemoSlot]:
    """Every slot of the event in running order, with project, team and challenge."""
    return list(
        db.session.scalars(
            db.select(DemoSlot)
            .where(DemoSlot.event_id == event.id)
            .options(
                joinedload(DemoSlot.submission).joinedload(Submission.team),
                joinedload(DemoSlot.submission).joinedload(Submission.challenge),
            )
            .order_by(DemoSlot.position, DemoSlot.id)
        )
    )


def live_slots(event: Event) -> list[DemoSlot]:
    return [slot for slot in slots_of(event) if is_live(slot)]


def get_slot(event: Event, slot_id: int) -> DemoSlot:
    """The event's slot with this id; another event's id is a 404."""
    return get_owned(DemoSlot, event, slot_id)


def has_running_order(event: Event) -> bool:
    return bool(
        db.session.scalar(
            db.select(db.func.count(DemoSlot.id)).where(DemoSlot.event_id == event.id)
        )
    )


def submitted_projects(event: Event) -> list[Submission]:
    """Submitted projects in running-order order: by challenge (the challenges' own order),
    projects without a challenge last; by title within a challenge."""
    return list(
        db.session.scalars(
            db.select(Submission)
            .outerjoin(Challenge, Challenge.id == Submission.challenge_id)
            .where(Submission.event_id == event.id, Submission.state == SUBMITTED)
            .options(joinedload(Submission.team), joinedload(Submission.challenge))
            .order_by(
                Challenge.id.is_(None),
                Challenge.position,
                Challenge.id,
                Submission.title,
                Submission.id,
            )
        )
    )


@dataclass
class Stage:
    """Where the room is: the slot on stage, the one after it and the one before it.

    Navigation walks the live slots (plus the slot on stage, should its project be withdrawn
    while it presents), so a withdrawn project is skipped by Next and Back."""

    demo: DemoDay | None
    order: list[DemoSlot] = field(default_factory=list)
    current: DemoSlot | None = None
    upcoming: DemoSlot | None = None
    previous: DemoSlot | None = None

    @property
    def started(self) -> bool:
        return self.demo is not None and self.demo.current_slot_id is not None

    @property
    def finished(self) -> bool:
        return self.demo is not None and self.demo.current_slot_id == FINISHED

    @property
    def marker(self) -> str:
        """The state a button was pressed in, carried by the form: '', 'done' or a slot id."""
        if self.finished:
            return "done"
        return "" if self.current is None else str(self.current.id)

    def after(self, marker_id: int | None) -> DemoSlot | int | None:
        """The target of Next from a state; FINISHED after the last slot."""
        if marker_id is None:
            return self.order[0] if self.order else None
        index = self.index_of(marker_id)
        if index is None:
            return None
        return self.order[index + 1] if index + 1 < len(self.order) else FINISHED

    def before(self, marker_id: int | None) -> DemoSlot | int | None:
        """The target of Back from a state; None (not started) before the first slot."""
        if marker_id == FINISHED:
            return self.order[-1] if self.order else None
        index = self.index_of(marker_id)
        return None if not index else self.order[index - 1]

    def index_of(self, slot_id: int | None) -> int | None:
        for index, slot in enumerate(self.order):
            if slot.id == slot_id:
                return index
        return None


def stage(event: Event) -> Stage:
    demo = demo_day_of(event)
    if demo is None:
        return Stage(None)
    current_id = demo.current_slot_id
    order = [s for s in slots_of(event) if is_live(s) or s.id == current_id]
    state = Stage(demo, order)
    if current_id is None:
        state.upcoming = order[0] if order else None
    elif current_id == FINISHED:
        state.previous = order[-1] if order else None
    else:
        index = state.index_of(current_id)
        if index is None:  # a slot removed under it: the services prevent this; be safe
            state.upcoming = order[0] if order else None
            return state
        state.current = order[index]
        state.upcoming = order[index + 1] if index + 1 < len(order) else None
        state.previous = order[index - 1] if index else None
    return state


@dataclass
class AgendaEntry:
    """The running order as one item of the agenda, beside its sessions."""

    starts_at: datetime
    ends_at: datetime
    location: str
    slots: list[DemoSlot]
    title: str = "Demo day"
    is_demo_day: bool = True


def agenda_entries(event: Event) -> list[AgendaEntry]:
    """The demo day for the agenda (none until a running order exists): two queries."""
    demo = demo_day_of(event)
    slots = live_slots(event) if demo is not None else []
    if not slots:
        return []
    return [AgendaEntry(slots[0].starts_at, slots[-1].ends_at, demo.location, slots)]
