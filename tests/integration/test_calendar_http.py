"""Feeds over HTTP: content type, validators, 304s that cost one query, caching, and the same
bytes from any process."""

import os
import subprocess
import sys
from datetime import timedelta
from email.utils import format_datetime
from pathlib import Path

from flask_login import AnonymousUserMixin

from eventhub.authz import can
from eventhub.calendar.models import CalendarPart
from eventhub.events import services
from eventhub.events.models import AgendaSession
from eventhub.events.queries import event_by_slug
from eventhub.extensions import db
from tests.factories import (
    make_calendar_feed,
    make_event,
    make_organizer,
    make_session,
    make_user,
    register,
)
from tests.support.queries import counting

ROOT = Path(__file__).resolve().parents[2]


def _world():
    """A published event with sessions, and a registrant with a personal feed."""
    organizer = make_organizer()
    event = make_event(organizer=organizer, title="Open Budget Datajam")
    make_session(event, title="Welcome")
    make_session(event, title="Demos", offset_hours=2)
    person = make_user()
    register(event, person)
    token = make_calendar_feed(person)
    return organizer, event, token


def _feeds(event, token) -> dict[str, str]:
    return {
        "site": "/calendar.ics",
        "event": f"/events/{event.slug}/calendar.ics",
        "personal": f"/calendar/{token}.ics",
    }


def test_feeds_are_utf8_calendars_with_etag_and_last_modified(client):
    _, event, token = _world()

    for path in _feeds(event, token).values():
        response = client.get(path)

        assert response.status_code == 200, path
        assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
        assert response.headers["ETag"].startswith('"')
        assert response.last_modified == event.updated_at.replace(microsecond=0)
        assert response.data.startswith(b"BEGIN:VCALENDAR\r\n")
        assert b"\r\nMETHOD:" not in response.data


def test_calendar_properties_are_those_clients_read(client):
    _, event, _ = _world()

    body = client.get(f"/events/{event.slug}/calendar.ics").data

    for line in (
        b"NAME:Open Budget Datajam",
        b"X-WR-CALNAME:Open Budget Datajam",
        b"DESCRIPTION:Sessions\\, deadlines and demo day of Open Budget Datajam.",
        f"URL;VALUE=URI:http://localhost/events/{event.slug}".encode(),
        b"REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        b"X-PUBLISHED-TTL:PT1H",
    ):
        assert b"\r\n" + line + b"\r\n" in body


def test_unchanged_feed_answers_304_to_either_validator(client):
    _, event, token = _world()

    for path in _feeds(event, token).values():
        first = client.get(path)
        by_etag = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
        by_date = client.get(path, headers={"If-Modified-Since": first.headers["Last-Modified"]})

        assert by_etag.status_code == 304 and by_etag.data == b"", path
        assert by_etag.headers["ETag"] == first.headers["ETag"]
        assert by_date.status_code == 304, path


def test_304_costs_one_query_no_more_than_the_permission_check(app, client):
    _, event, token = _world()
    with counting() as check:
        can(AnonymousUserMixin(), "event.view", event_by_slug(event.slug))
    db.session.rollback()

    for name, path in _feeds(event, token).items():
        etag = client.get(path).headers["ETag"]
        with counting() as answered:
            response = client.get(path, headers={"If-None-Match": etag})

        assert response.status_code == 304
        assert len(answered) == 1, (name, answered)
        assert len(answered) <= len(check)


def test_a_change_gives_a_new_etag_and_the_new_feed(client, clock):
    organizer, event, token = _world()
    before = {path: client.get(path).headers["ETag"] for path in _feeds(event, token).values()}
    session = db.session.scalar(db.select(AgendaSession).filter_by(title="Demos"))
    clock.advance(minutes=1)

    services.update_session(
        session,
        {
            "title": "Demos and awards",
            "kind": "talk",
            "starts_at": session.starts_at,
            "ends_at": session.ends_at,
            "location": "",
            "description": "",
        },
        actor=organizer,
    )
    db.session.commit()

    for path, etag in before.items():
        response = client.get(path, headers={"If-None-Match": etag})
        assert response.status_code == 200, path
        assert response.headers["ETag"] != etag
        assert b"SUMMARY:Demos and awards" in response.data
        assert response.last_modified == clock().replace(microsecond=0)


def test_a_cancelled_session_leaving_the_feed_changes_its_etag(client, login_as, clock):
    organizer, event, _ = _world()
    session = db.session.scalar(db.select(AgendaSession).filter_by(title="Welcome"))
    login_as(organizer)
    client.post(f"/events/{event.slug}/agenda/{session.id}/cancel")
    path = f"/events/{event.slug}/calendar.ics"
    etag = client.get(path).headers["ETag"]

    clock.set(session.ends_at + timedelta(minutes=1))

    response = client.get(path, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert f"session-{session.id}@".encode() not in response.data


def test_personal_feed_is_private_and_public_feeds_are_public(client):
    _, event, token = _world()

    public = client.get(f"/events/{event.slug}/calendar.ics")
    private = client.get(f"/calendar/{token}.ics")

    assert public.headers["Cache-Control"] == "public, max-age=300"
    assert private.headers["Cache-Control"] == "private, no-cache"
    assert client.get("/calendar.ics").headers["Cache-Control"] == "public, max-age=300"


SCRIPT = """
import sys
from datetime import datetime
from eventhub import create_app
at = datetime.fromisoformat(sys.argv[2])
app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1], "SECRET_KEY": "x", "TESTING": True,
                  "BASE_URL": "http://localhost", "CLOCK": lambda: at})
client = app.test_client()
for path in sys.argv[3:]:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    sys.stdout.buffer.write(response.data)
"""


def _in_process_with_seed(seed: str, database_url: str, at, paths) -> bytes:
    """The feeds as a new process builds them, writing every part itself (none stored)."""
    db.session.execute(db.delete(CalendarPart))
    db.session.commit()
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, database_url, at.isoformat(), *paths],
        cwd=ROOT,
        env={**os.environ, "PYTHONHASHSEED": seed, "EVENTHUB_LOG_LEVEL": "WARNING"},
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout


def test_same_data_gives_the_same_bytes_in_any_process(client, clock, database_url):
    _, event, token = _world()
    for zone in ("Pacific/Auckland", "America/Los_Angeles", "Europe/Berlin", "Asia/Kolkata"):
        make_session(make_event(timezone=zone, title=f"Open data in {zone}"), title="Talk")
    paths = list(_feeds(event, token).values())
    here = b"".join(client.get(path).data for path in paths)

    one = _in_process_with_seed("1", database_url, clock(), paths)
    two = _in_process_with_seed("2", database_url, clock(), paths)

    assert one == two == here
    zones = [line for line in here.split(b"\r\n") if line.startswith(b"TZID:")]
    assert zones[:5] == sorted(zones[:5])


def test_if_modified_since_older_than_the_newest_change_gets_the_feed(client, clock):
    _, event, _ = _world()
    path = f"/events/{event.slug}/calendar.ics"
    earlier = format_datetime(event.updated_at - timedelta(minutes=1), usegmt=True)

    response = client.get(path, headers={"If-Modified-Since": earlier})

    assert response.status_code == 200
