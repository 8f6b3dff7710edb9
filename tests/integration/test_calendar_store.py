"""Feed parts written once and shared: a fresh process (here: a second app on the same
database, which starts with nothing in memory) serves what another one stored, never a part
written from older rows, and a feed is served even when its parts cannot be stored."""

import logging

import pytest
from sqlalchemy import text

from eventhub import create_app
from eventhub.calendar.models import CalendarPart
from eventhub.events import services
from eventhub.extensions import db
from tests.conftest import base_config
from tests.factories import make_event, make_organizer, make_session
from tests.integration.calendar_support import by_uid, event_form_data
from tests.support.queries import counting


def _events():
    organizer = make_organizer()
    first = make_event(organizer=organizer, title="Open Budget Datajam")
    make_session(first, title="Welcome")
    make_session(first, title="Demos", offset_hours=2)
    second = make_event(organizer=organizer, timezone="Pacific/Honolulu", title="Reef Data Day")
    make_session(second, title="Field notes")
    return organizer, first, second


@pytest.fixture
def fresh(database_url, clock, smtp, tmp_path):
    """Another process's view of the same database: a new app, nothing in memory."""

    def make():
        return create_app({**base_config(database_url, clock, smtp), "UPLOAD_DIR": str(tmp_path)})

    return make


def _stored() -> dict[str, bytes]:
    db.session.rollback()
    return {row.key: bytes(row.body) for row in db.session.scalars(db.select(CalendarPart))}


def test_first_feed_stores_a_part_per_event_and_per_zone(client):
    _, first, second = _events()

    body = client.get("/calendar.ics").data

    stored = _stored()
    assert sorted(stored) == sorted(
        [
            f"site-event-{first.id}",
            f"site-event-{second.id}",
            "zone-America/New_York-2026-2026",
            "zone-Pacific/Honolulu-2026-2026",
        ]
    )
    assert stored[f"site-event-{second.id}"] in body
    assert b"SUMMARY:Field notes" in stored[f"site-event-{second.id}"]
    assert stored["zone-Pacific/Honolulu-2026-2026"].startswith(b"BEGIN:VTIMEZONE")


def test_fresh_process_serves_the_stored_parts_without_writing_any(client, fresh):
    _events()
    body = client.get("/calendar.ics").data
    other = fresh()

    with other.app_context(), counting() as statements:
        again = other.test_client().get("/calendar.ics")

    assert again.data == body
    writes = [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE"))]
    assert writes == []


def test_a_part_written_from_older_rows_or_zone_rules_is_never_served(client, fresh):
    _, first, _ = _events()
    body = client.get("/calendar.ics").data
    older = [f"site-event-{first.id}", "zone-America/New_York-2026-2026"]
    db.session.execute(
        db.update(CalendarPart)
        .where(CalendarPart.key.in_(older))
        .values(fingerprint="written-from-older-data", body=b"STALE\r\n")
    )
    db.session.commit()
    other = fresh()

    with other.app_context():
        again = other.test_client().get("/calendar.ics").data

    assert again == body
    stored = _stored()
    assert [b"STALE" in stored[key] for key in older] == [False, False]


def test_an_edit_replaces_the_events_part_in_every_process(client, fresh, clock):
    organizer, first, _ = _events()
    client.get("/calendar.ics")
    clock.advance(minutes=5)
    title = "Open Budget Datajam, moved; now in Room 2"
    services.update_event(first, {**event_form_data(first), "title": title}, actor=organizer)
    db.session.commit()

    here = client.get("/calendar.ics").data
    other = fresh()
    with other.app_context():
        there = other.test_client().get("/calendar.ics").data

    assert here == there
    item = by_uid(here)[f"event-{first.id}@localhost"]
    assert str(item["SUMMARY"]) == title
    assert item["SEQUENCE"] == 1
    assert len([key for key in _stored() if key.startswith("site-event-")]) == 2


REFUSE = {
    "sqlite": [
        "CREATE TRIGGER refuse_parts BEFORE INSERT ON calendar_parts "
        "BEGIN SELECT RAISE(ABORT, 'refused'); END"
    ],
    "postgresql": [
        "CREATE FUNCTION refuse_parts() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'refused'; END $$",
        "CREATE TRIGGER refuse_parts BEFORE INSERT ON calendar_parts "
        "FOR EACH ROW EXECUTE FUNCTION refuse_parts()",
    ],
}
ALLOW = {
    "sqlite": ["DROP TRIGGER refuse_parts"],
    "postgresql": [
        "DROP TRIGGER refuse_parts ON calendar_parts",
        "DROP FUNCTION refuse_parts()",
    ],
}


def test_feed_is_served_when_its_parts_cannot_be_stored(client, backend, caplog):
    _, first, _ = _events()
    for statement in REFUSE[backend]:
        db.session.execute(text(statement))
    db.session.commit()
    try:
        with caplog.at_level(logging.WARNING, logger="eventhub"):
            response = client.get("/calendar.ics")
    finally:
        for statement in ALLOW[backend]:
            db.session.execute(text(statement))
        db.session.commit()

    assert response.status_code == 200
    assert by_uid(response.data)[f"event-{first.id}@localhost"]["SUMMARY"] == first.title
    assert "calendar parts not stored" in caplog.text
    assert _stored() == {}
    assert client.get("/calendar.ics").data == response.data
