"""What the site and event feeds hold, as four independent parsers read them."""

from datetime import UTC, datetime, timedelta

from eventhub.enums import EventKind, EventStatus
from eventhub.extensions import db
from eventhub.judging.settings import save_settings
from eventhub.results.services import publish_results
from tests.factories import (
    make_demo_day,
    make_entry,
    make_event,
    make_organizer,
    make_session,
)
from tests.integration.calendar_support import by_uid, parse_everywhere

JUDGING = {"judges_per_entry": 3, "pairwise": False, "finalists": 10}


def _uids(body: bytes) -> set[str]:
    return set(parse_everywhere(body))


def test_site_feed_lists_published_events_upcoming_and_from_the_last_90_days(client, clock):
    at = clock()
    soon = make_event(title="Soon")
    recent = make_event(title="Recent", start=at - timedelta(days=30))
    old = make_event(title="Old", start=at - timedelta(days=120))
    draft = make_event(title="Draft", status=EventStatus.DRAFT.value)
    called_off = make_event(title="Called off", status=EventStatus.CANCELLED.value)
    long_gone = make_event(
        title="Called off long ago",
        start=at - timedelta(days=10),
        status=EventStatus.CANCELLED.value,
    )

    response = client.get("/calendar.ics")

    seen = parse_everywhere(response.data)
    assert set(seen) == {f"event-{e.id}@localhost" for e in (soon, recent, called_off)}
    assert seen[f"event-{called_off.id}@localhost"].status == "CANCELLED"
    assert seen[f"event-{soon.id}@localhost"].status == "CONFIRMED"
    assert not {f"event-{e.id}@localhost" for e in (old, draft, long_gone)} & set(seen)


def test_site_feed_holds_each_event_with_its_sessions(client):
    event = make_event(
        title="Open Transit Datajam", venue_name="City Hall", venue_address="1 Main St"
    )
    keynote = make_session(event, title="Keynote", location="Room 2")
    lunch = make_session(event, title="Lunch", offset_hours=3)

    body = client.get("/calendar.ics").data

    items = by_uid(body)
    assert str(items[f"session-{keynote.id}@localhost"]["LOCATION"]) == "Room 2"
    assert str(items[f"session-{lunch.id}@localhost"]["LOCATION"]) == "City Hall, 1 Main St"
    assert "Part of Open Transit Datajam." in str(
        items[f"session-{lunch.id}@localhost"]["DESCRIPTION"]
    )
    assert len(parse_everywhere(body)) == 3


def test_site_feed_kind_filter_gives_only_the_chosen_kinds(client):
    jam = make_event(kind=EventKind.DATAJAM.value)
    hack = make_event(kind=EventKind.HACKATHON.value)
    sprint = make_event(kind=EventKind.TECH_SPRINT.value)

    one = _uids(client.get("/calendar.ics?kind=hackathon").data)
    two = _uids(client.get("/calendar.ics?kind=hackathon&kind=tech-sprint").data)
    comma = client.get("/calendar.ics?kind=tech-sprint,hackathon").data

    assert one == {f"event-{hack.id}@localhost"}
    assert two == {f"event-{hack.id}@localhost", f"event-{sprint.id}@localhost"}
    assert _uids(comma) == two
    assert f"event-{jam.id}@localhost" not in two


def test_site_feed_name_says_which_kinds(client):
    make_event(kind=EventKind.HACKATHON.value)

    body = client.get("/calendar.ics?kind=hackathon,demo-day").data

    assert b"NAME:EventHub events: Demo day\\, Hackathon\r\n" in body
    assert b"X-WR-CALNAME:EventHub events: Demo day\\, Hackathon\r\n" in body


def test_unknown_kind_is_a_400_naming_the_allowed_kinds(client):
    response = client.get("/calendar.ics?kind=hackathon,picnic")

    assert response.status_code == 400
    assert "picnic" in response.text
    for kind in EventKind:
        assert kind.value in response.text
    assert client.get("/calendar?kind=picnic").status_code == 400


def test_event_feed_has_every_deadline_and_demo_slot_as_its_own_item(client, clock):
    organizer = make_organizer()
    start = clock() + timedelta(days=7)
    event = make_event(
        organizer=organizer,
        title="Health Data Sprint",
        start=start,
        hours=30,
        registration_closes_at=start - timedelta(days=1),
        team_formation_closes_at=start + timedelta(hours=4),
        submission_deadline=start + timedelta(hours=20),
    )
    session = make_session(event, title="Kick-off")
    entry = make_entry(event, title="Clinic Finder")
    save_settings(
        event,
        {
            **JUDGING,
            "opens_at": start + timedelta(hours=21),
            "closes_at": start + timedelta(hours=26),
            "voting_opens_at": start + timedelta(hours=22),
            "voting_closes_at": start + timedelta(hours=24),
        },
        actor=organizer,
    )
    make_demo_day(event, starts_at=start + timedelta(hours=22))
    clock.set(start + timedelta(hours=27))
    publish_results(event, actor=organizer)
    db.session.commit()
    from eventhub.demoday.models import DemoSlot

    slot = db.session.scalar(db.select(DemoSlot).where(DemoSlot.submission_id == entry.id))

    seen = parse_everywhere(client.get(f"/events/{event.slug}/calendar.ics").data)

    n = event.id
    assert set(seen) == {
        f"event-{n}@localhost",
        f"session-{session.id}@localhost",
        f"deadline-registration-{n}@localhost",
        f"deadline-teams-{n}@localhost",
        f"deadline-submissions-{n}@localhost",
        f"judging-{n}@localhost",
        f"voting-{n}@localhost",
        f"results-{n}@localhost",
        f"demo-slot-{slot.id}@localhost",
    }
    assert seen[f"deadline-submissions-{n}@localhost"].summary == "Projects due: Health Data Sprint"
    assert seen[f"deadline-submissions-{n}@localhost"].start == start + timedelta(hours=20)
    assert seen[f"demo-slot-{slot.id}@localhost"].summary == "Demo: Clinic Finder"
    assert seen[f"results-{n}@localhost"].start == start + timedelta(hours=27)
    items = by_uid(client.get(f"/events/{event.slug}/calendar.ics").data)
    judging = items[f"judging-{n}@localhost"]
    assert judging.end.astimezone(UTC) == start + timedelta(hours=26)
    assert str(judging["TRANSP"]) == "TRANSPARENT"
    assert "DTEND" not in items[f"deadline-teams-{n}@localhost"]


def test_event_without_judging_or_demo_day_has_only_the_event_and_sessions(client):
    event = make_event()
    session = make_session(event)

    seen = parse_everywhere(client.get(f"/events/{event.slug}/calendar.ics").data)

    assert set(seen) == {f"event-{event.id}@localhost", f"session-{session.id}@localhost"}


def test_editing_a_session_time_raises_sequence_and_keeps_uid(client, login_as, clock):
    organizer = make_organizer()
    event = make_event(organizer=organizer, start=datetime(2026, 3, 9, 14, tzinfo=UTC))
    session = make_session(event, title="Keynote")
    uid = f"session-{session.id}@localhost"
    before = parse_everywhere(client.get(f"/events/{event.slug}/calendar.ics").data)[uid]
    login_as(organizer)
    clock.advance(minutes=5)

    client.post(
        f"/events/{event.slug}/agenda/{session.id}/edit",
        data={
            "title": "Keynote",
            "kind": "talk",
            "starts_at": "2026-03-09T12:00",
            "ends_at": "2026-03-09T13:00",
        },
    )

    after = parse_everywhere(client.get(f"/events/{event.slug}/calendar.ics").data)[uid]
    assert after.start == datetime(2026, 3, 9, 16, tzinfo=UTC)  # 12:00 in New York, EDT
    assert after.sequence == before.sequence + 1


def test_cancelled_session_stays_cancelled_until_it_is_over(client, login_as, clock):
    organizer = make_organizer()
    event = make_event(organizer=organizer, hours=48)
    session = make_session(event, title="Panel", offset_hours=2)
    uid = f"session-{session.id}@localhost"
    login_as(organizer)

    client.post(f"/events/{event.slug}/agenda/{session.id}/cancel")

    seen = parse_everywhere(client.get(f"/events/{event.slug}/calendar.ics").data)
    assert seen[uid].status == "CANCELLED" and seen[uid].sequence == 1
    assert uid in parse_everywhere(client.get("/calendar.ics").data)
    clock.set(session.ends_at + timedelta(minutes=1))
    assert uid not in parse_everywhere(client.get(f"/events/{event.slug}/calendar.ics").data)
    assert f"event-{event.id}@localhost" in parse_everywhere(client.get("/calendar.ics").data)


def test_cancelled_event_keeps_its_items_cancelled_until_it_is_over(client, login_as, clock):
    organizer = make_organizer()
    event = make_event(organizer=organizer, submission_deadline=None)
    session = make_session(event)
    login_as(organizer)

    client.post(f"/events/{event.slug}/cancel")

    seen = parse_everywhere(client.get(f"/events/{event.slug}/calendar.ics").data)
    assert {s.status for s in seen.values()} == {"CANCELLED"}
    assert seen[f"session-{session.id}@localhost"].sequence == 1  # the event's bump
    clock.set(event.ends_at + timedelta(seconds=1))
    assert parse_everywhere(client.get(f"/events/{event.slug}/calendar.ics").data) == {}
    assert parse_everywhere(client.get("/calendar.ics").data) == {}


def test_session_at_nine_in_los_angeles_after_the_november_change_is_1700_utc(client):
    # 2026's change back to standard time is on Sunday 1 November; 09:00 PST = 17:00 UTC.
    event = make_event(
        timezone="America/Los_Angeles", start=datetime(2026, 11, 2, 15, tzinfo=UTC), hours=6
    )
    session = make_session(
        event,
        title="Morning standup",
        starts_at=datetime(2026, 11, 2, 17, tzinfo=UTC),
        ends_at=datetime(2026, 11, 2, 18, tzinfo=UTC),
    )

    body = client.get(f"/events/{event.slug}/calendar.ics").data

    assert b"DTSTART;TZID=America/Los_Angeles:20261102T090000" in body
    assert b"BEGIN:VTIMEZONE\r\nTZID:America/Los_Angeles" in body
    seen = parse_everywhere(body)
    assert seen[f"session-{session.id}@localhost"].start == datetime(2026, 11, 2, 17, tzinfo=UTC)


def test_commas_semicolons_newlines_emoji_and_long_text_survive(client):
    title = ("Data, maps; and\nmore 🎉 " * 20)[:200]
    description = "Bring: laptops, ideas; energy 🚀\nLine two\\with a backslash. " * 10
    event = make_event(title=title, summary="Short; sweet, 🙂", description="ignored")
    session = make_session(event, title=title, description=description, location="Room 1; B, 🏛")

    body = client.get(f"/events/{event.slug}/calendar.ics").data

    assert all(len(line.encode()) <= 75 for line in body.decode().split("\r\n"))
    seen = parse_everywhere(body)
    assert seen[f"session-{session.id}@localhost"].summary == title
    assert seen[f"event-{event.id}@localhost"].summary == title
    item = by_uid(body)[f"session-{session.id}@localhost"]
    assert str(item["DESCRIPTION"]) == f"Part of {title}.\n\n{description}"
    assert str(item["LOCATION"]) == "Room 1; B, 🏛"
    assert str(by_uid(body)[f"event-{event.id}@localhost"]["DESCRIPTION"]) == "Short; sweet, 🙂"


def test_unknown_slugs_and_other_events_sessions_are_404(client):
    event, other = make_event(), make_event()
    foreign = make_session(other)

    assert client.get("/events/no-such-event/calendar.ics").status_code == 404
    assert client.get("/events/no-such-event/event.ics").status_code == 404
    assert client.get(f"/events/{event.slug}/agenda/{foreign.id}.ics").status_code == 404
    assert client.get(f"/events/{event.slug}/agenda/999999.ics").status_code == 404


def test_draft_event_feed_is_404_to_the_public(client):
    draft = make_event(status=EventStatus.DRAFT.value)

    assert client.get(f"/events/{draft.slug}/calendar.ics").status_code == 404
    assert client.get(f"/events/{draft.slug}/event.ics").status_code == 404


def test_single_item_downloads_are_the_feed_items(client):
    event = make_event(title="Open Budget Datajam")
    session = make_session(event, title="Welcome")
    feed = by_uid(client.get(f"/events/{event.slug}/calendar.ics").data)

    whole = client.get(f"/events/{event.slug}/event.ics")
    one = client.get(f"/events/{event.slug}/agenda/{session.id}.ics")

    assert whole.headers["Content-Disposition"] == f'attachment; filename="{event.slug}.ics"'
    assert whole.mimetype == "text/calendar"
    assert set(parse_everywhere(whole.data)) == {f"event-{event.id}@localhost"}
    assert set(parse_everywhere(one.data)) == {f"session-{session.id}@localhost"}
    assert (
        by_uid(one.data)[f"session-{session.id}@localhost"].to_ical()
        == feed[f"session-{session.id}@localhost"].to_ical()
    )
