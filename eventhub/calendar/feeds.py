"""Each feed, assembled: its rows (queries), its items (items), its bytes (ics).

- Site: every published event, upcoming and from the last 90 days, with its sessions,
  filtered by kind.
- Event: the event, its sessions, its deadlines (registration, teams, projects), judging,
  the people's choice vote, the results and the demo-day slots.
- Person: the events they registered for (confirmed, or waitlisted and marked so) with their
  sessions, the deadlines that concern them (their team's extension included), the vote and
  results, their own team's demo slot; for a judge, the event, the judging window and every
  demo slot. Reminders as they chose.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import datetime

from eventhub.calendar import items as make
from eventhub.calendar import queries
from eventhub.calendar.ics import FeedMeta, Item, Spans, assemble, block, calendar, widen
from eventhub.calendar.queries import event_is_kept
from eventhub.enums import EventKind, RegistrationStatus

SITE_DESCRIPTION = (
    "Published events on EventHub, upcoming and from the last 90 days, with their sessions."
)
PERSON_DESCRIPTION = (
    "The events you registered for with their sessions, your team's deadlines and demo "
    "slot, and the events you judge."
)


def _unique(found: list[Item]) -> list[Item]:
    """First item per UID (a judge who also registered gets the registrant's version)."""
    seen: dict[str, Item] = {}
    for item in found:
        seen.setdefault(item.uid, item)
    return list(seen.values())


def site_meta(kinds: tuple[str, ...], site: make.Site) -> FeedMeta:
    name = "EventHub events"
    if kinds:
        name += ": " + ", ".join(EventKind(kind).label for kind in kinds)
    return FeedMeta(name, SITE_DESCRIPTION, site.url("calendar.site_page", kind=list(kinds)))


class Blocks:
    """Each event's VEVENTs (the event and its sessions) as bytes, per process, keyed by
    the event's fingerprint: what the bytes depend on, read in one grouped query. A feed of
    1,000 events is then one query and a join; an edited event is built again alone.
    Bounded (least recently used first out) and safe across gthread threads."""

    def __init__(self, size: int = 20_000):
        self.size, self.found = size, OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            found = self.found.get(key)
            if found is not None:
                self.found.move_to_end(key)
            return found

    def clear(self) -> None:
        with self.lock:
            self.found.clear()

    def put(self, key, value: bytes) -> None:
        with self.lock:
            self.found[key] = value
            while len(self.found) > self.size:
                self.found.popitem(last=False)


BLOCKS = Blocks()


def _event_block(event, sessions, site: make.Site) -> bytes:
    agenda = site.url("events.agenda", slug=event.slug)
    found = [make.event_item(event, site)]
    found += [make.session_item(session, event, site, agenda) for session in sessions]
    return block(found)


def site_feed(at: datetime, kinds: tuple[str, ...]) -> bytes:
    site = make.Site.current()
    prints = [(site.base, *row) for row in queries.site_fingerprints(at, kinds)]
    blocks = {key: BLOCKS.get(key) for key in prints}
    missing = {key[1]: key for key, found in blocks.items() if found is None}
    events, sessions = queries.events_with_sessions(list(missing), at)
    grouped: dict[int, list] = {event.id: [] for event in events}
    for session in sessions:
        grouped[session.event_id].append(session)
    for event in events:
        blocks[missing[event.id]] = built = _event_block(event, grouped[event.id], site)
        BLOCKS.put(missing[event.id], built)
    spans: Spans = {}
    for _base, _id, _changed, _seq, zone, starts, ends, *_sessions in prints:
        widen(spans, zone, starts, ends)
    return assemble(site_meta(kinds, site), spans, [blocks[key] for key in prints])


def event_meta(event, site: make.Site) -> FeedMeta:
    return FeedMeta(
        event.title,
        f"Sessions, deadlines and demo day of {event.title}.",
        site.url("events.show", slug=event.slug),
    )


def event_feed(event, at: datetime) -> bytes:
    site = make.Site.current()
    found: list[Item] = []
    if event_is_kept(event, at):
        ids = [event.id]
        settings = queries.settings_of(ids).get(event.id)
        demo = queries.demo_days_of(ids).get(event.id)
        found.append(make.event_item(event, site))
        found += [make.session_item(s, event, site) for s in queries.sessions_of(ids, at)]
        found += make.registration_deadline(event, site)
        found += make.team_deadlines(event, site)
        found += make.judging_item(event, settings, site)
        found += make.voting_item(event, settings, site)
        found += make.results_item(event, settings, site)
        found += [make.slot_item(s, event, demo, site) for s in queries.live_slots_of(ids)]
    return calendar(event_meta(event, site), found)


def person_meta(site: make.Site) -> FeedMeta:
    return FeedMeta("My EventHub calendar", PERSON_DESCRIPTION, site.url("accounts.profile"))


def personal_feed(token, at: datetime) -> bytes:
    site = make.Site.current()
    scope = queries.person_scope(token.user_id, at)
    ids = [event.id for event in scope.events]
    registered = [event_id for event_id in ids if event_id in scope.registrations]
    settings = queries.settings_of(ids)
    demos = queries.demo_days_of(ids)
    slots = queries.live_slots_of(ids)
    sessions = queries.sessions_of(registered, at)
    found: list[Item] = []
    for event in scope.events:
        status, changed = scope.registrations.get(event.id, (None, None))
        team_id = scope.teams.get(event.id)
        judge = event.id in scope.judged
        found.append(make.event_item(event, site, status, changed))
        here = settings.get(event.id)
        if status == RegistrationStatus.CONFIRMED:
            extension = scope.extensions.get(team_id) if team_id is not None else None
            found += make.team_deadlines(event, site, extension)
            found += make.voting_item(event, here, site)
        if judge:
            found += make.judging_item(event, here, site)
        found += make.results_item(event, here, site)
        found += [
            make.slot_item(slot, event, demos.get(event.id), site)
            for slot in slots
            if slot.event_id == event.id and (judge or (team_id and slot.team_id == team_id))
        ]
    by_id = {event.id: event for event in scope.events}
    found += [make.session_item(s, by_id[s.event_id], site) for s in sessions]
    return calendar(person_meta(site), _unique(found), token.reminder)


def event_download(event) -> bytes:
    """The event alone, for "add to calendar"."""
    site = make.Site.current()
    return calendar(event_meta(event, site), [make.event_item(event, site)])


def session_download(session, event) -> bytes:
    site = make.Site.current()
    meta = FeedMeta(session.title, f"A session of {event.title}.", "")
    return calendar(meta, [make.session_item(session, event, site)])
