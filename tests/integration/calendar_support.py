"""Reading feeds back with four independent parsers, and agreeing on what they say.

icalendar (our own library, as a round trip), recurring-ical-events (what many sync tools
use on top of it), vobject (its own parser and VTIMEZONE interpretation, plus validate())
and the strict ``ical`` package (pydantic models; refuses what RFC 5545 does not allow).
Each gives, per VEVENT: UID, summary, start in UTC, status, sequence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import icalendar
import recurring_ical_events
import vobject
from ical.calendar_stream import IcsCalendarStream


@dataclass(frozen=True)
class Seen:
    uid: str
    summary: str
    start: datetime
    status: str
    sequence: int


def _utc(value) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return datetime(value.year, value.month, value.day, tzinfo=UTC)


def with_icalendar(body: bytes) -> dict[str, Seen]:
    calendar = icalendar.Calendar.from_ical(body)
    again = icalendar.Calendar.from_ical(calendar.to_ical())
    assert again == calendar, "icalendar does not read back what it wrote"
    return {
        str(e["UID"]): Seen(
            str(e["UID"]),
            str(e["SUMMARY"]),
            _utc(e.start),
            str(e.get("STATUS", "")),
            int(e.get("SEQUENCE", 0)),
        )
        for e in calendar.walk("VEVENT")
    }


def with_recurring(body: bytes) -> dict[str, Seen]:
    calendar = icalendar.Calendar.from_ical(body)
    found = recurring_ical_events.of(calendar).between(date(2000, 1, 1), date(2100, 1, 1))
    return {
        str(e["UID"]): Seen(
            str(e["UID"]),
            str(e["SUMMARY"]),
            _utc(e["DTSTART"].dt),
            str(e.get("STATUS", "")),
            int(e.get("SEQUENCE", 0)),
        )
        for e in found
    }


def with_vobject(body: bytes) -> dict[str, Seen]:
    calendar = vobject.readOne(body.decode())
    calendar.validate(raiseException=True)
    found = {}
    for e in calendar.contents.get("vevent", []):
        status = e.contents["status"][0].value if "status" in e.contents else ""
        sequence = int(e.contents["sequence"][0].value) if "sequence" in e.contents else 0
        uid = e.uid.value
        found[uid] = Seen(uid, e.summary.value, _utc(e.dtstart.value), status, sequence)
    return found


def with_ical(body: bytes) -> dict[str, Seen]:
    calendar = IcsCalendarStream.calendar_from_ics(body.decode())
    return {
        e.uid: Seen(
            e.uid,
            e.summary,
            _utc(e.dtstart),
            e.status.value if e.status else "",
            e.sequence or 0,
        )
        for e in calendar.events
    }


PARSERS = {
    "icalendar": with_icalendar,
    "recurring-ical-events": with_recurring,
    "vobject": with_vobject,
    "ical": with_ical,
}


def parse_everywhere(body: bytes) -> dict[str, Seen]:
    """The feed's events as every parser sees them; fails unless all four agree."""
    seen = {name: parse(body) for name, parse in PARSERS.items()}
    reference = seen["icalendar"]
    for name, found in seen.items():
        assert found == reference, f"{name} reads the feed differently:\n{found}\n{reference}"
    return reference


def events(body: bytes) -> list[icalendar.Event]:
    return icalendar.Calendar.from_ical(body).walk("VEVENT")


def by_uid(body: bytes) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in events(body)}


EVENT_FORM_FIELDS = (
    "title",
    "slug",
    "kind",
    "summary",
    "description",
    "venue_name",
    "venue_address",
    "online_url",
    "timezone",
    "capacity",
    "team_min_size",
    "team_max_size",
    "starts_at",
    "ends_at",
    "registration_opens_at",
    "registration_closes_at",
    "team_formation_closes_at",
    "submission_deadline",
)


def event_form_data(event) -> dict:
    """What the event's edit form holds, for ``events.services.update_event``."""
    return {name: getattr(event, name) for name in EVENT_FORM_FIELDS}
