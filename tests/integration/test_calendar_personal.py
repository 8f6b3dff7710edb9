"""A person's own feed: made from the account page, what it holds, reminders, revocation."""

import hashlib
import re
from datetime import timedelta

from eventhub.calendar.models import CalendarToken
from eventhub.demoday.models import DemoSlot
from eventhub.events.models import Registration
from eventhub.events.registration import cancel
from eventhub.extensions import db
from eventhub.judging.settings import save_settings
from eventhub.submissions.organize import grant_extension
from tests.factories import (
    make_calendar_feed,
    make_demo_day,
    make_event,
    make_judge,
    make_organizer,
    make_session,
    make_submission,
    make_team,
    make_user,
    register,
)
from tests.integration.calendar_support import by_uid, parse_everywhere
from tests.integration.pages import without_csrf

FEED_URL = re.compile(r"http://localhost/calendar/([A-Za-z0-9_-]{43})\.ics")


def _make_feed(client, login_as, person, reminder="none") -> str:
    login_as(person)
    page = client.post("/account/calendar-feed", data={"reminder": reminder})
    assert page.status_code == 200
    return FEED_URL.search(page.text).group(1)


def test_account_page_makes_a_feed_and_shows_its_address_only_once(client, login_as):
    person = make_user()

    token = _make_feed(client, login_as, person)

    stored = db.session.scalar(db.select(CalendarToken).filter_by(user_id=person.id))
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in repr([getattr(stored, c.key) for c in CalendarToken.__table__.c])
    account = client.get("/account")
    assert token not in account.text
    assert "Turn off my calendar feed" in account.text
    assert client.get(f"/calendar/{token}.ics").status_code == 200


def test_created_page_offers_webcal_google_and_the_address(client, login_as):
    login_as(make_user())

    page = client.post("/account/calendar-feed", data={"reminder": "none"})

    token = FEED_URL.search(page.text).group(1)
    assert f'href="webcal://localhost/calendar/{token}.ics"' in page.text
    google = (
        "https://calendar.google.com/calendar/render?cid=webcal%3A%2F%2Flocalhost%2Fcalendar%2F"
    )
    assert f'href="{google}{token}.ics"' in page.text
    assert f'value="http://localhost/calendar/{token}.ics"' in page.text
    assert page.headers["Cache-Control"] == "no-store"


def _scene(clock):
    """Pat: confirmed in A (with a team, a project and an extension), waitlisted in B,
    cancelled in C, nothing to do with D. Jo judges A. Another team in A demos too."""
    organizer = make_organizer()
    start = clock() + timedelta(days=7)
    a = make_event(
        organizer=organizer,
        title="Open Budget Datajam",
        start=start,
        hours=30,
        online_url="https://meet.example.org/budget",
        team_formation_closes_at=start + timedelta(hours=4),
        submission_deadline=start + timedelta(hours=20),
    )
    b = make_event(capacity=1, title="Transit Sprint")
    c, d = make_event(title="Cancelled by Pat"), make_event(title="Not Pat's")
    pat, other = make_user(name="Pat"), make_user()
    register(a, pat)
    register(b, other)
    register(b, pat)  # waitlisted: the place went to `other`
    cancel(register(c, pat), actor=pat)
    db.session.commit()
    register(a, other)
    welcome = make_session(a, title="Welcome")
    make_session(d, title="Elsewhere")
    ours, theirs = make_team(a, pat, name="Pat's team"), make_team(a, other, name="Others")
    make_submission(ours, title="Budget Explorer", state="submitted", submitted_at=clock())
    make_submission(theirs, title="Spend Map", state="submitted", submitted_at=clock())
    grant_extension(ours, {"until": start + timedelta(hours=22)}, actor=organizer)
    save_settings(
        a,
        {
            "judges_per_entry": 3,
            "pairwise": False,
            "finalists": 10,
            "opens_at": start + timedelta(hours=23),
            "closes_at": start + timedelta(hours=28),
            "voting_opens_at": None,
            "voting_closes_at": None,
        },
        actor=organizer,
    )
    make_demo_day(a, starts_at=start + timedelta(hours=24))
    jo = make_judge(a, make_user(name="Jo"))
    slots = {
        s.title: s.id
        for s in db.session.scalars(db.select(DemoSlot).filter_by(kind="presentation"))
    }
    return {"a": a, "b": b, "c": c, "d": d, "pat": pat, "jo": jo, "welcome": welcome,
            "slots": slots, "start": start}  # fmt: skip


def test_feed_holds_registered_events_sessions_team_deadlines_and_own_slot(client, clock):
    s = _scene(clock)
    token = make_calendar_feed(s["pat"])

    body = client.get(f"/calendar/{token}.ics").data

    seen = parse_everywhere(body)
    a, b = s["a"].id, s["b"].id
    assert set(seen) == {
        f"event-{a}@localhost",
        f"session-{s['welcome'].id}@localhost",
        f"deadline-teams-{a}@localhost",
        f"deadline-submissions-{a}@localhost",
        f"demo-slot-{s['slots']['Budget Explorer']}@localhost",
        f"event-{b}@localhost",
    }
    # The team's extension moves its own deadline.
    assert seen[f"deadline-submissions-{a}@localhost"].start == s["start"] + timedelta(hours=22)
    assert seen[f"event-{b}@localhost"].summary == "Transit Sprint (waitlisted)"
    assert seen[f"event-{b}@localhost"].status == "TENTATIVE"
    assert seen[f"event-{a}@localhost"].status == "CONFIRMED"
    items = by_uid(body)
    assert "Join online: https://meet.example.org/budget" in str(
        items[f"event-{a}@localhost"]["DESCRIPTION"]
    )
    assert b"NAME:My EventHub calendar\r\n" in body


def test_public_feeds_never_carry_the_online_link(client, clock):
    s = _scene(clock)

    for path in ("/calendar.ics", f"/events/{s['a'].slug}/calendar.ics"):
        assert b"meet.example.org" not in client.get(path).data


def test_judge_feed_holds_the_judging_window_and_every_demo_slot(client, clock):
    s = _scene(clock)
    token = make_calendar_feed(s["jo"])

    seen = parse_everywhere(client.get(f"/calendar/{token}.ics").data)

    a = s["a"].id
    assert set(seen) == {
        f"event-{a}@localhost",
        f"judging-{a}@localhost",
        *(f"demo-slot-{slot}@localhost" for slot in s["slots"].values()),
    }
    assert seen[f"judging-{a}@localhost"].start == s["start"] + timedelta(hours=23)


def test_promotion_from_the_waitlist_raises_sequence(client, clock):
    s = _scene(clock)
    token = make_calendar_feed(s["pat"])
    uid = f"event-{s['b'].id}@localhost"
    before = parse_everywhere(client.get(f"/calendar/{token}.ics").data)[uid]
    holder = db.session.scalar(
        db.select(Registration).filter_by(event_id=s["b"].id, status="confirmed")
    )
    clock.advance(minutes=1)
    cancel(holder, actor=holder.user)
    db.session.commit()

    body = client.get(f"/calendar/{token}.ics").data
    after = parse_everywhere(body)[uid]
    assert after.status == "CONFIRMED" and after.summary == "Transit Sprint"
    assert after.sequence > before.sequence
    assert by_uid(body)[uid]["LAST-MODIFIED"].dt == clock().replace(microsecond=0)


def test_reminders_follow_the_persons_choice(client, login_as, clock):
    person = make_user()
    event = make_event(title="Open Data Day")
    register(event, person)
    token = _make_feed(client, login_as, person)
    path = f"/calendar/{token}.ics"
    assert b"BEGIN:VALARM" not in client.get(path).data
    etag = client.get(path).headers["ETag"]

    for choice, trigger in (("1h", b"TRIGGER:-PT1H"), ("1d", b"TRIGGER:-P1D")):
        clock.advance(minutes=1)
        client.post("/account/calendar-feed/reminders", data={"reminder": choice})
        response = client.get(path, headers={"If-None-Match": etag})

        assert response.status_code == 200
        alarm = by_uid(response.data)[f"event-{event.id}@localhost"].walk("VALARM")[0]
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert trigger in alarm.to_ical()
        parse_everywhere(response.data)
        etag = response.headers["ETag"]


def test_a_reminder_that_is_not_offered_is_refused_and_nothing_changes(client, login_as):
    person = make_user()
    _make_feed(client, login_as, person, reminder="1h")

    page = client.post(
        "/account/calendar-feed/reminders", data={"reminder": "5m"}, follow_redirects=True
    )

    assert "Not a valid choice" in page.text
    db.session.rollback()
    assert db.session.scalar(db.select(CalendarToken.reminder)) == "1h"


def test_new_address_makes_the_old_one_a_404(client, login_as):
    person = make_user()
    old = _make_feed(client, login_as, person)

    new = _make_feed(client, login_as, person)

    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/calendar/{new}.ics").status_code == 200
    assert db.session.scalar(db.select(db.func.count()).select_from(CalendarToken)) == 1


def test_revoked_token_is_the_same_404_as_one_that_never_existed(client, login_as):
    person = make_user()
    token = _make_feed(client, login_as, person)

    page = client.post("/account/calendar-feed/revoke", follow_redirects=True)

    assert "Your calendar feed is turned off" in page.text
    revoked = client.get(f"/calendar/{token}.ics")
    unknown = client.get(f"/calendar/{'x' * 43}.ics")
    assert revoked.status_code == unknown.status_code == 404
    assert without_csrf(revoked.text) == without_csrf(unknown.text)
    assert "Make my calendar feed" in client.get("/account").text


def test_revoking_without_a_feed_says_there_is_none(client, login_as):
    login_as(make_user())

    page = client.post("/account/calendar-feed/revoke", follow_redirects=True)

    assert "You have no calendar feed" in page.text


def test_feed_with_nothing_in_it_is_an_empty_valid_calendar(client):
    token = make_calendar_feed(make_user(), reminder="1d")

    body = client.get(f"/calendar/{token}.ics").data

    assert parse_everywhere(body) == {}
    assert body.endswith(b"END:VCALENDAR\r\n")


def test_a_new_address_with_a_reminder_not_offered_keeps_the_old_one(client, login_as):
    person = make_user()
    token = _make_feed(client, login_as, person, reminder="1d")

    page = client.post("/account/calendar-feed", data={"reminder": "soon"}, follow_redirects=True)

    assert "Not a valid choice" in page.text
    assert client.get(f"/calendar/{token}.ics").status_code == 200
    db.session.rollback()
    assert db.session.scalar(db.select(CalendarToken.reminder)) == "1d"
