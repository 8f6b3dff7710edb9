"""Reads for project pages. Every submission is found through its event, then through who
may see it: another event's id, a draft of another team or a closed gallery is a 404, so
nothing about a hidden project leaks, not even that it exists."""

from __future__ import annotations

from flask import abort
from sqlalchemy.orm import joinedload, selectinload

from eventhub.authz import is_organizer
from eventhub.challenges.models import Challenge
from eventhub.events.models import Event
from eventhub.extensions import db
from eventhub.submissions.models import (
    DeadlineExtension,
    Screenshot,
    Submission,
    SubmissionChange,
    SubmissionDataset,
)
from eventhub.teams.models import Team, TeamMembership

SUBMITTED = "submitted"


def _with_details(stmt):
    return stmt.options(
        joinedload(Submission.team).selectinload(Team.memberships).joinedload(TeamMembership.user),
        joinedload(Submission.challenge),
        selectinload(Submission.dataset_links).joinedload(SubmissionDataset.dataset),
        selectinload(Submission.screenshots),
    )


def current_team(event: Event, user) -> Team | None:
    """The team the person is a current member of in this event, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        db.select(Team)
        .join(TeamMembership, TeamMembership.team_id == Team.id)
        .where(
            TeamMembership.event_id == event.id,
            TeamMembership.user_id == user.id,
            TeamMembership.left_at.is_(None),
        )
    )


def submission_of(team: Team) -> Submission | None:
    return db.session.scalar(db.select(Submission).where(Submission.team_id == team.id))


def is_member(submission: Submission, user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return any(m.user_id == user.id for m in submission.team.current_members)


def may_see(submission: Submission, user) -> bool:
    """Its team and the organizers always; a judge judging it (the scoring page shows its
    screenshots); everyone else once it is submitted and the gallery is open."""
    if is_organizer(user, submission.event) or is_member(submission, user):
        return True
    if submission.event.gallery_open and submission.state == SUBMITTED:
        return True
    from eventhub.judging.scoring import may_view_entry  # judging builds on submissions

    return may_view_entry(submission, user)


def get_submission(event: Event, project_id: int, user) -> Submission:
    """The event's submission with this id, if ``user`` may see it; else 404."""
    submission = db.session.scalar(
        _with_details(
            db.select(Submission).where(
                Submission.id == project_id, Submission.event_id == event.id
            )
        )
    )
    if submission is None or not may_see(submission, user):
        abort(404)
    return submission


def get_own_submission(event: Event, project_id: int, user) -> Submission:
    """A submission ``user`` may change: 404 if hidden from them, 403 if they may only look."""
    submission = get_submission(event, project_id, user)
    if not is_member(submission, user):
        abort(403)
    return submission


def get_screenshot(submission: Submission, *, screenshot_id=None, name=None) -> Screenshot:
    for shot in submission.screenshots:
        if shot.id == screenshot_id or (name is not None and shot.stored_name == name):
            return shot
    abort(404)


def get_link(submission: Submission, dataset_id: int) -> SubmissionDataset:
    for link in submission.dataset_links:
        if link.dataset_id == dataset_id:
            return link
    abort(404)


def get_team(event: Event, team_id: int) -> Team:
    team = db.session.scalar(db.select(Team).where(Team.id == team_id, Team.event_id == event.id))
    if team is None:
        abort(404)
    return team


def extension_of(team_id: int) -> DeadlineExtension | None:
    return db.session.scalar(
        db.select(DeadlineExtension).where(DeadlineExtension.team_id == team_id)
    )


def gallery(event: Event, *, challenge_id=None, dataset_id=None) -> list[Submission]:
    """Submitted projects only, filtered by challenge and by a dataset they used."""
    stmt = db.select(Submission).where(
        Submission.event_id == event.id, Submission.state == SUBMITTED
    )
    if challenge_id:
        stmt = stmt.where(Submission.challenge_id == challenge_id)
    if dataset_id:
        used = db.select(SubmissionDataset.submission_id).where(
            SubmissionDataset.submission_id == Submission.id,
            SubmissionDataset.dataset_id == dataset_id,
        )
        stmt = stmt.where(used.exists())
    return list(db.session.scalars(_with_details(stmt.order_by(Submission.title, Submission.id))))


def gallery_datasets(event: Event) -> list:
    """The datasets submitted projects used: the gallery's dataset filter offers these."""
    from eventhub.datasets.models import Dataset

    used = (
        db.select(SubmissionDataset.dataset_id)
        .join(Submission, Submission.id == SubmissionDataset.submission_id)
        .where(Submission.event_id == event.id, Submission.state == SUBMITTED)
    )
    return list(
        db.session.scalars(
            db.select(Dataset).where(Dataset.id.in_(used)).order_by(Dataset.title, Dataset.id)
        )
    )


def challenges_of(event: Event) -> list[Challenge]:
    return list(
        db.session.scalars(
            db.select(Challenge)
            .where(Challenge.event_id == event.id)
            .order_by(Challenge.position, Challenge.id)
        )
    )


def for_organizers(event: Event) -> list[Submission]:
    """Every submission of the event with its latest change and its team's extension."""
    stmt = (
        db.select(Submission)
        .where(Submission.event_id == event.id)
        .options(selectinload(Submission.changes).joinedload(SubmissionChange.actor))
        .order_by(Submission.state, Submission.title, Submission.id)
    )
    return list(db.session.scalars(_with_details(stmt)))


def teams_of(event: Event) -> list[Team]:
    return list(
        db.session.scalars(
            db.select(Team)
            .where(Team.event_id == event.id, Team.dissolved_at.is_(None))
            .order_by(Team.name, Team.id)
        )
    )


def extensions_of(event: Event) -> dict[int, DeadlineExtension]:
    rows = db.session.scalars(
        db.select(DeadlineExtension)
        .join(Team, Team.id == DeadlineExtension.team_id)
        .where(Team.event_id == event.id)
    )
    return {row.team_id: row for row in rows}
