"""iCalendar output: an item is one VEVENT, a feed is a VCALENDAR of items.

Every value is written by icalendar's own value types and escaping, every line folded by
its folding function. Two ways produce the same bytes:

- ``component(item)`` builds an ``icalendar.Event`` the documented way: the reference.
- ``render(item)`` writes the same properties straight through icalendar's value types,
  skipping the Component machinery, and is memoized on the item itself (a NamedTuple of
  everything the bytes depend on, so a cached entry can never be stale). A feed of 11,000
  items is built from the cache by joining bytes; building a Component per item per request
  costs about a millisecond each. tests/unit/test_ical_render.py holds both to the same bytes.

Determinism: items come sorted, properties in a fixed order, VTIMEZONEs sorted by TZID
(icalendar's ``add_missing_timezones`` walks a set, whose order follows PYTHONHASHSEED), and
nothing reads the clock: DTSTAMP and LAST-MODIFIED are the data's own last change.
"""

from __future__ import annotations

import hashlib
import zoneinfo
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo

import icalendar
from icalendar import (
    Alarm,
    Calendar,
    Event,
    Timezone,
    vDDDTypes,
    vDuration,
    vText,
)
from icalendar.parser import Parameters, _escape_char, _foldline

PRODID = "-//EventHub//Calendar feeds 1//EN"
REFRESH = timedelta(hours=1)


def _format() -> str:
    """What the bytes depend on besides the data: the code that writes them and icalendar's
    version. Part of every ETag and of every stored part's fingerprint (store.py), so bytes
    written by another release are never taken for current ones."""
    digest = hashlib.sha256(f"icalendar {icalendar.__version__}".encode())
    for name in ("ics.py", "items.py", "feeds.py"):
        digest.update((Path(__file__).with_name(name)).read_bytes())
    return digest.hexdigest()[:12]


FORMAT = _format()

_DAY = timedelta(days=1)
TRIGGERS = {"1h": timedelta(hours=-1), "1d": timedelta(days=-1)}


class Item(NamedTuple):
    """One VEVENT, as plain values. Times are aware UTC; ``zone`` is the IANA zone they are
    written in (TZID). ``end`` None is a moment (a deadline)."""

    uid: str
    summary: str
    start: datetime
    end: datetime | None
    zone: str
    modified: datetime
    sequence: int
    status: str = "CONFIRMED"
    location: str = ""
    description: str = ""
    url: str = ""
    transparent: bool = False


class FeedMeta(NamedTuple):
    name: str
    description: str
    url: str


# --- the reference: icalendar Components ------------------------------------------------


def component(item: Item, reminder: str = "none") -> Event:
    """The item as an icalendar Event (UID and DTSTAMP always given: ``Event.new`` would
    default them to a random uuid and to now)."""
    zone = _zone(item.zone)
    event = Event()
    event.add("UID", item.uid)
    event.add("DTSTAMP", item.modified)
    event.add("LAST-MODIFIED", item.modified)
    event.add("SEQUENCE", item.sequence)
    event.add("SUMMARY", item.summary)
    event.add("DTSTART", item.start.astimezone(zone))
    if item.end is not None:
        event.add("DTEND", item.end.astimezone(zone))
    event.add("STATUS", item.status)
    if item.transparent:
        event.add("TRANSP", "TRANSPARENT")
    for name, value in (
        ("LOCATION", item.location),
        ("DESCRIPTION", item.description),
        ("URL", item.url),
    ):
        if value:
            event.add(name, value)
    if reminder in TRIGGERS and item.status != "CANCELLED":
        alarm = Alarm()
        alarm.add("ACTION", "DISPLAY")
        alarm.add("DESCRIPTION", item.summary)
        alarm.add("TRIGGER", TRIGGERS[reminder])
        event.add_component(alarm)
    return event


# --- the fast path: the same lines through icalendar's value types ----------------------


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


@lru_cache(maxsize=64)
def tzid(name: str) -> str | None:
    """The TZID icalendar writes for the zone; None for the zones it writes as UTC ("Z")."""
    probe = vDDDTypes(datetime(2026, 1, 1, tzinfo=_zone(name)))
    return probe.params.get("TZID")


@lru_cache(maxsize=64)
def _tzid_param(name: str) -> str:
    return Parameters({"TZID": name}).to_ical().decode()


def _fold(line: str) -> bytes:
    """icalendar's folding; a line that fits in 75 octets is left as it is (what folding
    would do) without walking it character by character."""
    data = line.encode()
    return data if len(data) < 75 else _foldline(line).encode()


def _text(name: str, value: str) -> bytes:
    """A TEXT property, escaped as icalendar's vText escapes."""
    return _fold(f"{name}:{_escape_char(value)}")


def _stamp(value: datetime) -> str:
    """DATE-TIME as vDatetime writes it (UTC with "Z", a zone's wall clock without), less
    its per-value parameter bookkeeping, which costs more than the rest of an item."""
    aware = value.tzinfo is not None
    if aware:
        value = value.astimezone(UTC)
    text = (
        f"{value.year:04}{value.month:02}{value.day:02}"
        f"T{value.hour:02}{value.minute:02}{value.second:02}"
    )
    return text + "Z" if aware else text


def _local(name: str, value: datetime, zone: str) -> bytes:
    found = tzid(zone)
    if found is None:
        return _fold(f"{name}:{_stamp(value)}")
    wall = value.astimezone(_zone(zone)).replace(tzinfo=None)
    return _fold(f"{name};{_tzid_param(found)}:{_stamp(wall)}")


@lru_cache(maxsize=50_000)
def render(item: Item, reminder: str = "none") -> bytes:
    """The item's VEVENT, byte for byte what ``component(item, reminder).to_ical()`` gives."""
    modified = _stamp(item.modified)
    lines = [
        b"BEGIN:VEVENT",
        _text("UID", item.uid),
        _fold(f"DTSTAMP:{modified}"),
        _fold(f"LAST-MODIFIED:{modified}"),
        f"SEQUENCE:{int(item.sequence)}".encode(),
        _text("SUMMARY", item.summary),
        _local("DTSTART", item.start, item.zone),
    ]
    if item.end is not None:
        lines.append(_local("DTEND", item.end, item.zone))
    lines.append(_text("STATUS", item.status))
    if item.transparent:
        lines.append(b"TRANSP:TRANSPARENT")
    if item.location:
        lines.append(_text("LOCATION", item.location))
    if item.description:
        lines.append(_text("DESCRIPTION", item.description))
    if item.url:
        lines.append(_fold(f"URL:{item.url}"))  # URI values are written as they are
    if reminder in TRIGGERS and item.status != "CANCELLED":
        lines += [
            b"BEGIN:VALARM",
            b"ACTION:DISPLAY",
            _text("DESCRIPTION", item.summary),
            _fold(f"TRIGGER:{vDuration(TRIGGERS[reminder]).to_ical().decode()}"),
            b"END:VALARM",
        ]
    lines.append(b"END:VEVENT")
    return b"\r\n".join(lines) + b"\r\n"


# --- the calendar -------------------------------------------------------------------------


@lru_cache(maxsize=256)
def _head(meta: FeedMeta) -> bytes:
    """VCALENDAR's opening and its properties (RFC 5545 and 7986), without METHOD: a feed
    is a published calendar, not a scheduling message."""
    calendar = Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    # icalendar 7.3 types NAME and the X-WR- names as unknown and writes them unescaped:
    # a comma, semicolon or newline in an event's title would break the feed. TEXT they are.
    calendar.add("NAME", vText(meta.name))
    calendar.add("X-WR-CALNAME", vText(meta.name))
    if meta.description:
        calendar.add("DESCRIPTION", vText(meta.description))
        calendar.add("X-WR-CALDESC", vText(meta.description))
    if meta.url:
        calendar.add("URL", meta.url, parameters={"VALUE": "URI"})
    # icalendar writes refresh_interval= without the VALUE parameter RFC 7986 requires.
    refresh = vDuration(REFRESH)
    refresh.params["VALUE"] = "DURATION"
    calendar.add("REFRESH-INTERVAL", refresh)
    # A bare timedelta would be written as "1:00:00".
    calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH))
    whole = calendar.to_ical()
    end = b"END:VCALENDAR\r\n"
    assert whole.endswith(end)
    return whole[: -len(end)]


@lru_cache(maxsize=256)
def vtimezone(zone: str, first_year: int, last_year: int) -> bytes:
    """The zone's rules over whole years around the items (a narrow range keeps the
    component short; whole years keep it the same while the items move within them)."""
    found = Timezone.from_tzid(
        zone, first_date=date(first_year, 1, 1), last_date=date(last_year + 1, 1, 1)
    )
    return found.to_ical()


@lru_cache(maxsize=64)
def zone_rules(zone: str) -> str:
    """A digest of the zone's compiled rules where ``zoneinfo`` finds them (a TZif file on
    the TZPATH, else the tzdata package): a tzdata update that moves a zone's rules writes
    its VTIMEZONE again instead of reusing a stored one."""
    for root in zoneinfo.TZPATH:
        path = Path(root, zone)
        if path.is_file():
            return hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    *package, name = f"tzdata.zoneinfo.{zone.replace('/', '.')}".split(".")
    try:
        data = resources.files(".".join(package)).joinpath(name).read_bytes()
    except (ModuleNotFoundError, FileNotFoundError):
        return "unknown"
    return hashlib.sha256(data).hexdigest()[:16]


Spans = dict[str, tuple[int, int]]


def widen(spans: Spans, zone: str, start: datetime, end: datetime | None) -> None:
    """Let the zone's VTIMEZONE cover start to end (whole years, a day's margin either side:
    the local date may be a day off the UTC one)."""
    if tzid(zone) is None:
        return
    years = ((start - _DAY).year, ((end or start) + _DAY).year)
    low, high = spans.get(zone, years)
    spans[zone] = (min(low, years[0]), max(high, years[1]))


def spans_of(items: list[Item]) -> Spans:
    spans: Spans = {}
    for item in items:
        widen(spans, item.zone, item.start, item.end)
    return spans


def timezones(spans: Spans) -> bytes:
    """One VTIMEZONE per TZID used (UTC needs none), sorted by TZID."""
    return b"".join(vtimezone(zone, *spans[zone]) for zone in sorted(spans))


def block(items: list[Item], reminder: str = "none") -> bytes:
    """Items' VEVENTs in a fixed order (start, then UID): the order is part of the bytes,
    and the bytes must not depend on how the rows came."""
    ordered = sorted(items, key=lambda item: (item.start, item.uid))
    return b"".join([render(item, reminder) for item in ordered])


def assemble(meta: FeedMeta, zones: bytes, blocks: list[bytes]) -> bytes:
    """The feed from its parts: ``zones`` as ``timezones`` writes them, then the items."""
    return b"".join([_head(meta), zones, *blocks, b"END:VCALENDAR\r\n"])


def calendar(meta: FeedMeta, items: list[Item], reminder: str = "none") -> bytes:
    """A whole feed of these items."""
    return assemble(meta, timezones(spans_of(items)), [block(items, reminder)])
