"""SEQUENCE rises on every change a subscriber sees (title, time, place, status, deadlines)
and on nothing else, wherever the change is made."""

from datetime import timedelta

import pytest
from sqlalchemy import inspect

from eventhub.enums import EventStatus
from eventhub.events import services
from eventhub.events.models import Event
from eventhub.extensions import db
from eventhub.judging.settings import save_settings
from eventhub.results.services import publish_results, unpublish_results
from eventhub.submissions.organize import grant_extension
from tests.factories import (
    make_challenge,
    make_demo_day,
    make_entry,
    make_event,
    make_organizer,
    make_session,
    make_team,
)
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
        ("summary", lambda e: "Another summary"),
        ("slug", lambda e: "a-new-address"),
        ("timezone", lambda e: "America/Chicago"),
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
    [("description", "More words"), ("capacity", 99), ("team_max_size", 6)],
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
    before = _sequence(event.id)  # 1: the deadline just set is on calendars too

    grant_extension(team, {"until": event.starts_at + 5 * SHIFT}, actor=organizer)
    db.session.commit()
    first = _sequence(event.id)
    grant_extension(team, {"until": event.starts_at + 6 * SHIFT}, actor=organizer)
    db.session.commit()

    assert (before, first, _sequence(event.id)) == (1, 2, 3)


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


def test_renaming_a_project_raises_its_demo_slots_sequence_only(app):
    from eventhub.demoday.models import DemoSlot
    from eventhub.submissions.services import update_submission

    organizer, event = _event()
    challenge = make_challenge(event)
    renamed = make_entry(event, challenge=challenge, title="Buoy Tracker")
    other = make_entry(event, challenge=challenge, title="Tide Log")
    make_demo_day(event)
    slots = {s.submission_id: s.sequence for s in db.session.scalars(db.select(DemoSlot))}
    member = renamed.team.current_members[0].user

    update_submission(renamed, {"title": "Mooring Monitor"}, actor=member)
    db.session.commit()

    db.session.expire_all()
    after = {s.submission_id: s.sequence for s in db.session.scalars(db.select(DemoSlot))}
    assert after[renamed.id] == slots[renamed.id] + 1
    assert after[other.id] == slots[other.id]


class Reading:
    """A row that notes every attribute an item builder reads from it."""

    def __init__(self, row, columns: dict[str, tuple[type, str]]):
        self._row, self._columns, self.read = row, columns, set()

    def __getattr__(self, name):
        self.read.add(self._columns[name])
        return getattr(self._row, name)


def _columns_of(model) -> dict[str, tuple[type, str]]:
    return {attr.key: (model, attr.key) for attr in inspect(model).column_attrs}


# Identity and version columns: what items are keyed and versioned by, not what they show.
VERSIONS = {"id", "event_id", "team_id", "sequence", "updated_at"}


def test_every_field_an_item_shows_is_one_whose_change_raises_a_sequence(app, clock):
    """The class of "an edit that never reaches the feed": every field the item builders
    read is listed in calendar/sequence.py's SHOWN, so changing it raises a SEQUENCE."""
    from eventhub.calendar import items as make
    from eventhub.calendar import queries
    from eventhub.calendar.sequence import SHOWN
    from eventhub.demoday.models import DemoDay
    from eventhub.enums import RegistrationStatus
    from eventhub.events.models import AgendaSession
    from eventhub.judging.models import JudgingSettings

    organizer, event = _event()
    event.registration_closes_at = event.starts_at - SHIFT
    event.team_formation_closes_at = event.starts_at + SHIFT
    event.submission_deadline = event.starts_at + 2 * SHIFT
    event.online_url = "https://meet.example.org/x"
    db.session.commit()
    make_session(event, location="Room 4", description="Bring a laptop.")
    make_entry(event)
    window = {
        "judges_per_entry": 3,
        "pairwise": False,
        "finalists": 10,
        "opens_at": event.starts_at + 3 * SHIFT,
        "closes_at": event.starts_at + 5 * SHIFT,
        "voting_opens_at": event.starts_at + 3 * SHIFT,
        "voting_closes_at": event.starts_at + 4 * SHIFT,
    }
    save_settings(event, window, actor=organizer)
    publish_results(event, actor=organizer)
    db.session.commit()
    make_demo_day(event)
    slot_columns = {c.key: (c.class_, c.key) for c in queries.SLOT_COLUMNS}
    seen = Reading(db.session.get(Event, event.id), _columns_of(Event))
    session = Reading(queries.sessions_of([event.id], clock())[0], _columns_of(AgendaSession))
    settings = Reading(db.session.get(JudgingSettings, event.id), _columns_of(JudgingSettings))
    demo = Reading(db.session.get(DemoDay, event.id), _columns_of(DemoDay))
    slot = Reading(queries.live_slots_of([event.id])[0], slot_columns)

    with app.test_request_context():
        site = make.Site.current()
        for status in (None, RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED):
            make.event_item(seen, site, status, clock())
        built = [
            make.session_item(session, seen, site),
            *make.registration_deadline(seen, site),
            *make.team_deadlines(seen, site, clock()),
            *make.judging_item(seen, settings, site),
            *make.voting_item(seen, settings, site),
            *make.results_item(seen, settings, site),
            make.slot_item(slot, seen, demo, site),
        ]

    assert len(built) == 8
    read = seen.read | session.read | settings.read | demo.read | slot.read
    unshown = {
        (model.__name__, name)
        for model, name in read
        if name not in VERSIONS and name not in SHOWN[model].fields
    }
    assert unshown == set()
