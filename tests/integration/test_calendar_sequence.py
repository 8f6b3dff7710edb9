"""SEQUENCE rises on every change a subscriber sees (title, time, place, status, deadlines)
and on nothing else, wherever the change is made."""

from datetime import timedelta

import pytest

from eventhub.enums import EventStatus
from eventhub.events import services
from eventhub.events.models import Event
from eventhub.extensions import db
from eventhub.judging.settings import save_settings
from eventhub.results.services import publish_results, unpublish_results
from eventhub.submissions.organize import grant_extension
from tests.factories import make_demo_day, make_entry, make_event, make_organizer, make_team
from tests.integration.calendar_support import event_form_data


def _sequence(event_id: int) -> int:
    db.session.expire_all()
    return db.session.get(Event, event_id).sequence


def _event():
    organizer = make_organizer()
    event = make_event(
        organizer=organizer,
        hours=30,
        venue_name="City Hall",
        registration_closes_at=None,
        submission_deadline=None,
    )
    return organizer, event


SHIFT = timedelta(hours=1)


@pytest.mark.parametrize(
    ("field", "change"),
    [
        ("title", lambda e: "A new title"),
        ("starts_at", lambda e: e.starts_at - SHIFT),
        ("ends_at", lambda e: e.ends_at + SHIFT),
        ("venue_name", lambda e: "Library"),
        ("venue_address", lambda e: "2 Elm St"),
        ("online_url", lambda e: "https://meet.example.org/x"),
        ("registration_closes_at", lambda e: e.starts_at - SHIFT),
        ("team_formation_closes_at", lambda e: e.starts_at + SHIFT),
        ("submission_deadline", lambda e: e.starts_at + 2 * SHIFT),
    ],
)
def test_a_visible_change_to_an_event_raises_its_sequence(app, field, change):
    organizer, event = _event()
    data = {**event_form_data(event), field: change(event)}

    services.update_event(event, data, actor=organizer)
    db.session.commit()

    assert _sequence(event.id) == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [("summary", "Another summary"), ("description", "More words"), ("capacity", 99)],
)
def test_a_change_no_calendar_shows_leaves_sequence_alone(app, field, value):
    organizer, event = _event()

    services.update_event(event, {**event_form_data(event), field: value}, actor=organizer)
    db.session.commit()

    assert _sequence(event.id) == 0


def test_publishing_and_cancelling_raise_sequence(app):
    organizer = make_organizer()
    event = make_event(organizer=organizer, status=EventStatus.DRAFT.value)

    services.set_status(event, EventStatus.PUBLISHED, actor=organizer)
    db.session.commit()
    services.set_status(event, EventStatus.CANCELLED, actor=organizer)
    db.session.commit()

    assert _sequence(event.id) == 2


def test_judging_window_vote_and_results_raise_the_events_sequence(app, clock):
    organizer, event = _event()
    make_entry(event)
    window = {
        "judges_per_entry": 3,
        "pairwise": False,
        "finalists": 10,
        "opens_at": event.starts_at + SHIFT,
        "closes_at": event.starts_at + 3 * SHIFT,
        "voting_opens_at": None,
        "voting_closes_at": None,
    }
    later = {**window, "closes_at": event.ends_at}
    steps = [
        lambda: save_settings(event, window, actor=organizer),
        lambda: save_settings(event, later, actor=organizer),
        lambda: save_settings(event, {**later, "judges_per_entry": 4}, actor=organizer),
        lambda: publish_results(event, actor=organizer),
        lambda: unpublish_results(event, actor=organizer),
    ]
    seen = []

    for step in steps:
        step()
        db.session.commit()
        seen.append(_sequence(event.id))

    # Judges per entry is not on any calendar; the rest is.
    assert seen == [1, 2, 2, 3, 4]


def test_a_teams_deadline_extension_raises_the_events_sequence(app):
    organizer, event = _event()
    event.submission_deadline = event.starts_at + 3 * SHIFT
    db.session.commit()
    team = make_team(event, organizer)

    grant_extension(team, {"until": event.starts_at + 5 * SHIFT}, actor=organizer)
    db.session.commit()
    first = _sequence(event.id)
    grant_extension(team, {"until": event.starts_at + 6 * SHIFT}, actor=organizer)
    db.session.commit()

    assert (first, _sequence(event.id)) == (1, 2)


def test_moving_the_demo_day_room_raises_the_events_sequence(app):
    from eventhub.demoday.services import save_settings as save_demo_day

    organizer, event = _event()
    make_entry(event)
    demo = make_demo_day(event, location="Main hall")
    before = _sequence(event.id)

    save_demo_day(
        event,
        {"starts_at": demo.starts_at, "slot_minutes": demo.slot_minutes, "location": "Atrium"},
        actor=organizer,
    )
    db.session.commit()

    assert _sequence(event.id) == before + 1
