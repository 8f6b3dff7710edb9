"""20 people press Register for the last place at the same moment, on a real gunicorn.

Bounded: 20 requests to 127.0.0.1, each with a 30 s timeout; the server stops at the end.
"""

from datetime import UTC, datetime, timedelta

import pytest

from eventhub.events.models import Registration
from eventhub.events.queries import waitlist_position
from eventhub.extensions import db
from tests.factories import make_event, make_user
from tests.load.http import press_together, server_env
from tests.support.server import running_gunicorn

pytestmark = pytest.mark.load
PEOPLE = 20


def test_last_place_goes_to_exactly_one_of_twenty_concurrent_registrations(app, database_url):
    event = make_event(capacity=1, start=datetime.now(UTC) + timedelta(days=7))
    people = [make_user() for _ in range(PEOPLE)]
    with running_gunicorn(server_env(database_url), workers=4, threads=4) as base_url:
        page = f"/events/{event.slug}"
        answers = press_together(base_url, people, page, f"{page}/register")
    statuses = [status for status, _ in answers]

    assert sorted(statuses) == [302] * PEOPLE  # every press answered, none with a 500
    db.session.rollback()
    regs = db.session.scalars(
        db.select(Registration).where(Registration.event_id == event.id)
    ).all()
    assert len(regs) == PEOPLE
    assert sum(r.status == "confirmed" for r in regs) == 1
    positions = sorted(waitlist_position(r) for r in regs if r.status == "waitlisted")
    assert positions == list(range(1, PEOPLE))
    db.session.refresh(event)
    assert event.seats_taken == 1
