"""Shared pieces for the demo-day tests: an event with two challenges and projects in every
state, its running order built through the organizer's page, and readers of what it shows.

The event starts Mon, Mar 9, 2026 at 10:00 AM EDT (America/New_York, daylight time since
Mar 8); the demo day at 3:00 PM with 5-minute slots. Built order: the first challenge's two
projects by title, a 10-minute break, the second challenge's project, a break, and the
project without a challenge.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from eventhub.accounts.models import User
from eventhub.demoday.models import DemoDay, DemoSlot
from eventhub.enums import EventRoleKind
from eventhub.events.models import Event
from eventhub.extensions import db
from eventhub.submissions.models import Submission
from tests.factories import (
    add_role,
    make_challenge,
    make_event,
    make_organizer,
    make_submission,
    make_team,
    make_user,
)
from tests.integration.pages import page
from tests.support.queries import queries_for  # noqa: F401  (imported from here)

BASE = "/events/civic-jam"
MANAGE = f"{BASE}/manage/demo-day"
SETTINGS = {"starts_at": "2026-03-09T15:00", "slot_minutes": "5", "location": "Main hall"}
BUILT = [
    "3:00 PM to 3:05 PM EDT Route Runners Bus Radar Faster Buses",
    "3:05 PM to 3:10 PM EDT Curb Crew Stop Finder Faster Buses",
    "3:10 PM to 3:20 PM EDT Break (10 min)",
    "3:20 PM to 3:25 PM EDT Breathe Easy Air Watch Cleaner Air",
    "3:25 PM to 3:35 PM EDT Break (10 min)",
    "3:35 PM to 3:40 PM EDT Ledger Team Open Ledger No challenge",
]


@dataclass
class Setup:
    event: Event
    organizer: User
    co_organizer: User
    projects: dict[str, Submission]


def setup_event() -> Setup:
    organizer, co_organizer = make_organizer(name="Olivia Organizer"), make_organizer()
    event = make_event(
        organizer=organizer,
        slug="civic-jam",
        title="Civic Datajam",
        start=datetime(2026, 3, 9, 14, 0, tzinfo=UTC),
    )
    add_role(event, co_organizer, EventRoleKind.ORGANIZER)
    # Created out of order: the running order follows the challenges' positions.
    air = make_challenge(event, title="Cleaner Air", position=1)
    buses = make_challenge(event, title="Faster Buses", position=0)
    projects = {}
    for team_name, title, challenge, state in (
        ("Curb Crew", "Stop Finder", buses, "submitted"),
        ("Ledger Team", "Open Ledger", None, "submitted"),
        ("Breathe Easy", "Air Watch", air, "submitted"),
        ("Route Runners", "Bus Radar", buses, "submitted"),
        ("Slow Starters", "Half Done", buses, "draft"),
        ("Quitters", "Gone Project", air, "withdrawn"),
    ):
        team = make_team(event, make_user(), name=team_name)
        projects[title] = make_submission(team, challenge=challenge, title=title, state=state)
    return Setup(event, organizer, co_organizer, projects)


def built(client, login_as) -> Setup:
    s = setup_event()
    login_as(s.organizer)
    assert client.post(MANAGE, data=SETTINGS).status_code == 302
    assert client.post(f"{MANAGE}/build", data={"break_minutes": "10"}).status_code == 302
    return s


def order_rows(client) -> list[str]:
    table = page(client.get(f"{BASE}/demo-day")).by_id("running-order")
    assert table, "no running order table on the public page"
    return [row.text for row in table[0].walk() if row.tag == "tr"][1:]


def slots() -> list[DemoSlot]:
    db.session.rollback()
    return list(db.session.scalars(db.select(DemoSlot).order_by(DemoSlot.position)))


def slot_titled(title: str) -> DemoSlot:
    return next(slot for slot in slots() if slot.title == title)


def snapshot() -> list[tuple]:
    return [(s.id, s.position, s.minutes, s.starts_at, s.ends_at, s.sequence) for s in slots()]


def demo_day() -> DemoDay:
    db.session.rollback()
    return db.session.scalar(db.select(DemoDay))


def withdraw(project: Submission) -> None:
    """As the team's Withdraw button leaves it (that flow is tested with the projects)."""
    db.session.rollback()
    db.session.execute(
        db.update(Submission).where(Submission.id == project.id).values(state="withdrawn")
    )
    db.session.commit()


def flashed(response) -> str:
    return " ".join(n.text for n in page(response).all("p", class_="usa-alert__text"))


def screen_text(client) -> str:
    return page(client.get(f"{BASE}/demo-day/now")).text


def press(client, direction: str, seen: str):
    return client.post(
        f"{MANAGE}/advance", data={"direction": direction, "from": seen}, follow_redirects=True
    )
