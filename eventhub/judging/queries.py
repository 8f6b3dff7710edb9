"""Reads every judging page shares: the event's settings, its judges, the rubric an entry is
judged by, the entries in play, and whether judging is open. Writes live in the services."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import selectinload

from eventhub.accounts.models import User
from eventhub.enums import EventRoleKind, EventStatus
from eventhub.errors import DomainError
from eventhub.events.models import Event, EventRole
from eventhub.events.phases import Window, submission_deadline, window
from eventhub.extensions import db
from eventhub.judging.models import Finalist, JudgeProfile, JudgingSettings, Rubric
from eventhub.submissions.models import Submission

SUBMITTED = "submitted"


def settings_of(event: Event) -> JudgingSettings:
    """The event's settings row, or an unsaved one holding the defaults."""
    found = db.session.get(JudgingSettings, event.id)
    if found is not None:
        return found
    return JudgingSettings(event_id=event.id, judges_per_entry=3, pairwise=False, finalists=10)


def settings_for_change(event: Event) -> JudgingSettings:
    """The settings as a change to judging or voting reads them before it writes. On
    PostgreSQL the row is share-locked: a publication being committed is waited for, then
    seen, so no save lands behind the results' back (SQLite's writers queue at BEGIN)."""
    found = db.session.scalar(
        db.select(JudgingSettings)
        .where(JudgingSettings.event_id == event.id)
        .with_for_update(read=True)
        .execution_options(populate_existing=True)
    )
    return found if found is not None else settings_of(event)


def judging_opens(event: Event, settings: JudgingSettings) -> datetime:
    """Judging opens at its own start, else at the submission deadline."""
    return settings.opens_at or submission_deadline(event)


def judging_window(event: Event, settings: JudgingSettings) -> Window:
    """Judging runs while the event is published, from its opening until the earliest of its
    own close and the publication of the results: published results are final whatever the
    window says (reopening is the organizer's explicit action, results.services)."""
    return window(
        judging_opens(event, settings),
        *_judging_closings(settings),
        held=event.status == EventStatus.PUBLISHED,
    )


def _judging_closings(settings: JudgingSettings) -> tuple[datetime | None, ...]:
    return settings.closes_at, settings.results_published_at


def judging_closes(settings: JudgingSettings) -> datetime | None:
    """When judging closes (None: it stays open until the results are published)."""
    return window(None, *_judging_closings(settings)).closes


def judging_open(event: Event, settings: JudgingSettings, at: datetime) -> bool:
    return judging_window(event, settings).is_open(at)


def results_published(settings: JudgingSettings) -> bool:
    return settings.results_published_at is not None


def results_final(event: Event) -> bool:
    """Published results are final: nothing they are computed from (scores, conflicts,
    affiliations, rubrics, finalists, votes, tie-breaks, prizes) changes until the organizers
    take them down or reopen judging (results.services)."""
    return results_published(settings_of(event))


def check_not_final(event: Event, what: str | None = None) -> None:
    """Refuse a change once results are published: a judge's (``what`` None) or an
    organizer's (``what`` names what would change)."""
    if not results_published(settings_for_change(event)):
        return
    if what is None:
        raise DomainError(
            "The results are published, so judging can no longer change. Ask the organizers "
            "if something must change: they can reopen judging."
        )
    raise DomainError(
        f"The results are published, so {what} can no longer change. Take the results down "
        "or reopen judging on the results page first."
    )


def voting_window(event: Event, settings: JudgingSettings) -> Window:
    """People's choice voting runs while the event is published, from its opening until the
    earliest of its close and the publication of the results. No window set: no vote."""
    opens, closes = settings.voting_opens_at, settings.voting_closes_at
    held = event.status == EventStatus.PUBLISHED and opens is not None and closes is not None
    return window(opens, closes, settings.results_published_at, held=held)


def voting_open(event: Event, settings: JudgingSettings, at: datetime) -> bool:
    return voting_window(event, settings).is_open(at)


def judges_of(event: Event, *, include_dropped: bool = False) -> list[tuple[User, JudgeProfile]]:
    """The event's judges by name, each with their profile (made, unsaved, if they have none
    yet). A judge who dropped out is left out unless asked for."""
    users = db.session.scalars(
        db.select(User)
        .join(EventRole, EventRole.user_id == User.id)
        .where(EventRole.event_id == event.id, EventRole.role == EventRoleKind.JUDGE.value)
        .order_by(User.name, User.id)
    ).all()
    profiles = {
        p.user_id: p
        for p in db.session.scalars(
            db.select(JudgeProfile).where(JudgeProfile.event_id == event.id)
        )
    }
    found = []
    for user in users:
        profile = profiles.get(user.id) or JudgeProfile(event_id=event.id, user_id=user.id)
        if profile.dropped_at is None or include_dropped:
            found.append((user, profile))
    return found


def profile_of(event: Event, user) -> JudgeProfile | None:
    return db.session.scalar(
        db.select(JudgeProfile).where(
            JudgeProfile.event_id == event.id, JudgeProfile.user_id == user.id
        )
    )


def rubrics_of(event: Event) -> dict[int | None, Rubric]:
    """Every rubric of the event keyed by challenge id (None: the event's own), criteria loaded."""
    rubrics = db.session.scalars(
        db.select(Rubric).where(Rubric.event_id == event.id).options(selectinload(Rubric.criteria))
    ).all()
    return {r.challenge_id: r for r in rubrics}


def rubric_for(rubrics: dict[int | None, Rubric], challenge_id: int | None) -> Rubric | None:
    """An entry is judged by its challenge's rubric where one replaces the event's."""
    return rubrics.get(challenge_id) if challenge_id in rubrics else rubrics.get(None)


def submitted_entries(event: Event) -> list[Submission]:
    return list(
        db.session.scalars(
            db.select(Submission)
            .where(Submission.event_id == event.id, Submission.state == SUBMITTED)
            .order_by(Submission.id)
        )
    )


def finalist_ids(event: Event) -> set[int]:
    return set(
        db.session.scalars(db.select(Finalist.submission_id).where(Finalist.event_id == event.id))
    )


def rubric_entries(event: Event, settings: JudgingSettings) -> list[Submission]:
    """The entries the rubric round judges: every submitted entry, or, where a pairwise first
    round is held, the finalists it sent on (none until the organizer advances them)."""
    entries = submitted_entries(event)
    if not settings.pairwise:
        return entries
    chosen = finalist_ids(event)
    return [s for s in entries if s.id in chosen]
