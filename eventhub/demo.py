"""Demo data for a first look: a Health Datapalooza-style event and one account per role,
two challenges on it, and a small catalog of open health datasets they feature.

Dates are relative to today so the demo always shows an upcoming event with registration open.
The datasets describe real public HHS datasets (addresses as their publishers give them);
their summaries are our own. Everything is built here: the demo reads no files.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from eventhub.accounts.models import User
from eventhub.accounts.passwords import hash_password
from eventhub.clock import now
from eventhub.demo_catalog import add_challenges, store_catalog
from eventhub.demo_judging import seed_past_judging, seed_rubric
from eventhub.enums import EventKind, EventRoleKind, EventStatus, SessionKind
from eventhub.events import registration
from eventhub.events.models import AgendaSession, Event, EventRole, Partner
from eventhub.extensions import db

ZONE = "America/New_York"
PASSWORD = "civic-data-demo-2026"

ACCOUNTS = [
    ("admin@example.org", "Avery Admin", "admin"),
    ("organizer@example.org", "Olivia Organizer", "organizer"),
    ("judge@example.org", "Jordan Judge", "judge"),
    ("participant@example.org", "Priya Participant", "participant"),
]
EXTRA_PARTICIPANTS = ["Sam Rivera", "Lee Chen", "Maria Gonzalez", "Kwame Mensah", "Ana Silva"]

AGENDA = [
    (0, "08:30", "09:00", "Registration and coffee", SessionKind.BREAK, "Lobby"),
    (
        0,
        "09:00",
        "09:45",
        "Opening keynote: open health data in 2027",
        SessionKind.TALK,
        "Main stage",
    ),
    (0, "10:00", "11:00", "Working with CMS public use files", SessionKind.WORKSHOP, "Room A"),
    (
        0,
        "10:00",
        "11:00",
        "FDA adverse event data: a tour of openFDA",
        SessionKind.WORKSHOP,
        "Room B",
    ),
    (0, "11:15", "12:15", "Panel: data for rural health", SessionKind.PANEL, "Main stage"),
    (0, "12:15", "13:15", "Lunch", SessionKind.BREAK, "Atrium"),
    (0, "13:15", "17:00", "Datajam: team hacking", SessionKind.OTHER, "Rooms A and B"),
    (1, "09:00", "12:00", "Demo day: team presentations", SessionKind.DEMO, "Main stage"),
    (1, "12:00", "12:30", "Closing remarks", SessionKind.TALK, "Main stage"),
]


def _at(day: datetime, offset: int, hhmm: str) -> datetime:
    hour, minute = map(int, hhmm.split(":"))
    local = datetime.combine(
        day.date() + timedelta(days=offset), time(hour, minute), ZoneInfo(ZONE)
    )
    return local.astimezone(ZoneInfo("UTC"))


def _user(email: str, name: str, **flags) -> User:
    user = User(
        email=email,
        name=name,
        password_hash=hash_password(PASSWORD),
        affiliation="EventHub demo",
        **flags,
    )
    db.session.add(user)
    return user


def seed(*, only_if_empty: bool = False) -> list[tuple[str, str, str]] | None:
    if only_if_empty and db.session.scalar(db.select(db.func.count(Event.id))):
        return None
    people = {
        role: _user(
            email, name, is_admin=role == "admin", can_organize=role in ("admin", "organizer")
        )
        for email, name, role in ACCOUNTS
    }
    extras = [_user(f"{n.split()[0].lower()}@example.org", n) for n in EXTRA_PARTICIPANTS]
    db.session.flush()

    first_day = now().astimezone(ZoneInfo(ZONE)) + timedelta(days=21)
    event = Event(
        slug="health-datapalooza-demo",
        title="Health Datapalooza (demo)",
        kind=EventKind.DATAPALOOZA.value,
        status=EventStatus.PUBLISHED.value,
        timezone=ZONE,
        summary="Two days of open health data: workshops with the agencies that publish it, "
        "a datajam, and demo day.",
        description=(
            "Bring your laptop and your questions. Agency data owners from **CMS** and "
            "**FDA** walk through their public datasets, then teams build tools that put "
            "the data to use.\n\n"
            "- Day 1: keynote, workshops, panel and the datajam\n"
            "- Day 2: demo day and awards\n\n"
            "Read the [Project Open Data](https://project-open-data.cio.gov/) metadata schema "
            "before you come."
        ),
        starts_at=_at(first_day, 0, "08:30"),
        ends_at=_at(first_day, 1, "12:30"),
        venue_name="Hubert H. Humphrey Building",
        venue_address="200 Independence Avenue SW, Washington, DC 20201",
        online_url="https://example.org/live/health-datapalooza-demo",
        capacity=5,
    )
    db.session.add(event)
    db.session.flush()
    db.session.add_all(
        [
            EventRole(
                event_id=event.id,
                user_id=people["organizer"].id,
                role=EventRoleKind.ORGANIZER.value,
            ),
            EventRole(
                event_id=event.id, user_id=people["judge"].id, role=EventRoleKind.JUDGE.value
            ),
            Partner(
                event_id=event.id,
                name="U.S. Department of Health and Human Services",
                url="https://www.hhs.gov/",
                position=0,
            ),
            Partner(
                event_id=event.id,
                name="Centers for Medicare & Medicaid Services",
                url="https://www.cms.gov/",
                position=1,
            ),
            Partner(
                event_id=event.id,
                name="U.S. Food and Drug Administration",
                url="https://www.fda.gov/",
                position=2,
            ),
        ]
    )
    for offset, start, end, title, kind, room in AGENDA:
        db.session.add(
            AgendaSession(
                event_id=event.id,
                title=title,
                kind=kind.value,
                location=room,
                starts_at=_at(first_day, offset, start),
                ends_at=_at(first_day, offset, end),
            )
        )
    db.session.flush()
    for person in [people["participant"], *extras]:
        registration.register(event, actor=person)  # capacity 5: the last one is waitlisted

    add_challenges(event, store_catalog(), actor=people["organizer"])
    seed_rubric(event, people["organizer"])
    judges = [people["judge"], _user("priya@example.org", "Priya Patel")]
    judges.append(_user("tom@example.org", "Tom Okafor"))
    db.session.flush()
    _past_event(people["organizer"], judges, extras)
    return [(email, PASSWORD, role) for email, _name, role in ACCOUNTS]


def _past_event(organizer: User, judges: list[User], captains: list[User]) -> None:
    day = now().astimezone(ZoneInfo(ZONE)) - timedelta(days=40)
    event = Event(
        slug="census-tech-sprint-demo",
        title="Census Data Tech Sprint (demo)",
        kind=EventKind.TECH_SPRINT.value,
        status=EventStatus.PUBLISHED.value,
        timezone=ZONE,
        summary="A past sprint: teams built tools on American Community Survey data.",
        starts_at=_at(day, 0, "09:00"),
        ends_at=_at(day, 0, "17:00"),
        venue_name="Online",
        online_url="https://example.org/live/census-sprint",
    )
    db.session.add(event)
    db.session.flush()
    db.session.add(
        EventRole(event_id=event.id, user_id=organizer.id, role=EventRoleKind.ORGANIZER.value)
    )
    seed_past_judging(event, organizer, judges, captains)
