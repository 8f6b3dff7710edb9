"""Factories for every model. Each commits, so the app's requests see the rows."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from functools import lru_cache

from werkzeug.security import generate_password_hash

from eventhub.accounts.models import User
from eventhub.enums import EventKind, EventRoleKind, EventStatus, SessionKind
from eventhub.events.models import AgendaSession, Event, EventRole, Partner, Registration
from eventhub.extensions import db

PASSWORD = "correct horse battery staple 42"
_seq = itertools.count(1)


@lru_cache(maxsize=1)
def password_hash() -> str:
    """One hash for every factory user. Checking a password costs what its hash's method
    says, and the app's scrypt is deliberately slow: factory accounts use a light PBKDF2
    (a method the app verifies like any other), so the hundreds of sign-ins through real
    login forms (browser and load tests) do not dominate the suite. Accounts made through
    the sign-up page get the app's own hash."""
    return generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


def _save(obj):
    db.session.add(obj)
    db.session.commit()
    return obj


def make_user(**fields) -> User:
    n = next(_seq)
    fields.setdefault("email", f"person{n}@example.org")
    fields.setdefault("name", f"Person {n}")
    fields.setdefault("password_hash", password_hash())
    return _save(User(**fields))


def make_pending_signup(token: str, **fields):
    """A sign-up waiting for its link ``/signup/confirm/<token>``, made in no browser."""
    from eventhub.accounts.models import PendingSignup
    from eventhub.accounts.signup import token_hash
    from eventhub.clock import now

    n = next(_seq)
    fields.setdefault("email", f"newcomer{n}@example.org")
    fields.setdefault("name", f"Newcomer {n}")
    fields.setdefault("password_hash", password_hash())
    fields.setdefault("browser_hash", token_hash(f"no browser {n}"))
    fields.setdefault("expires_at", now() + timedelta(hours=24))
    return _save(PendingSignup(token_hash=token_hash(token), **fields))


def make_organizer(**fields) -> User:
    return make_user(can_organize=True, **fields)


def make_admin(**fields) -> User:
    return make_user(is_admin=True, can_organize=True, **fields)


def make_event(
    *, organizer: User | None = None, start: datetime | None = None, hours: float = 8, **fields
) -> Event:
    """A published event starting a week after ``start`` (default: the clock's now)."""
    from eventhub.clock import now

    n = next(_seq)
    starts = start or (now() + timedelta(days=7))
    fields.setdefault("slug", f"event-{n}")
    fields.setdefault("title", f"Open Data Event {n}")
    fields.setdefault("kind", EventKind.DATAJAM.value)
    fields.setdefault("timezone", "America/New_York")
    fields.setdefault("status", EventStatus.PUBLISHED.value)
    fields.setdefault("starts_at", starts)
    fields.setdefault("ends_at", starts + timedelta(hours=hours))
    event = _save(Event(**fields))
    if organizer is not None:
        add_role(event, organizer, EventRoleKind.ORGANIZER)
    return event


def add_role(event: Event, user: User, role: EventRoleKind) -> EventRole:
    return _save(EventRole(event_id=event.id, user_id=user.id, role=role.value))


def make_session(
    event: Event, *, offset_hours: float = 0, hours: float = 1, **fields
) -> AgendaSession:
    fields.setdefault("title", f"Session {next(_seq)}")
    fields.setdefault("kind", SessionKind.TALK.value)
    starts = event.starts_at + timedelta(hours=offset_hours)
    fields.setdefault("starts_at", starts)
    fields.setdefault("ends_at", starts + timedelta(hours=hours))
    return _save(AgendaSession(event_id=event.id, **fields))


def make_partner(event: Event, **fields) -> Partner:
    fields.setdefault("name", f"Partner {next(_seq)}")
    return _save(Partner(event_id=event.id, **fields))


def register(event: Event, user: User) -> Registration:
    """Register through the service, as the register button does."""
    from eventhub.events import registration

    reg = registration.register(event, actor=user)
    db.session.commit()
    return reg


def make_dataset(
    *,
    title: str | None = None,
    catalog: str = "https://data.example.gov/data.json",
    keywords: list[str] | None = None,
    publisher: list[str] | None = None,
    distributions: list[dict] | None = None,
    **fields,
):
    """A dataset stored through the import service (so it is in the search index too)."""
    from eventhub.datasets.models import Dataset, DatasetImport
    from eventhub.datasets.records import DatasetRecord, DistributionRecord, Parsed
    from eventhub.datasets.services import store

    n = next(_seq)
    record = DatasetRecord(
        identifier=fields.pop("identifier", f"dataset-{n}"),
        title=title or f"Open Dataset {n}",
        keywords=keywords if keywords is not None else ["health"],
        publisher=publisher if publisher is not None else ["Office of Open Data"],
        distributions=[DistributionRecord(**d) for d in (distributions or [])],
        **fields,
    )
    record.raw = record.raw or {"identifier": record.identifier, "title": record.title}
    history = DatasetImport(via="cli", source="tests")
    db.session.add(history)
    store(Parsed(kind="DCAT-US 1.1", records=[record]), catalog_key=catalog, history=history)
    db.session.commit()
    return db.session.scalar(
        db.select(Dataset).filter_by(identifier=record.identifier).order_by(Dataset.id.desc())
    )


def make_challenge(event: Event, **fields):
    from eventhub.challenges.models import Challenge

    n = next(_seq)
    fields.setdefault("slug", f"challenge-{n}")
    fields.setdefault("title", f"Challenge {n}")
    fields.setdefault("summary", "Make the data useful.")
    fields.setdefault("sponsor", "Office of Open Data")
    return _save(Challenge(event_id=event.id, **fields))


def make_prize(challenge, **fields):
    from eventhub.challenges.models import Prize

    fields.setdefault("name", f"Prize {next(_seq)}")
    if "kind" not in fields:
        fields.setdefault("amount", 1000)
    return _save(Prize(challenge_id=challenge.id, **fields))


def link_dataset(challenge, dataset):
    from eventhub.challenges.models import ChallengeDataset

    position = len(challenge.dataset_links)
    return _save(
        ChallengeDataset(challenge_id=challenge.id, dataset_id=dataset.id, position=position)
    )


def make_team(event: Event, captain: User, *members: User, **fields):
    """A team with its captain and members, seats counted as the join service counts them."""
    import secrets

    from eventhub.teams.models import Team, TeamMembership

    n = next(_seq)
    fields.setdefault("name", f"Team {n}")
    fields.setdefault("name_key", fields["name"].casefold())
    fields.setdefault("invite_code", secrets.token_urlsafe(12))
    people = [captain, *members]
    team = _save(Team(event_id=event.id, captain_id=captain.id, member_count=len(people), **fields))
    for person in people:
        db.session.add(TeamMembership(team_id=team.id, event_id=event.id, user_id=person.id))
    db.session.commit()
    return team


def make_submission(team, *, challenge=None, **fields):
    from eventhub.submissions.models import Submission

    fields.setdefault("title", f"Project {next(_seq)}")
    return _save(
        Submission(
            event_id=team.event_id,
            team_id=team.id,
            challenge_id=challenge.id if challenge is not None else None,
            **fields,
        )
    )


def make_screenshot(submission, **fields):
    """A real PNG written to the app's UPLOAD_DIR, with its row, as the upload service does."""
    import io

    from PIL import Image

    from eventhub.submissions import uploads
    from eventhub.submissions.models import Screenshot

    out = io.BytesIO()
    Image.new("RGB", (32, 24), color=(200, 60, 40)).save(out, "PNG")
    body = out.getvalue()
    info = uploads.inspect(body)
    fields.setdefault("alt", "A screenshot")
    return _save(
        Screenshot(
            submission_id=submission.id,
            stored_name=uploads.save(body, info),
            media_type=info.media_type,
            size=info.size,
            width=info.width,
            height=info.height,
            **fields,
        )
    )


# --- judging --------------------------------------------------------------------------------


def make_judge(event: Event, user: User | None = None, *, affiliations: str = "") -> User:
    """A person with the event's judge role and a judging profile."""
    from eventhub.judging.models import JudgeProfile

    user = user or make_user()
    add_role(event, user, EventRoleKind.JUDGE)
    _save(JudgeProfile(event_id=event.id, user_id=user.id, affiliations=affiliations))
    return user


def make_rubric(event: Event, criteria=(("Impact", 2.0), ("Use of data", 1.0)), *, challenge=None):
    """A rubric of 1-5 criteria, each level with its sentence. ``criteria``: (name, weight)."""
    from eventhub.judging.models import Criterion, Rubric

    rubric = _save(
        Rubric(event_id=event.id, challenge_id=challenge.id if challenge is not None else None)
    )
    for position, (name, weight) in enumerate(criteria):
        levels = [f"{name}: level {level} of 5" for level in range(1, 6)]
        db.session.add(
            Criterion(
                rubric_id=rubric.id, position=position, name=name, weight=weight, levels=levels
            )
        )
    db.session.commit()
    return rubric


def make_entry(event: Event, *, challenge=None, team_name: str | None = None, **fields):
    """A submitted project of a new one-person team."""
    from eventhub.clock import now

    captain = make_user()
    team = make_team(event, captain, **({"name": team_name} if team_name else {}))
    fields.setdefault("state", "submitted")
    fields.setdefault("submitted_at", now())
    return make_submission(team, challenge=challenge, **fields)


def assign(judge: User, submission, *, how: str = "manual"):
    from eventhub.judging.models import Assignment

    return _save(
        Assignment(
            event_id=submission.event_id, judge_id=judge.id, submission_id=submission.id, how=how
        )
    )


def score(judge: User, submission, values: dict, *, comment: str = "", note: str = ""):
    """Scores as the scoring page saves them: one row per criterion, and the judge's review.
    ``values`` maps Criterion (or its id) -> level."""
    from eventhub.judging.models import Review, Score

    for criterion, value in values.items():
        criterion_id = getattr(criterion, "id", criterion)
        db.session.add(
            Score(
                event_id=submission.event_id,
                judge_id=judge.id,
                submission_id=submission.id,
                criterion_id=criterion_id,
                value=value,
            )
        )
    db.session.add(
        Review(
            event_id=submission.event_id,
            judge_id=judge.id,
            submission_id=submission.id,
            comment_for_team=comment,
            note_for_organizers=note,
        )
    )
    db.session.commit()


def make_demo_day(event: Event, *, starts_at=None, build: bool = True, **settings):
    """A demo day saved (and its running order built) through the organizer's services."""
    from eventhub.demoday import services
    from eventhub.demoday.models import DemoDay

    settings.setdefault("starts_at", starts_at or event.starts_at + timedelta(hours=6))
    settings.setdefault("slot_minutes", 5)
    settings.setdefault("location", "Main hall")
    services.save_settings(event, settings, actor=None)
    if build:
        services.build_order(event, {"break_minutes": 10, "confirm": True}, actor=None)
    db.session.commit()
    return db.session.get(DemoDay, event.id)


# --- calendars ------------------------------------------------------------------------------


def make_calendar_feed(user: User, reminder: str = "none") -> str:
    """A personal calendar feed made through its service; returns the secret token."""
    from eventhub.calendar.services import create_feed

    token = create_feed(user, {"reminder": reminder}, actor=user)
    db.session.commit()
    return token
