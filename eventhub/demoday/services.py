"""Building and changing the running order, and moving the room from slot to slot.

Every change to the order ends in ``_retime``: slots are renumbered and their times laid end
to end from the demo day's start. A presentation's title is its project's title, refreshed on
every change. Each stored slot whose time or title moved gets its ``sequence`` raised by the
calendar's flush hook (calendar/sequence.py), as does a slot whose project is renamed.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import groupby

from sqlalchemy import inspect

from eventhub.core.audit import audit
from eventhub.demoday import queries
from eventhub.demoday.models import DemoDay, DemoSlot
from eventhub.demoday.queries import FINISHED
from eventhub.errors import DomainError
from eventhub.events.models import Event
from eventhub.extensions import db
from eventhub.timefmt import format_datetime

MAX_MINUTES = 120
EARLY = timedelta(days=1)  # the demo day may start this long before the event...
LATE = timedelta(days=1)  # ...and this long after it ends
BREAK_TITLE = "Break"


def start_window(event: Event) -> tuple[datetime, datetime]:
    return event.starts_at - EARLY, event.ends_at + LATE


def start_window_text(event: Event) -> str:
    earliest, latest = start_window(event)
    zone = event.timezone
    return (
        f"from {format_datetime(earliest, zone)} to {format_datetime(latest, zone)} "
        "(a day before the event starts to a day after it ends)"
    )


def _check_start(event: Event, starts_at: datetime) -> None:
    earliest, latest = start_window(event)
    if not earliest <= starts_at <= latest:
        raise DomainError(f"Start the demo day {start_window_text(event)}.", field="starts_at")


def _require_demo_day(event: Event) -> DemoDay:
    demo = queries.demo_day_of(event)
    if demo is None:
        raise DomainError("Save the demo day's start and slot length first.")
    return demo


def _retime(demo: DemoDay, slots: list[DemoSlot], titles: dict | None = None) -> int:
    """Lay the slots end to end from the start, giving breaks their new ``titles`` (by
    slot); returns how many stored slots changed (for the audit log)."""
    at, changed = demo.starts_at, 0
    for position, slot in enumerate(slots):
        title = slot.submission.title if slot.submission is not None else slot.title
        title = (titles or {}).get(slot, title)
        new = (at, at + timedelta(minutes=slot.minutes), title)
        if inspect(slot).persistent and (slot.starts_at, slot.ends_at, slot.title) != new:
            changed += 1
        slot.position = position
        slot.starts_at, slot.ends_at, slot.title = new
        at = slot.ends_at
    db.session.add_all(slots)
    db.session.flush()
    return changed


def save_settings(event: Event, data: dict, *, actor) -> DemoDay:
    """Create or change the demo day. A new slot length applies to every presentation that
    still has the old one (a length set by hand is kept)."""
    _check_start(event, data["starts_at"])
    demo = queries.demo_day_of(event)
    if demo is None:
        demo = DemoDay(event_id=event.id, **data)
        db.session.add(demo)
        db.session.flush()
        audit(actor, "demoday.create", event, event=event)
        return demo
    slots = queries.slots_of(event)
    for slot in slots:
        if not slot.is_break and slot.minutes == demo.slot_minutes:
            slot.minutes = data["slot_minutes"]
    demo.starts_at = data["starts_at"]
    demo.slot_minutes = data["slot_minutes"]
    demo.location = data["location"]
    changed = _retime(demo, slots)
    audit(actor, "demoday.settings", event, event=event, slots_changed=changed)
    return demo


def _presentation(demo: DemoDay, submission) -> DemoSlot:
    return DemoSlot(
        event_id=demo.event_id,
        kind="presentation",
        submission_id=submission.id,
        submission=submission,
        minutes=demo.slot_minutes,
    )


def build_order(event: Event, data: dict, *, actor) -> list[DemoSlot]:
    """One presentation per submitted project, grouped by challenge, with a break of
    ``break_minutes`` (0: none) between groups. Replacing an order needs ``confirm``; the
    room goes back to "not started" (the old slots, and so their ids, are gone)."""
    demo = _require_demo_day(event)
    old = queries.slots_of(event)
    if old and not data.get("confirm"):
        raise DomainError(
            "A running order exists. Tick “Replace the running order” to build a new one, "
            "or use “Add missing projects” to keep it."
        )  # beside the form, not the box: the field macro shows no message for a checkbox
    projects = queries.submitted_projects(event)
    if not projects:
        raise DomainError("No project has been submitted yet: there is nothing to put in order.")
    for slot in old:
        db.session.delete(slot)
    demo.current_slot_id = None
    slots: list[DemoSlot] = []
    for _, group in groupby(projects, key=lambda s: s.challenge_id):
        if slots and data.get("break_minutes"):
            slots.append(_break(demo, BREAK_TITLE, data["break_minutes"]))
        slots.extend(_presentation(demo, project) for project in group)
    _retime(demo, slots)
    audit(actor, "demoday.build", event, event=event, slots=len(slots), replaced=len(old))
    return slots


def sync_order(event: Event, *, actor) -> tuple[int, int]:
    """Append newly submitted projects (in building order) and drop withdrawn ones; the rest
    keeps its place. Returns (added, removed)."""
    demo = _require_demo_day(event)
    slots = queries.slots_of(event)
    placed = {slot.submission_id for slot in slots if not slot.is_break}
    gone = [s for s in slots if not s.is_break and not queries.is_live(s)]
    for slot in gone:
        _forget(demo, slot, slots)
        db.session.delete(slot)
    kept = [s for s in slots if s not in gone]
    new = [_presentation(demo, p) for p in queries.submitted_projects(event) if p.id not in placed]
    _retime(demo, kept + new)
    audit(actor, "demoday.sync", event, event=event, added=len(new), removed=len(gone))
    return len(new), len(gone)


def move_slot(slot: DemoSlot, direction: str, *, actor) -> None:
    slots = queries.slots_of(slot_event(slot))
    index = slots.index(slot)
    if direction not in ("up", "down"):
        raise DomainError("Press Move up or Move down.")
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(slots):
        raise DomainError(f"“{slot.title}” is already {'first' if target < 0 else 'last'}.")
    slots[index], slots[target] = slots[target], slots[index]
    _finish_change(slot, slots, actor, "demoday.move", direction=direction)


def update_slot(slot: DemoSlot, data: dict, *, actor) -> None:
    """Change a slot's length, its place (1 is first) and, for a break, its title."""
    slots = queries.slots_of(slot_event(slot))
    position = data.get("position")
    if position is not None and not 1 <= position <= len(slots):
        raise DomainError(f"Choose a position from 1 to {len(slots)}.", field="position")
    slot.minutes = data["minutes"]
    titles = {slot: data.get("title") or BREAK_TITLE} if slot.is_break else {}
    if position is not None:
        slots.remove(slot)
        slots.insert(position - 1, slot)
    _finish_change(slot, slots, actor, "demoday.slot_update", titles, minutes=slot.minutes)


def add_break(event: Event, data: dict, *, actor) -> DemoSlot:
    """A break after the slot at ``after`` (1 is the first slot; 0 puts it first)."""
    demo = _require_demo_day(event)
    slots = queries.slots_of(event)
    after = data["after"]
    if not 0 <= after <= len(slots):
        raise DomainError(
            f"Choose a slot from the running order (0 to {len(slots)}).", field="after"
        )
    new = _break(demo, data.get("title") or BREAK_TITLE, data["minutes"])
    slots.insert(after, new)
    _retime(demo, slots)
    audit(actor, "demoday.break_add", new, event=event, after=after, minutes=new.minutes)
    return new


def remove_slot(slot: DemoSlot, *, actor) -> None:
    """Take a slot out; the ones after it move up. If it is on stage, the next one is."""
    event = slot_event(slot)
    demo = _require_demo_day(event)
    slots = queries.slots_of(event)
    _forget(demo, slot, slots)
    slots.remove(slot)
    audit(actor, "demoday.slot_remove", slot, event=event, title=slot.title)
    db.session.delete(slot)
    _retime(demo, slots)


def advance(event: Event, data: dict, *, actor) -> queries.Stage:
    """Next or Back from the state the organizer saw (``data['from']``). The write is one
    conditional UPDATE on that state, so of two organizers pressing Next together from the
    same screen, one moves the room on and the other is told so."""
    stage = queries.stage(event)
    if stage.demo is None or not stage.order:
        raise DomainError("There is no running order yet: build it first.")
    seen = _parse_marker(data.get("from"))
    if seen is not None and seen != FINISHED and stage.index_of(seen) is None:
        raise _moved_on(event)
    target = _target(stage, seen, data.get("direction"))
    new_id = target if target is None or target == FINISHED else target.id
    result = db.session.execute(
        db.update(DemoDay)
        .where(
            DemoDay.event_id == event.id,
            DemoDay.current_slot_id.is_not_distinct_from(seen),
        )
        .values(current_slot_id=new_id)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise _moved_on(event)
    audit(actor, "demoday.advance", event, event=event, seen=seen, now=new_id)
    db.session.expire_all()
    return queries.stage(event)


def describe(slot: DemoSlot | None, finished: bool = False) -> str:
    """A slot as a person names it: 'Team — Project', or the break's title."""
    if finished:
        return "nobody, the demo day is over"
    if slot is None:
        return "nobody yet, the demo day has not started"
    if slot.is_break:
        return slot.title
    return f"{slot.submission.team.name} — {slot.submission.title}"


# --- helpers -------------------------------------------------------------------------------


def slot_event(slot: DemoSlot) -> Event:
    return db.session.get(Event, slot.event_id)


def _break(demo: DemoDay, title: str, minutes: int) -> DemoSlot:
    return DemoSlot(event_id=demo.event_id, kind="break", title=title, minutes=minutes)


def _finish_change(slot, slots, actor, action: str, titles=None, **detail) -> None:
    event = slot_event(slot)
    changed = _retime(_require_demo_day(event), slots, titles)
    audit(actor, action, slot, event=event, slots_changed=changed, **detail)


def _forget(demo: DemoDay, slot: DemoSlot, slots: list[DemoSlot]) -> None:
    """If ``slot`` is on stage, put the next live slot there (or end the demo day)."""
    if demo.current_slot_id != slot.id:
        return
    later = [s for s in slots[slots.index(slot) + 1 :] if queries.is_live(s)]
    demo.current_slot_id = later[0].id if later else FINISHED


def _parse_marker(value) -> int | None:
    text = (value or "").strip()
    if text == "done":
        return FINISHED
    if text.isdigit() and int(text) > 0:
        return int(text)
    return None


def _target(stage: queries.Stage, seen: int | None, direction) -> DemoSlot | int | None:
    if direction == "next":
        if seen == FINISHED:
            raise DomainError(
                "The demo day is already over. Press Back to return to the last slot."
            )
        return stage.after(seen)
    if direction == "back":
        if seen is None:
            raise DomainError("The demo day has not started yet: press Next to begin.")
        return stage.before(seen)
    raise DomainError("Press Next or Back.")


def _moved_on(event: Event) -> DomainError:
    """The refusal for a stale press, naming what is on stage now (read afresh)."""
    db.session.expire_all()
    fresh = queries.stage(event)
    return DomainError(
        f"Someone already moved on; now presenting: {describe(fresh.current, fresh.finished)}."
    )
