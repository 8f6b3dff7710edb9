from datetime import timedelta

from eventhub.events.models import Event, Registration
from eventhub.extensions import db
from tests.factories import make_event, make_organizer, make_user, register


def _status(reg_id):
    return db.session.get(Registration, reg_id).status


def test_register_confirms_while_places_remain(client, login_as):
    event = make_event(capacity=2)
    login_as(make_user())
    response = client.post(f"/events/{event.slug}/register", follow_redirects=True)
    assert "You are registered" in response.text
    assert db.session.get(Event, event.id).seats_taken == 1


def test_full_event_waitlists_with_visible_position(client, login_as):
    event = make_event(capacity=1)
    register(event, make_user())
    register(event, make_user())
    login_as(make_user())
    response = client.post(f"/events/{event.slug}/register", follow_redirects=True)
    assert "number 2 on the waitlist" in response.text
    page = client.get(f"/events/{event.slug}")
    assert "You are number 2 on the waitlist" in page.text


def test_cancellation_promotes_first_waitlisted_and_emails_them(client, login_as, mail):
    event = make_event(capacity=1, title="Open Health Datajam")
    first = make_user()
    register(event, first)
    second, third = make_user(email="second@example.org"), make_user()
    reg2 = register(event, second)
    reg3 = register(event, third)
    login_as(first)
    client.post(f"/events/{event.slug}/registration/cancel")
    assert _status(reg2.id) == "confirmed"
    assert _status(reg3.id) == "waitlisted"
    message = mail.wait_for(lambda m: m["To"] == "second@example.org")
    assert message["Subject"] == "You have a place at Open Health Datajam"
    assert f"/events/{event.slug}" in message.get_content()


def test_registration_outside_window_names_window_in_event_zone(client, login_as, clock):
    event = make_event(
        timezone="America/Los_Angeles", registration_opens_at=clock() + timedelta(days=1)
    )
    login_as(make_user())
    response = client.post(f"/events/{event.slug}/register", follow_redirects=True)
    assert "Registration is open from" in response.text
    assert "(America/Los_Angeles)" in response.text
    assert "PST" in response.text
    assert db.session.scalar(db.select(db.func.count(Registration.id))) == 0


def test_register_twice_is_refused_without_a_second_row(client, login_as):
    event = make_event(capacity=5)
    login_as(make_user())
    client.post(f"/events/{event.slug}/register")
    response = client.post(f"/events/{event.slug}/register", follow_redirects=True)
    assert "already registered" in response.text
    assert db.session.scalar(db.select(db.func.count(Registration.id))) == 1
    assert db.session.get(Event, event.id).seats_taken == 1


def test_cancel_then_register_again_joins_the_back_of_the_queue(client, login_as, clock):
    event = make_event(capacity=1)
    holder, waiting, returning = make_user(), make_user(), make_user()
    register(event, holder)
    register(event, returning)  # waitlisted 1st
    clock.advance(minutes=1)
    register(event, waiting)  # waitlisted 2nd
    clock.advance(minutes=1)
    login_as(returning)
    client.post(f"/events/{event.slug}/registration/cancel")
    response = client.post(f"/events/{event.slug}/register", follow_redirects=True)
    assert "number 2 on the waitlist" in response.text


def test_raising_capacity_promotes_waitlist(client, login_as, mail):
    organizer = make_organizer()
    event = make_event(capacity=1, organizer=organizer)
    register(event, make_user())
    waiting = register(event, make_user(email="waiting@example.org"))
    login_as(organizer)
    form = {
        "title": event.title,
        "slug": event.slug,
        "kind": event.kind,
        "timezone": event.timezone,
        "capacity": "2",
        "starts_at": "2026-03-09T10:00",
        "ends_at": "2026-03-09T18:00",
    }
    response = client.post(f"/events/{event.slug}/edit", data=form)
    assert response.status_code == 302
    assert _status(waiting.id) == "confirmed"
    mail.wait_for(lambda m: m["To"] == "waiting@example.org")


def test_organizer_checks_in_confirmed_person(client, login_as):
    organizer = make_organizer()
    event = make_event(capacity=5, organizer=organizer)
    reg = register(event, make_user(name="Grace Hopper"))
    login_as(organizer)
    response = client.post(f"/events/{event.slug}/checkin/{reg.id}", follow_redirects=True)
    assert "Grace Hopper is checked in." in response.text
    assert db.session.get(Registration, reg.id).checked_in_at is not None


def test_roster_csv_lists_each_status(client, login_as):
    organizer = make_organizer()
    event = make_event(capacity=1, organizer=organizer)
    register(event, make_user(name="Ada Lovelace"))
    register(event, make_user(name="=HYPERLINK(evil)"))
    login_as(organizer)
    response = client.get(f"/events/{event.slug}/roster.csv")
    assert response.mimetype == "text/csv"
    lines = response.text.splitlines()
    assert lines[0].startswith("name,email,affiliation,status,waitlist_position")
    assert lines[1].startswith("Ada Lovelace,") and ",confirmed," in lines[1]
    assert lines[2].startswith("'=HYPERLINK(evil),") and ",waitlisted,1," in lines[2]


def test_event_page_states_where_registration_stands(client, login_as, clock):
    """Before the window, after it and for a cancelled event the page says so and offers no
    Register button; while open it offers one."""
    before = make_event(registration_opens_at=clock() + timedelta(days=1), timezone="Europe/Paris")
    closed = make_event(registration_closes_at=clock() - timedelta(hours=1))
    cancelled = make_event(status="cancelled")
    open_now = make_event()
    login_as(make_user())

    page = client.get(f"/events/{before.slug}").text
    assert "Opens " in page and "(Europe/Paris)" in page
    assert ">Register<" not in page
    page = client.get(f"/events/{closed.slug}").text
    assert "Closed " in page
    assert ">Register<" not in page
    page = client.get(f"/events/{cancelled.slug}").text
    assert "Closed: the event is cancelled." in page
    assert ">Register<" not in page
    page = client.get(f"/events/{open_now.slug}").text
    assert "Open until" in page
    assert ">Register<" in page


def test_anonymous_visitor_is_not_invited_to_register_for_a_closed_event(client, clock):
    closed = make_event(registration_closes_at=clock() - timedelta(hours=1))
    page = client.get(f"/events/{closed.slug}").text
    assert "to register" not in page
    assert "Closed " in page
