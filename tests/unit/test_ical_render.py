"""The fast item writer gives icalendar's own bytes, and the calendar's frame is right."""

from datetime import UTC, datetime, timedelta

import icalendar
from hypothesis import given, settings
from hypothesis import strategies as st
from ical.calendar_stream import IcsCalendarStream

from eventhub.calendar.ics import FeedMeta, Item, calendar, component, render

ZONES = ["America/New_York", "America/Los_Angeles", "Europe/Berlin", "Asia/Kolkata", "UTC"]
# Escapes, line ends, quotes, two-byte and four-byte characters; long runs to cross the
# 75-octet fold anywhere. (A bare CR is not text a form can send: forms normalize to LF.)
TRICKY = st.lists(
    st.sampled_from(list("ab ,;:\\\n\"'é🎉😀\t") + ["x" * 10, "é" * 7]), max_size=40
).map("".join)
WHEN = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC)
)


def _item(**fields) -> Item:
    base = dict(
        uid="session-7@localhost",
        summary="Keynote",
        start=datetime(2026, 11, 2, 17, tzinfo=UTC),
        end=datetime(2026, 11, 2, 18, tzinfo=UTC),
        zone="America/Los_Angeles",
        modified=datetime(2026, 3, 1, 12, tzinfo=UTC),
        sequence=3,
    )
    return Item(**{**base, **fields})


@settings(max_examples=150, deadline=None)
@given(
    summary=TRICKY,
    description=TRICKY,
    location=TRICKY,
    start=WHEN,
    minutes=st.one_of(st.none(), st.integers(1, 60 * 24 * 3)),
    zone=st.sampled_from(ZONES),
    status=st.sampled_from(["CONFIRMED", "TENTATIVE", "CANCELLED"]),
    sequence=st.integers(0, 10_000),
    reminder=st.sampled_from(["none", "1h", "1d"]),
    transparent=st.booleans(),
)
def test_fast_writer_gives_the_components_bytes(
    summary, description, location, start, minutes, zone, status, sequence, reminder, transparent
):
    item = _item(
        summary=summary,
        description=description,
        location=location,
        start=start,
        end=None if minutes is None else start + timedelta(minutes=minutes),
        zone=zone,
        status=status,
        sequence=sequence,
        transparent=transparent,
        url="https://example.org/events/x?a=1&b=2",
    )

    assert render(item, reminder) == component(item, reminder).to_ical(sorted=False)


def test_long_text_with_every_troublesome_character_reads_back_unchanged():
    summary = ("Data, maps; and\nmore 🎉 \\ " * 40)[:500]
    item = _item(summary=summary, description=summary, location=summary)
    body = calendar(FeedMeta("Feed", "", ""), [item])

    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    event = icalendar.Calendar.from_ical(body).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == str(event["DESCRIPTION"]) == summary
    strict = IcsCalendarStream.calendar_from_ics(body.decode()).events[0]
    assert strict.summary == strict.description == strict.location == summary


def test_calendar_frame_has_names_refresh_and_no_method():
    meta = FeedMeta("Jam; with, friends\nand more", "All; of, it", "https://example.org/c")

    body = calendar(meta, [])

    lines = body.decode().split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR"
    assert "NAME:Jam\\; with\\, friends\\nand more" in lines
    assert "X-WR-CALNAME:Jam\\; with\\, friends\\nand more" in lines
    assert "DESCRIPTION:All\\; of\\, it" in lines
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in lines
    assert "X-PUBLISHED-TTL:PT1H" in lines
    assert "URL;VALUE=URI:https://example.org/c" in lines
    assert not any(line.startswith("METHOD") for line in lines)


def test_one_vtimezone_per_zone_in_sorted_order_before_the_items():
    items = [
        _item(uid=f"session-{n}@localhost", zone=zone)
        for n, zone in enumerate(["Europe/Berlin", "America/New_York", "Europe/Berlin"])
    ]

    body = calendar(FeedMeta("Feed", "", ""), items)

    zones = [line for line in body.split(b"\r\n") if line.startswith(b"TZID:")]
    assert zones == [b"TZID:America/New_York", b"TZID:Europe/Berlin"]
    assert body.index(b"END:VTIMEZONE") < body.index(b"BEGIN:VEVENT")


def test_items_are_ordered_by_start_then_uid_whatever_order_they_came_in():
    early = _item(uid="b@localhost", start=datetime(2026, 5, 1, tzinfo=UTC), end=None)
    tie = _item(uid="a@localhost", start=datetime(2026, 5, 1, tzinfo=UTC), end=None)
    late = _item(uid="c@localhost")

    one = calendar(FeedMeta("Feed", "", ""), [late, early, tie])
    two = calendar(FeedMeta("Feed", "", ""), [tie, late, early])

    assert one == two
    assert one.index(b"UID:a@") < one.index(b"UID:b@") < one.index(b"UID:c@")


def test_dtstamp_is_the_datas_last_change_not_now():
    item = _item(modified=datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC))

    body = render(item)

    assert b"\r\nDTSTAMP:20250102T030405Z\r\n" in body
    assert b"\r\nLAST-MODIFIED:20250102T030405Z\r\n" in body


def test_a_cancelled_item_gets_no_reminder():
    assert b"VALARM" not in render(_item(status="CANCELLED"), "1h")
    assert b"TRIGGER:-PT1H" in render(_item(), "1h")
