from datetime import UTC, datetime, timedelta

from eventhub.events.models import AgendaSession, Event, EventRole
from eventhub.extensions import db
from tests.factories import (
    make_event,
    make_organizer,
    make_partner,
    make_session,
    make_user,
    register,
)

EVENT_FORM = {
    "title": "Health Datapalooza 2026",
    "slug": "health-datapalooza-2026",
    "kind": "datapalooza",
    "summary": "Open health data, two days.",
    "description": "Bring **data**.",
    "timezone": "America/Chicago",
    "starts_at": "2026-04-14T09:00",
    "ends_at": "2026-04-15T17:00",
    "venue_name": "Hall A",
    "venue_address": "1 Main St",
    "online_url": "https://example.org/live",
    "capacity": "100",
}


def _count(model):
    return db.session.scalar(db.select(db.func.count(model.id)))


def test_organizer_creates_draft_and_becomes_its_organizer(client, login_as):
    organizer = make_organizer()
    login_as(organizer)
    response = client.post("/events/new", data=EVENT_FORM)
    assert response.headers["Location"] == "/events/health-datapalooza-2026"
    event = db.session.scalar(db.select(Event))
    assert event.status == "draft"
    assert event.starts_at.isoformat() == "2026-04-14T14:00:00+00:00"  # 09:00 CDT
    role = db.session.scalar(db.select(EventRole))
    assert (role.user_id, role.role) == (organizer.id, "organizer")


def test_event_page_shows_times_in_event_zone_with_zone_named(client):
    event = make_event(timezone="America/Chicago", start=datetime(2026, 3, 5, 16, 0, tzinfo=UTC))
    page = client.get(f"/events/{event.slug}").text
    assert "Thu, Mar 5, 2026, 10:00 AM CST to 6:00 PM CST" in page
    assert "All times are shown in America/Chicago." in page


def test_published_event_listed_as_upcoming_then_past(client, clock):
    event = make_event(title="Census Tech Sprint", kind="tech-sprint")
    upcoming = client.get("/events").text
    assert upcoming.index("Census Tech Sprint") < upcoming.index("<h2>Past</h2>")
    clock.set(event.ends_at + timedelta(minutes=1))
    past = client.get("/events").text
    assert past.index("Census Tech Sprint") > past.index("<h2>Past</h2>")


def test_kind_filter_lists_only_that_kind(client):
    make_event(title="Sprint A", kind="tech-sprint")
    make_event(title="Jam B", kind="datajam")
    page = client.get("/events?kind=datajam").text
    assert "Jam B" in page and "Sprint A" not in page


def test_unknown_kind_is_400_naming_allowed_kinds(client):
    response = client.get("/events?kind=party")
    assert response.status_code == 400
    assert "datapalooza" in response.text and "listening-session" in response.text


def test_online_link_shown_only_to_confirmed_registrants(client, login_as):
    event = make_event(online_url="https://example.org/secret-room", capacity=1)
    assert "secret-room" not in client.get(f"/events/{event.slug}").text
    confirmed, waitlisted = make_user(), make_user()
    register(event, confirmed)
    register(event, waitlisted)
    login_as(waitlisted)
    assert "secret-room" not in client.get(f"/events/{event.slug}").text
    login_as(confirmed)
    assert "secret-room" in client.get(f"/events/{event.slug}").text


def test_publish_makes_draft_public(client, login_as):
    organizer = make_organizer()
    event = make_event(organizer=organizer, status="draft")
    assert client.get(f"/events/{event.slug}").status_code == 404
    login_as(organizer)
    client.post(f"/events/{event.slug}/publish")
    client.post("/logout")
    assert client.get(f"/events/{event.slug}").status_code == 200


def test_cancelled_event_stays_visible_marked_cancelled(client, login_as):
    organizer = make_organizer()
    event = make_event(organizer=organizer)
    login_as(organizer)
    client.post(f"/events/{event.slug}/cancel")
    page = client.get(f"/events/{event.slug}").text
    assert "This event is cancelled." in page
    assert db.session.get(Event, event.id).sequence == 1


def test_visible_edit_bumps_sequence_but_description_edit_does_not(client, login_as):
    organizer = make_organizer()
    event = make_event(
        organizer=organizer, slug="sprint", timezone="America/Chicago", title="Sprint"
    )
    login_as(organizer)
    form = {
        **EVENT_FORM,
        "slug": "sprint",
        "title": "Sprint",
        "starts_at": "2026-03-09T09:00",
        "ends_at": "2026-03-09T17:00",
    }
    client.post(f"/events/{event.slug}/edit", data=form)
    first = db.session.get(Event, event.id).sequence
    # The long description is on the event page only; the summary is in calendar feeds.
    client.post(f"/events/{event.slug}/edit", data={**form, "description": "Reworded."})
    assert db.session.get(Event, event.id).sequence == first
    client.post(f"/events/{event.slug}/edit", data={**form, "title": "Sprint (moved)"})
    assert db.session.get(Event, event.id).sequence == first + 1


def test_co_organizer_added_by_email_can_manage(client, login_as):
    organizer, colleague = make_organizer(), make_user(email="colleague@example.org")
    event = make_event(organizer=organizer)
    login_as(organizer)
    response = client.post(
        f"/events/{event.slug}/organizers",
        data={"email": "Colleague@Example.org"},
        follow_redirects=True,
    )
    assert f"{colleague.name} is now an organizer" in response.text
    login_as(colleague)
    assert client.get(f"/events/{event.slug}/roster").status_code == 200


def test_co_organizer_email_without_account_is_explained(client, login_as):
    organizer = make_organizer()
    event = make_event(organizer=organizer)
    login_as(organizer)
    response = client.post(f"/events/{event.slug}/organizers", data={"email": "nobody@example.org"})
    assert "No account uses that email" in response.text
    assert _count(EventRole) == 1


def test_last_organizer_cannot_be_removed(client, login_as):
    organizer = make_organizer()
    event = make_event(organizer=organizer)
    login_as(organizer)
    response = client.post(
        f"/events/{event.slug}/organizers/{organizer.id}/remove", follow_redirects=True
    )
    assert "at least one organizer" in response.text
    assert _count(EventRole) == 1


def test_partners_are_added_and_shown_on_event_page(client, login_as):
    organizer = make_organizer()
    event = make_event(organizer=organizer)
    login_as(organizer)
    client.post(
        f"/events/{event.slug}/partners",
        data={
            "name": "Centers for Medicare & Medicaid Services",
            "url": "https://www.cms.gov/",
            "logo_url": "",
        },
    )
    page = client.get(f"/events/{event.slug}").text
    assert '<a href="https://www.cms.gov/">Centers for Medicare &amp; Medicaid Services</a>' in page


def test_partner_of_another_event_is_404(client, login_as):
    organizer = make_organizer()
    event, other = make_event(organizer=organizer), make_event()
    partner = make_partner(other)
    login_as(organizer)
    assert client.post(f"/events/{event.slug}/partners/{partner.id}/remove").status_code == 404


def test_agenda_groups_sessions_by_day_in_event_zone(client):
    # 23:30 UTC on the first day is still the same evening in New York but not in UTC.
    event = make_event(timezone="America/New_York", hours=40)
    late = make_session(event, offset_hours=8, title="Evening mixer")  # local evening, day 1
    next_day = make_session(event, offset_hours=25, title="Demo day")
    page = client.get(f"/events/{event.slug}/agenda").text
    from eventhub.timefmt import format_date

    day1 = format_date(late.starts_at, "America/New_York")
    day2 = format_date(next_day.starts_at, "America/New_York")
    assert day1 != day2
    assert (
        page.index(day1) < page.index("Evening mixer") < page.index(day2) < page.index("Demo day")
    )


def test_parallel_sessions_are_allowed(client, login_as):
    organizer = make_organizer()
    event = make_event(organizer=organizer, timezone="UTC")
    login_as(organizer)
    start = event.starts_at.strftime("%Y-%m-%dT%H:%M")
    end = (event.starts_at + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    for title in ("Workshop A", "Workshop B"):
        response = client.post(
            f"/events/{event.slug}/agenda/new",
            data={"title": title, "kind": "workshop", "starts_at": start, "ends_at": end},
        )
        assert response.status_code == 302
    assert _count(AgendaSession) == 2


def test_cancelled_session_stays_on_agenda_marked_cancelled(client, login_as):
    organizer = make_organizer()
    event = make_event(organizer=organizer)
    session = make_session(event, title="Keynote")
    login_as(organizer)
    client.post(f"/events/{event.slug}/agenda/{session.id}/cancel")
    page = client.get(f"/events/{event.slug}/agenda").text
    assert "Keynote" in page and "Cancelled" in page
    assert db.session.get(AgendaSession, session.id).sequence == 1


def test_session_edit_without_time_fields_keeps_its_times(client, login_as):
    organizer = make_organizer()
    event = make_event(organizer=organizer, timezone="America/New_York")
    session = make_session(event, title="Keynote")
    before = (session.starts_at, session.ends_at)
    login_as(organizer)
    client.post(
        f"/events/{event.slug}/agenda/{session.id}/edit",
        data={"title": "Opening keynote", "kind": "talk"},
    )
    saved = db.session.get(AgendaSession, session.id)
    assert saved.title == "Opening keynote"
    assert (saved.starts_at, saved.ends_at) == before
