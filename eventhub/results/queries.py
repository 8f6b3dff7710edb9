"""Reads the results pages share. Each is one query whatever the size of the event, so the
pages cost the same number of queries for ten entries or a thousand (asserted in
tests/integration/test_results_queries.py). Scores come back as plain tuples, not ORM
objects: 30,000 of them are read in a few milliseconds that way."""

from __future__ import annotations

from collections import defaultdict

from flask import abort
from sqlalchemy import case, func, or_, true
from sqlalchemy.orm import joinedload, selectinload

from eventhub.challenges.models import Challenge, Prize
from eventhub.enums import EventRoleKind
from eventhub.events.models import Event, EventRole
from eventhub.extensions import db
from eventhub.judging.models import (
    Criterion,
    Finalist,
    JudgeConflict,
    JudgingSettings,
    Review,
    Score,
)
from eventhub.results.models import PrizeAward, TieBreak
from eventhub.submissions.models import Submission
from eventhub.teams.models import Team, TeamMembership

SUBMITTED = "submitted"


def entries_in_play(event: Event, settings: JudgingSettings) -> list[tuple]:
    """(id, title, team_id, team name, challenge_id) of the entries the rubric round judges:
    judging.queries.rubric_entries' rule (submitted; the finalists where a pairwise round is
    held), as plain rows in one query instead of a thousand ORM objects."""
    stmt = (
        db.select(
            Submission.id, Submission.title, Submission.team_id, Team.name, Submission.challenge_id
        )
        .join(Team, Team.id == Submission.team_id)
        .where(Submission.event_id == event.id, Submission.state == SUBMITTED)
        .order_by(Submission.id)
    )
    if settings.pairwise:
        chosen = db.select(Finalist.submission_id).where(Finalist.event_id == event.id)
        stmt = stmt.where(Submission.id.in_(chosen))
    return db.session.connection().execute(stmt).all()


def sheet_sums(event: Event) -> list[tuple[int, int, int, float, int, int]]:
    """One row per judge's sheet (judge, entry, and rubric of the criteria scored): the sum
    of weight x level, how many criteria were scored, and the level on the rubric's
    tie-breaking criterion (0 if it has none). The database adds up the 30,000 scores of a
    large event; Python only sees a row per sheet. Run as plain Core on the session's
    connection: the ORM's result handling would cost more than the query."""
    score, criterion = Score.__table__, Criterion.__table__
    stmt = (
        db.select(
            score.c.judge_id,
            score.c.submission_id,
            criterion.c.rubric_id,
            func.sum(score.c.value * criterion.c.weight),
            func.count(),
            func.sum(case((criterion.c.breaks_ties == true(), score.c.value), else_=0)),
        )
        .join(criterion, criterion.c.id == score.c.criterion_id)
        .where(score.c.event_id == event.id)
        .group_by(score.c.judge_id, score.c.submission_id, criterion.c.rubric_id)
    )
    return db.session.connection().execute(stmt).all()


def entry_scores(event: Event, submission_id: int) -> list[tuple[int, int, int]]:
    """(judge_id, criterion_id, level) of one entry: for its team's per-criterion means."""
    return db.session.execute(
        db.select(Score.judge_id, Score.criterion_id, Score.value).where(
            Score.event_id == event.id, Score.submission_id == submission_id
        )
    ).all()


def conflicted_teams(event: Event) -> dict[int, set[int]]:
    """judge_id -> the teams whose entries that judge's scores never count for: teams they
    declared a conflict with or recused from, teams of a person they declared a conflict
    with, and teams they are or were a member of. Two queries."""
    conflicts = db.session.execute(
        db.select(JudgeConflict.judge_id, JudgeConflict.team_id, JudgeConflict.person_id).where(
            JudgeConflict.event_id == event.id
        )
    ).all()
    judges = db.select(EventRole.user_id).where(
        EventRole.event_id == event.id, EventRole.role == EventRoleKind.JUDGE.value
    )
    people = {person for _, _, person in conflicts if person is not None}
    teams_of: dict[int, set[int]] = defaultdict(set)
    for user_id, team_id in db.session.execute(
        db.select(TeamMembership.user_id, TeamMembership.team_id).where(
            TeamMembership.event_id == event.id,
            or_(TeamMembership.user_id.in_(judges), TeamMembership.user_id.in_(people)),
        )
    ):
        teams_of[user_id].add(team_id)
    found: dict[int, set[int]] = defaultdict(set)
    for judge_id, teams in teams_of.items():
        found[judge_id] |= teams
    for judge_id, team_id, person_id in conflicts:
        if team_id is not None:
            found[judge_id].add(team_id)
        if person_id is not None:
            found[judge_id] |= teams_of.get(person_id, set())
    return {judge: teams for judge, teams in found.items() if teams}


def challenges_of(event: Event) -> list[Challenge]:
    """The event's challenges in their order, prizes loaded (one more query)."""
    return list(
        db.session.scalars(
            db.select(Challenge)
            .where(Challenge.event_id == event.id)
            .order_by(Challenge.position, Challenge.id)
            .options(selectinload(Challenge.prizes))
        )
    )


def get_challenge(event: Event, challenge_id: int | None) -> Challenge:
    """The event's challenge with this id, prizes loaded; another event's is a 404."""
    challenge = db.session.scalar(
        db.select(Challenge)
        .where(Challenge.event_id == event.id, Challenge.id == challenge_id)
        .options(selectinload(Challenge.prizes))
    )
    if challenge is None:
        abort(404)
    return challenge


def tie_breaks_of(event: Event) -> list[TieBreak]:
    """Recorded decisions, oldest first, with who decided."""
    return list(
        db.session.scalars(
            db.select(TieBreak)
            .where(TieBreak.event_id == event.id)
            .order_by(TieBreak.created_at, TieBreak.id)
            .options(joinedload(TieBreak.decided_by))
        )
    )


def awards_of(event: Event) -> dict[int, list[int]]:
    """prize_id -> the submission ids awarded it, in the order they were awarded."""
    found: dict[int, list[int]] = defaultdict(list)
    rows = db.session.execute(
        db.select(PrizeAward.prize_id, PrizeAward.submission_id)
        .join(Prize, Prize.id == PrizeAward.prize_id)
        .join(Challenge, Challenge.id == Prize.challenge_id)
        .where(Challenge.event_id == event.id)
        .order_by(PrizeAward.id)
    )
    for prize_id, submission_id in rows:
        found[prize_id].append(submission_id)
    return dict(found)


def awards_for(prize_ids: list[int]) -> list[PrizeAward]:
    if not prize_ids:
        return []
    return list(db.session.scalars(db.select(PrizeAward).where(PrizeAward.prize_id.in_(prize_ids))))


def challenge_entry_ids(challenge: Challenge) -> set[int]:
    """The submitted entries of a challenge: those its prizes may go to."""
    return set(
        db.session.scalars(
            db.select(Submission.id).where(
                Submission.event_id == challenge.event_id,
                Submission.challenge_id == challenge.id,
                Submission.state == SUBMITTED,
            )
        )
    )


def comments_for_team(event: Event, submission_id: int) -> list[str]:
    """The judges' comments meant for the team, sorted by their text so that neither the
    order of judging nor the judges' names can be read from them."""
    comments = db.session.scalars(
        db.select(Review.comment_for_team).where(
            Review.event_id == event.id, Review.submission_id == submission_id
        )
    )
    return sorted((c.strip() for c in comments if c and c.strip()), key=str.casefold)


def submission_of_team(event: Event, team: Team) -> Submission | None:
    return db.session.scalar(
        db.select(Submission).where(Submission.event_id == event.id, Submission.team_id == team.id)
    )


def entry_labels(event: Event, ids: set[int]) -> list[tuple]:
    """(id, title, team_id, team name, challenge_id) of entries outside the ranking, such as
    a prize winner whose project was withdrawn later."""
    if not ids:
        return []
    return db.session.execute(
        db.select(
            Submission.id, Submission.title, Submission.team_id, Team.name, Submission.challenge_id
        )
        .join(Team, Team.id == Submission.team_id)
        .where(Submission.event_id == event.id, Submission.id.in_(ids))
    ).all()
