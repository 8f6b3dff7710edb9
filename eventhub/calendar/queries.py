"""What each feed covers, and its validator: the one cheap query a conditional request costs.

A feed's validator is an aggregate over every row the feed could show (count, newest
``updated_at``, a sum of tagged ids and of sequences), taken with the same filters the feed
uses, so a row entering or leaving the feed (a new session, a cancelled one passing its end,
an event leaving the 90-day window) changes it as surely as an edit does. Where a feed
belongs to a row that must be loaded anyway (the event, the token), that row and the
aggregate come back in one statement: a 304 costs exactly the query that loads what the
permission check needs.

Which cancelled things stay: a cancelled event, with everything in it, until the event is
over; a cancelled session until it is over. Both are written once, below, as SQL.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, and_, func, literal, or_, select, true, union_all

from eventhub.calendar.models import CalendarToken
from eventhub.demoday.models import DemoDay, DemoSlot
from eventhub.enums import EventRoleKind, EventStatus, RegistrationStatus, SessionStatus
from eventhub.events.models import AgendaSession, Event, EventRole, Registration
from eventhub.extensions import db
from eventhub.judging.models import JudgeProfile, JudgingSettings
from eventhub.submissions.models import DeadlineExtension, Submission
from eventhub.teams.models import TeamMembership

HISTORY = timedelta(days=90)  # past events stay in the site and personal feeds this long
LISTED = (EventStatus.PUBLISHED.value, EventStatus.CANCELLED.value)
SUBMITTED = "submitted"
KEPT_REGISTRATIONS = (RegistrationStatus.CONFIRMED.value, RegistrationStatus.WAITLISTED.value)

# Tags keep ids of different tables apart in the validator's sum.
TAGS = 16
(
    EVENT,
    SESSION,
    SETTINGS,
    DEMO_DAY,
    SLOT,
    REGISTRATION,
    ROLE,
    PROFILE,
    MEMBERSHIP,
    EXTENSION,
    TOKEN,
) = range(11)

EVENT_COLUMNS = (
    Event.id,
    Event.slug,
    Event.title,
    Event.summary,
    Event.timezone,
    Event.starts_at,
    Event.ends_at,
    Event.venue_name,
    Event.venue_address,
    Event.online_url,
    Event.status,
    Event.sequence,
    Event.updated_at,
    Event.registration_closes_at,
    Event.team_formation_closes_at,
    Event.submission_deadline,
)
SESSION_COLUMNS = (
    AgendaSession.id,
    AgendaSession.event_id,
    AgendaSession.title,
    AgendaSession.description,
    AgendaSession.location,
    AgendaSession.starts_at,
    AgendaSession.ends_at,
    AgendaSession.status,
    AgendaSession.sequence,
    AgendaSession.updated_at,
)
# A slot is shown with its project's title as it is now (the slot's own copy is refreshed
# only when the running order changes).
SLOT_COLUMNS = (
    DemoSlot.id,
    DemoSlot.event_id,
    Submission.title,
    DemoSlot.starts_at,
    DemoSlot.ends_at,
    DemoSlot.sequence,
    DemoSlot.updated_at,
    Submission.team_id,
)


# --- which rows a feed shows ----------------------------------------------------------------


def event_kept(at: datetime):
    return or_(Event.status != EventStatus.CANCELLED.value, Event.ends_at > at)


def event_is_kept(event, at: datetime) -> bool:
    """``event_kept`` for a loaded row."""
    return event.status != EventStatus.CANCELLED or event.ends_at > at


def session_kept(at: datetime):
    return or_(AgendaSession.status != SessionStatus.CANCELLED.value, AgendaSession.ends_at > at)


def listed(at: datetime, kinds: tuple[str, ...] = ()):
    """Events of the site and personal feeds: published or cancelled, not over for more
    than 90 days (a cancelled one: not over at all)."""
    found = and_(Event.status.in_(LISTED), Event.ends_at >= at - HISTORY, event_kept(at))
    return and_(found, Event.kind.in_(kinds)) if kinds else found


def live_slot():
    """A presentation whose project is still submitted (breaks are not calendar items)."""
    return and_(DemoSlot.kind == "presentation", Submission.state == SUBMITTED)


# --- validators ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Validator:
    etag: str
    last_modified: datetime | None


def digest(body: bytes) -> str:
    """The validator of bytes already built (the single-item downloads)."""
    return hashlib.sha256(body).hexdigest()[:40]


def _part(key, changed, sequence=None) -> Select:
    return select(
        key.label("key"),
        changed.label("changed"),
        (sequence if sequence is not None else literal(0)).label("seq"),
    )


def _aggregate(parts: list[Select]):
    rows = union_all(*parts).subquery()
    return select(
        func.count().label("n"),
        func.max(rows.c.changed).label("changed"),
        func.coalesce(func.sum(rows.c.key), 0).label("id_sum"),
        func.coalesce(func.sum(rows.c.seq), 0).label("seq_sum"),
    ).subquery()


def _validator(identity: str, n, changed, keys, seqs) -> Validator:
    from eventhub.calendar.ics import FORMAT

    text = f"{FORMAT}|{identity}|{n}|{changed.isoformat() if changed else ''}|{keys}|{seqs}"
    return Validator(hashlib.sha256(text.encode()).hexdigest()[:40], changed)


def _event_parts(event_ids, at: datetime) -> list[Select]:
    """Everything an event contributes to a feed: itself, its sessions, judging settings,
    demo day and live slots. ``event_ids``: a scalar subquery or an IN-able select."""

    def within(column):
        return column.in_(event_ids)

    return [
        _part(Event.id * TAGS + EVENT, Event.updated_at, Event.sequence).where(within(Event.id)),
        _part(
            AgendaSession.id * TAGS + SESSION, AgendaSession.updated_at, AgendaSession.sequence
        ).where(within(AgendaSession.event_id), session_kept(at)),
        _part(JudgingSettings.event_id * TAGS + SETTINGS, JudgingSettings.updated_at).where(
            within(JudgingSettings.event_id)
        ),
        _part(DemoDay.event_id * TAGS + DEMO_DAY, DemoDay.updated_at).where(
            within(DemoDay.event_id)
        ),
        _part(DemoSlot.id * TAGS + SLOT, DemoSlot.updated_at, DemoSlot.sequence)
        .join(Submission, Submission.id == DemoSlot.submission_id)
        .where(within(DemoSlot.event_id), live_slot()),
    ]


def site_validator(at: datetime, kinds: tuple[str, ...], base_url: str) -> Validator:
    ids = select(Event.id).where(listed(at, kinds))
    parts = _event_parts(ids, at)[:2]  # the site feed shows events and their sessions
    row = db.session.execute(select(_aggregate(parts))).one()
    return _validator(f"site|{base_url}|{','.join(kinds)}", *row)


def event_with_validator(slug: str, at: datetime, base_url: str):
    """(event, validator) in one statement, or None for an unknown slug."""
    ids = select(Event.id).where(Event.slug == slug)
    agg = _aggregate(_event_parts(ids, at))
    row = db.session.execute(
        select(Event, agg.c.n, agg.c.changed, agg.c.id_sum, agg.c.seq_sum)
        .join_from(Event, agg, true())
        .where(Event.slug == slug)
    ).first()
    if row is None:
        return None
    event = row[0]
    kept = event_is_kept(event, at)
    return event, _validator(f"event|{base_url}|{event.id}|{kept}", *row[1:])


def _person_event_ids(user_id, at: datetime):
    registered = select(Registration.event_id).where(
        Registration.user_id == user_id, Registration.status.in_(KEPT_REGISTRATIONS)
    )
    judged = select(EventRole.event_id).where(
        EventRole.user_id == user_id, EventRole.role == EventRoleKind.JUDGE.value
    )
    return select(Event.id).where(listed(at), or_(Event.id.in_(registered), Event.id.in_(judged)))


def token_with_validator(token_hash: str, at: datetime, base_url: str):
    """(token row, validator) in one statement, or None for an unknown or revoked token."""
    user_id = (
        select(CalendarToken.user_id).where(CalendarToken.token_hash == token_hash)
    ).scalar_subquery()
    teams = select(TeamMembership.team_id).where(
        TeamMembership.user_id == user_id, TeamMembership.left_at.is_(None)
    )
    parts = [
        _part(CalendarToken.id * TAGS + TOKEN, CalendarToken.updated_at).where(
            CalendarToken.token_hash == token_hash
        ),
        _part(Registration.id * TAGS + REGISTRATION, Registration.updated_at).where(
            Registration.user_id == user_id
        ),
        _part(EventRole.id * TAGS + ROLE, EventRole.created_at).where(
            EventRole.user_id == user_id, EventRole.role == EventRoleKind.JUDGE.value
        ),
        _part(JudgeProfile.id * TAGS + PROFILE, JudgeProfile.updated_at).where(
            JudgeProfile.user_id == user_id
        ),
        _part(
            TeamMembership.id * TAGS + MEMBERSHIP, TeamMembership.joined_at, TeamMembership.team_id
        ).where(TeamMembership.user_id == user_id, TeamMembership.left_at.is_(None)),
        _part(DeadlineExtension.id * TAGS + EXTENSION, DeadlineExtension.created_at).where(
            DeadlineExtension.team_id.in_(teams)
        ),
        *_event_parts(_person_event_ids(user_id, at), at),
    ]
    agg = _aggregate(parts)
    row = db.session.execute(
        select(CalendarToken, agg.c.n, agg.c.changed, agg.c.id_sum, agg.c.seq_sum)
        .join_from(CalendarToken, agg, true())
        .where(CalendarToken.token_hash == token_hash)
    ).first()
    if row is None:
        return None
    return row[0], _validator(f"person|{base_url}|{row[0].id}", *row[1:])


# --- what a feed shows ----------------------------------------------------------------------


def site_fingerprints(at: datetime, kinds: tuple[str, ...]):
    """Per event of the site feed: what its items' bytes depend on, in one grouped query
    (the event's own updated_at and sequence, and over its sessions still shown: how many,
    the newest updated_at, the sums of sequences and ids), plus its zone and times for the
    VTIMEZONEs. Events that changed are the only ones whose rows are then fetched."""
    shown = and_(AgendaSession.event_id == Event.id, session_kept(at))
    return _rows(
        select(
            Event.id,
            Event.updated_at,
            Event.sequence,
            Event.timezone,
            Event.starts_at,
            Event.ends_at,
            func.count(AgendaSession.id),
            func.max(AgendaSession.updated_at),
            func.coalesce(func.sum(AgendaSession.sequence), 0),
            func.coalesce(func.sum(AgendaSession.id), 0),
        )
        .select_from(Event)
        .outerjoin(AgendaSession, shown)
        .where(listed(at, kinds))
        .group_by(Event.id)
        .order_by(Event.starts_at, Event.id)
    )


def _rows(statement):
    """Plain rows straight from the connection: no ORM bookkeeping for thousands of rows."""
    return db.session.connection().execute(statement).all()


def events_with_sessions(event_ids: list[int], at: datetime):
    """(events, sessions) as plain rows, for these events."""
    if not event_ids:
        return [], []
    events = _rows(select(*EVENT_COLUMNS).where(Event.id.in_(event_ids)))
    sessions = _rows(
        select(*SESSION_COLUMNS).where(AgendaSession.event_id.in_(event_ids), session_kept(at))
    )
    return events, sessions


def sessions_of(event_ids: list[int], at: datetime):
    if not event_ids:
        return []
    return db.session.execute(
        select(*SESSION_COLUMNS)
        .where(AgendaSession.event_id.in_(event_ids), session_kept(at))
        .order_by(AgendaSession.id)
    ).all()


def settings_of(event_ids: list[int]) -> dict[int, JudgingSettings]:
    if not event_ids:
        return {}
    found = db.session.scalars(
        select(JudgingSettings).where(JudgingSettings.event_id.in_(event_ids))
    )
    return {row.event_id: row for row in found}


def demo_days_of(event_ids: list[int]) -> dict[int, DemoDay]:
    if not event_ids:
        return {}
    found = db.session.scalars(select(DemoDay).where(DemoDay.event_id.in_(event_ids)))
    return {row.event_id: row for row in found}


def live_slots_of(event_ids: list[int]):
    """Live presentation slots with their team's id, in running order."""
    if not event_ids:
        return []
    return db.session.execute(
        select(*SLOT_COLUMNS)
        .join(Submission, Submission.id == DemoSlot.submission_id)
        .where(DemoSlot.event_id.in_(event_ids), live_slot())
        .order_by(DemoSlot.event_id, DemoSlot.position, DemoSlot.id)
    ).all()


@dataclass
class PersonScope:
    """What a person's feed covers: registrations (event id -> status and when it last
    changed), the events they judge, their current team per event and its extension."""

    registrations: dict[int, tuple[str, datetime]]
    judged: set[int]
    teams: dict[int, int]
    extensions: dict[int, datetime]
    events: list


def person_scope(user_id: int, at: datetime) -> PersonScope:
    registrations = {
        event_id: (status, changed)
        for event_id, status, changed in db.session.execute(
            select(Registration.event_id, Registration.status, Registration.updated_at).where(
                Registration.user_id == user_id, Registration.status.in_(KEPT_REGISTRATIONS)
            )
        )
    }
    dropped = select(JudgeProfile.event_id).where(
        JudgeProfile.user_id == user_id, JudgeProfile.dropped_at.is_not(None)
    )
    judged = set(
        db.session.scalars(
            select(EventRole.event_id).where(
                EventRole.user_id == user_id,
                EventRole.role == EventRoleKind.JUDGE.value,
                EventRole.event_id.not_in(dropped),
            )
        )
    )
    teams = dict(
        db.session.execute(
            select(TeamMembership.event_id, TeamMembership.team_id).where(
                TeamMembership.user_id == user_id, TeamMembership.left_at.is_(None)
            )
        ).all()
    )
    extensions = dict(
        db.session.execute(
            select(DeadlineExtension.team_id, DeadlineExtension.until).where(
                DeadlineExtension.team_id.in_(list(teams.values()) or [-1])
            )
        ).all()
    )
    wanted = set(registrations) | judged
    events = db.session.execute(
        select(*EVENT_COLUMNS).where(Event.id.in_(wanted or {-1}), listed(at)).order_by(Event.id)
    ).all()
    return PersonScope(registrations, judged, teams, extensions, events)
