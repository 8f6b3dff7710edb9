"""Feeds follow edits: every text a feed item shows changes in the feed when a person changes
it on its page, with SEQUENCE raised (a calendar client keeps its copy otherwise).

One event holds every kind of item (the event, sessions, the three deadlines, judging, the
vote, the results, a demo slot), seen in the three feeds that hold them: the site feed
(built from stored parts), the event feed and a team member's own feed. Each row of the
table is an edit made through the organizer's or the team's edit form; after it every feed
is fetched again as a subscribed client would (with the ETag it holds) and must show the new
text in the items the row names, and no item may show different text under the SEQUENCE it
had before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from eventhub.clock import now
from eventhub.demoday.models import DemoSlot
from eventhub.extensions import db
from eventhub.judging.settings import save_settings
from eventhub.results.services import publish_results
from tests.factories import (
    make_calendar_feed,
    make_challenge,
    make_demo_day,
    make_event,
    make_organizer,
    make_session,
    make_submission,
    make_team,
    make_user,
    register,
)
from tests.integration.calendar_support import events
from tests.integration.pages import page

TEXTS = ("SUMMARY", "DESCRIPTION", "LOCATION", "URL")


@dataclass
class World:
    organizer: object
    captain: object
    slug: str
    session_id: int
    project_id: int
    token: str
    uids: dict[str, str]  # item name -> UID

    def feeds(self) -> dict[str, str]:
        return {
            "site": "/calendar.ics",
            "event": f"/events/{self.slug}/calendar.ics",
            "person": f"/calendar/{self.token}.ics",
        }


def _world() -> World:
    organizer = make_organizer()
    event = make_event(
        organizer=organizer,
        slug="harbor-jam",
        title="Harbor Data Jam",
        summary="Open data about the harbor.",
        venue_name="Pier Hall",
        venue_address="9 Dock Road",
        online_url="https://meet.example.org/harbor",
        hours=30,
    )
    event.registration_closes_at = event.starts_at - timedelta(days=1)
    event.team_formation_closes_at = event.starts_at + timedelta(hours=4)
    event.submission_deadline = event.starts_at + timedelta(hours=20)
    db.session.commit()
    opening = make_session(event, title="Opening", offset_hours=1)
    workshop = make_session(
        event, title="Tide Workshop", location="Room 4", description="Bring a laptop."
    )
    captain = make_user(name="Cora Captain")
    register(event, captain)
    team = make_team(event, captain, name="Route Runners")
    project = make_submission(
        team,
        challenge=make_challenge(event, title="Safer Docks"),
        title="Buoy Tracker",
        state="submitted",
        submitted_at=now(),
    )
    save_settings(
        event,
        {
            "judges_per_entry": 3,
            "pairwise": False,
            "finalists": 10,
            "opens_at": event.starts_at + timedelta(hours=22),
            "closes_at": event.starts_at + timedelta(hours=26),
            "voting_opens_at": event.starts_at + timedelta(hours=22),
            "voting_closes_at": event.starts_at + timedelta(hours=24),
        },
        actor=organizer,
    )
    publish_results(event, actor=organizer)
    db.session.commit()
    make_demo_day(event, location="Main hall")
    slot = db.session.scalar(db.select(DemoSlot).where(DemoSlot.submission_id == project.id))
    milestones = ("deadline-registration", "deadline-teams", "deadline-submissions")
    milestones += ("judging", "voting", "results")
    uids = {name: f"{name}-{event.id}@localhost" for name in milestones} | {
        "event": f"event-{event.id}@localhost",
        "opening": f"session-{opening.id}@localhost",
        "workshop": f"session-{workshop.id}@localhost",
        "demo-slot": f"demo-slot-{slot.id}@localhost",
    }
    token = make_calendar_feed(captain)
    return World(organizer, captain, event.slug, workshop.id, project.id, token, uids)


# --- what a subscriber holds -------------------------------------------------------------


@dataclass(frozen=True)
class Held:
    sequence: int
    texts: dict[str, str]


def _read(body: bytes) -> dict[str, Held]:
    return {
        str(e["UID"]): Held(
            int(e.get("SEQUENCE", 0)), {name: str(e.get(name, "")) for name in TEXTS}
        )
        for e in events(body)
    }


class Subscriber:
    """Holds each feed with its ETag, and fetches it again the way a calendar client does."""

    def __init__(self, client):
        self.client = client
        self.etags: dict[str, str] = {}
        self.held: dict[str, dict[str, Held]] = {}

    def refresh(self, world: World) -> dict[str, dict[str, Held]]:
        for name, url in world.feeds().items():
            headers = {"If-None-Match": self.etags[name]} if name in self.etags else {}
            response = self.client.get(url, headers=headers)
            assert response.status_code in (200, 304), (name, response.status_code)
            if response.status_code == 200:
                self.etags[name] = response.headers["ETag"]
                self.held[name] = _read(response.data)
        return dict(self.held)


# --- edits through the pages -------------------------------------------------------------


def _shown_form(client, url: str) -> dict[str, str]:
    """What the form posting to ``url`` (the page's own address when it names none) holds,
    as a browser would send it unchanged."""
    forms = page(client.get(url)).all("form", method="post")
    form = next(f for f in forms if f.attrs.get("action", url) == url)
    data: dict[str, str] = {}
    for node in form.walk():
        name = node.attrs.get("name")
        if not name or node.tag not in ("input", "select", "textarea"):
            continue
        if node.tag == "select":
            chosen = [o for o in node.walk() if o.tag == "option" and "selected" in o.attrs]
            data[name] = chosen[0].attrs.get("value", "") if chosen else ""
        elif node.tag == "textarea":
            data[name] = "".join(c for c in node.children if isinstance(c, str)).lstrip("\r\n")
        elif node.attrs.get("type") == "checkbox":
            if "checked" in node.attrs:
                data[name] = node.attrs.get("value", "y")
        elif node.attrs.get("type") != "submit":
            data[name] = node.attrs.get("value", "")
    return data


def _edit(client, login_as, person, url: str, **changes) -> None:
    login_as(person)
    data = {**_shown_form(client, url), **changes}
    response = client.post(url, data=data)
    assert response.status_code == 302, page(response).text[:2000]
    client.post("/logout")


def _event_form(field: str, value: str):
    def edit(client, login_as, world: World) -> None:
        url = f"/events/{world.slug}/edit"
        _edit(client, login_as, world.organizer, url, **{field: value})
        if field == "slug":
            world.slug = value

    return edit


def _session_form(field: str, value: str):
    def edit(client, login_as, world: World) -> None:
        url = f"/events/{world.slug}/agenda/{world.session_id}/edit"
        _edit(client, login_as, world.organizer, url, **{field: value})

    return edit


def _project_form(field: str, value: str):
    def edit(client, login_as, world: World) -> None:
        url = f"/events/{world.slug}/projects/{world.project_id}/edit"
        _edit(client, login_as, world.captain, url, **{field: value})

    return edit


def _demo_day_form(field: str, value: str):
    def edit(client, login_as, world: World) -> None:
        url = f"/events/{world.slug}/manage/demo-day"
        _edit(client, login_as, world.organizer, url, **{field: value})

    return edit


EVERY_ITEM = {
    "event": "SUMMARY",
    "opening": "DESCRIPTION",
    "workshop": "DESCRIPTION",
    "deadline-registration": "SUMMARY",
    "deadline-teams": "SUMMARY",
    "deadline-submissions": "SUMMARY",
    "judging": "SUMMARY",
    "voting": "SUMMARY",
    "results": "SUMMARY",
    "demo-slot": "DESCRIPTION",
}
EVERY_FEED = ("site", "event", "person")


@dataclass(frozen=True)
class Edit:
    what: str
    edit: object
    text: str
    shows: dict[str, str]  # item -> the property that shows the new text
    feeds: tuple[str, ...] = EVERY_FEED  # the feeds whose items show it


EDITS = [
    Edit(
        "event title", _event_form("title", "Tidewater Data Jam"), "Tidewater Data Jam", EVERY_ITEM
    ),
    Edit(
        "event summary",
        _event_form("summary", "Charts of every mooring."),
        "Charts of every mooring.",
        {"event": "DESCRIPTION"},
    ),
    Edit(
        "venue",
        _event_form("venue_name", "Quay House"),
        "Quay House",
        {"event": "LOCATION", "opening": "LOCATION"},
    ),
    Edit(
        "venue address",
        _event_form("venue_address", "12 Wharf Street"),
        "12 Wharf Street",
        {"event": "LOCATION", "opening": "LOCATION"},
    ),
    Edit(
        "online link",
        _event_form("online_url", "https://meet.example.org/tidewater"),
        "https://meet.example.org/tidewater",
        {"event": "DESCRIPTION"},
        feeds=("person",),  # for registrants only
    ),
    Edit(
        "web address",
        _event_form("slug", "tidewater-jam"),
        "/events/tidewater-jam",
        {item: "URL" for item in EVERY_ITEM},
    ),
    Edit(
        "session title",
        _session_form("title", "Tide Tables Workshop"),
        "Tide Tables Workshop",
        {"workshop": "SUMMARY"},
    ),
    Edit(
        "session description",
        _session_form("description", "Bring tide gauge readings."),
        "Bring tide gauge readings.",
        {"workshop": "DESCRIPTION"},
    ),
    Edit(
        "session location",
        _session_form("location", "Boathouse"),
        "Boathouse",
        {"workshop": "LOCATION"},
    ),
    Edit(
        "project title",
        _project_form("title", "Mooring Monitor"),
        "Mooring Monitor",
        {"demo-slot": "SUMMARY"},
    ),
    Edit(
        "demo-day room",
        _demo_day_form("location", "Lighthouse Room"),
        "Lighthouse Room",
        {"demo-slot": "LOCATION"},
    ),
]


def _check(row: Edit, world: World, before, after) -> list[str]:
    """What a subscriber would see wrong after ``row``: an item that should show the new
    text and does not, or any item whose text changed under the SEQUENCE it had."""
    problems = []
    for item, name in row.shows.items():
        held = [(feed, after[feed].get(world.uids[item])) for feed in row.feeds]
        held = [(feed, found) for feed, found in held if found is not None]
        if not held:
            problems.append(f"{row.what}: no feed holds {item}")
        for feed, found in held:
            if row.text not in found.texts[name]:
                problems.append(f"{row.what}: {feed} feed, {item} {name} lacks {row.text!r}")
    for feed, items in after.items():
        for uid, held in items.items():
            old = before[feed].get(uid)
            if old is not None and old.texts != held.texts and held.sequence <= old.sequence:
                problems.append(f"{row.what}: {feed} feed, {uid} changed with SEQUENCE kept")
    return problems


def test_every_text_a_feed_shows_follows_its_edit_with_sequence_raised(client, login_as):
    world = _world()
    subscriber = Subscriber(client)
    before = subscriber.refresh(world)
    assert set(before["event"]) == set(world.uids.values())
    problems: list[str] = []

    for row in EDITS:
        row.edit(client, login_as, world)
        after = subscriber.refresh(world)
        problems += _check(row, world, before, after)
        before = after

    assert not problems, "\n".join(problems)
