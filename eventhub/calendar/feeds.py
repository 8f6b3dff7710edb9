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

from datetime import datetime

from flask import current_app

from eventhub.calendar import items as make
from eventhub.calendar import queries
from eventhub.calendar.ics import (
    FeedMeta,
    Item,
    Spans,
    assemble,
    block,
    spans_of,
    vtimezone,
    widen,
    zone_rules,
)
from eventhub.calendar.queries import event_is_kept
from eventhub.calendar.store import Parts, fingerprint
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


def _zone_parts(spans: Spans) -> dict[str, tuple[str, str, int, int]]:
    """The feed's VTIMEZONE parts: key -> (fingerprint, zone, first year, last year), in
    the order they are written (by TZID). A zone's part changes with its rules only."""
    return {
        f"zone-{zone}-{low}-{high}": (fingerprint("zone", zone_rules(zone)), zone, low, high)
        for zone, (low, high) in sorted(spans.items())
    }


def _zones(parts: Parts, spans: Spans, found: dict[str, bytes]) -> bytes:
    """The VTIMEZONEs: from ``found``, else the store, else written now."""
    zones = _zone_parts(spans)
    found = found | parts.find({key: z[0] for key, z in zones.items() if key not in found})
    for key, (print_, zone, low, high) in zones.items():
        if key not in found:
            found[key] = vtimezone(zone, low, high)
            parts.add(key, print_, found[key])
    return b"".join(found[key] for key in zones)


def _calendar(meta: FeedMeta, found: list[Item], parts: Parts, reminder: str = "none") -> bytes:
    """``ics.calendar``, with the VTIMEZONEs from the store."""
    return assemble(meta, _zones(parts, spans_of(found), {}), [block(found, reminder)])


def _event_block(event, sessions, site: make.Site) -> bytes:
    agenda = site.url("events.agenda", slug=event.slug)
    found = [make.event_item(event, site)]
    found += [make.session_item(session, event, site, agenda) for session in sessions]
    return block(found)


def _site_key(event_id: int) -> str:
    return f"site-event-{event_id}"


def _linked_rules() -> str:
    """The URL rules an event's part links by: moving a page writes the parts again."""
    linked = ("events.show", "events.agenda")
    return " ".join(
        sorted(r.rule for r in current_app.url_map.iter_rules() if r.endpoint in linked)
    )


def site_feed(at: datetime, kinds: tuple[str, ...], parts: Parts) -> bytes:
    """Each event's VEVENTs (the event and its sessions) are one part, fingerprinted by
    what its bytes depend on, which one grouped query reads for every event: the feed is
    that query, one read of the parts this process lacks, and a join. Only events that
    changed are read and written again."""
    site = make.Site.current()
    rows = queries.site_fingerprints(at, kinds)
    links = _linked_rules()
    wanted = {_site_key(row.id): fingerprint(site.base, links, *row) for row in rows}
    spans: Spans = {}
    for row in rows:
        widen(spans, row.timezone, row.starts_at, row.ends_at)
    found = parts.find(wanted | {key: z[0] for key, z in _zone_parts(spans).items()})
    missing = [row.id for row in rows if _site_key(row.id) not in found]
    events, sessions = queries.events_with_sessions(missing, at)
    grouped: dict[int, list] = {event.id: [] for event in events}
    for session in sessions:
        grouped[session.event_id].append(session)
    for event in events:
        key = _site_key(event.id)
        found[key] = _event_block(event, grouped[event.id], site)
        parts.add(key, wanted[key], found[key])
    zones = _zones(parts, spans, found)
    # An event deleted between the two queries (PostgreSQL reads each at its own moment)
    # is left out rather than failing the feed.
    return assemble(site_meta(kinds, site), zones, [found[key] for key in wanted if key in found])


def event_meta(event, site: make.Site) -> FeedMeta:
    return FeedMeta(
        event.title,
        f"Sessions, deadlines and demo day of {event.title}.",
        site.url("events.show", slug=event.slug),
    )


def event_feed(event, at: datetime, parts: Parts) -> bytes:
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
    return _calendar(event_meta(event, site), found, parts)


def person_meta(site: make.Site) -> FeedMeta:
    return FeedMeta("My EventHub calendar", PERSON_DESCRIPTION, site.url("accounts.profile"))


def personal_feed(token, at: datetime, parts: Parts) -> bytes:
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
    return _calendar(person_meta(site), _unique(found), parts, token.reminder)


def event_download(event, parts: Parts) -> bytes:
    """The event alone, for "add to calendar"."""
    site = make.Site.current()
    return _calendar(event_meta(event, site), [make.event_item(event, site)], parts)


def session_download(session, event, parts: Parts) -> bytes:
    site = make.Site.current()
    meta = FeedMeta(session.title, f"A session of {event.title}.", "")
    return _calendar(meta, [make.session_item(session, event, site)], parts)
