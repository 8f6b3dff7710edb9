"""A judge's side of the rubric round: their queue, the score sheet of one entry, saving it,
and recusing from an entry.

Who may score an entry: a judge of the event who has not dropped out, assigned to the entry,
not conflicted with it (conflicts_of decides, whatever assignment rows exist), while the entry
is still submitted and in the rubric round. Those refusals show nothing of the entry. Then
the window: a sheet is saved only while judging is open; outside it the page shows the
entry and the saved values read-only.

A sheet is one Score row per (judge, entry, criterion) and one Review row per (judge, entry).
Saving looks the row up and updates it, or inserts it inside a SAVEPOINT; when a concurrent
save inserted it first, the unique constraint refuses the second insert and the save turns
into an update, so two saves at once still end with one row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import abort
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from eventhub.authz import is_judge
from eventhub.clock import now
from eventhub.core.audit import audit
from eventhub.errors import DomainError
from eventhub.events.models import Event
from eventhub.extensions import db
from eventhub.judging import queries
from eventhub.judging.conflicts import conflicts_of
from eventhub.judging.models import (
    Assignment,
    Criterion,
    JudgeConflict,
    JudgeProfile,
    JudgingSettings,
    Review,
    Score,
)
from eventhub.submissions.models import Submission, SubmissionDataset
from eventhub.teams.models import Team, TeamMembership
from eventhub.timefmt import format_datetime

SUBMITTED = queries.SUBMITTED


@dataclass
class WindowState:
    """The judging window as a judge's page shows it; ``closed``: it has closed (not merely
    not opened yet)."""

    is_open: bool
    text: str
    closed: bool = False


@dataclass
class QueueItem:
    submission: Submission
    scored: bool


@dataclass
class Queue:
    items: list[QueueItem]
    window: WindowState
    dropped_text: str | None = None
    compare_open: bool = False

    @property
    def scored(self) -> int:
        return sum(1 for item in self.items if item.scored)

    @property
    def total(self) -> int:
        return len(self.items)


@dataclass
class Sheet:
    submission: Submission
    criteria: list[Criterion]
    values: dict[int, int]
    review: Review | None
    window: WindowState
    shares: dict[int, float] = field(default_factory=dict)


# --- reads ----------------------------------------------------------------------------------


def window_of(event: Event, settings: JudgingSettings, at=None) -> WindowState:
    """Whether judging is open (queries.judging_window, the one rule), said the way a judge
    reads it, in the event's zone."""
    at = at or now()
    zone = event.timezone
    window = queries.judging_window(event, settings)
    closes = window.closes
    if not window.held:
        return WindowState(False, "Judging opens once the event is published.")
    if window.has_closed(at):
        when = format_datetime(closes, zone)
        if closes == settings.results_published_at:
            return WindowState(
                False, f"Judging closed when the results were published ({when}).", True
            )
        return WindowState(False, f"Judging has closed ({when}).", True)
    if not window.is_open(at):
        return WindowState(False, f"Judging opens at {format_datetime(window.opens, zone)}.")
    if closes is None:
        return WindowState(True, "Judging is open until the organizers publish the results.")
    return WindowState(True, f"Judging is open until {format_datetime(closes, zone)}.")


def get_entry(event: Event, project_id: int) -> Submission:
    """The event's submission with this id, with what the sheet shows; another event's: 404."""
    found = db.session.scalar(
        db.select(Submission)
        .where(Submission.id == project_id, Submission.event_id == event.id)
        .options(
            joinedload(Submission.team)
            .selectinload(Team.memberships)
            .joinedload(TeamMembership.user),
            joinedload(Submission.challenge),
            selectinload(Submission.dataset_links).joinedload(SubmissionDataset.dataset),
            selectinload(Submission.screenshots),
        )
    )
    if found is None:
        abort(404)
    return found


def _assigned_ids(event: Event, judge) -> set[int]:
    return set(
        db.session.scalars(
            db.select(Assignment.submission_id).where(
                Assignment.event_id == event.id, Assignment.judge_id == judge.id
            )
        )
    )


def _my_scores(event: Event, judge, submission_ids=None) -> dict[int, dict[int, int]]:
    """submission id -> criterion id -> level, for one judge."""
    stmt = db.select(Score.submission_id, Score.criterion_id, Score.value).where(
        Score.event_id == event.id, Score.judge_id == judge.id
    )
    if submission_ids is not None:
        stmt = stmt.where(Score.submission_id.in_(submission_ids))
    found: dict[int, dict[int, int]] = {}
    for submission_id, criterion_id, value in db.session.execute(stmt):
        found.setdefault(submission_id, {})[criterion_id] = value
    return found


def dropped_text(event: Event, profile: JudgeProfile | None) -> str | None:
    if profile is None or profile.dropped_at is None:
        return None
    when = format_datetime(profile.dropped_at, event.timezone)
    return (
        f"The organizers took you off judging for this event on {when}. "
        "Ask them if you think that is a mistake."
    )


def queue_of(event: Event, judge) -> Queue:
    """The entries assigned to ``judge`` that are in the rubric round and not conflicted; a
    conflicted entry is left out entirely, even when an assignment row names it."""
    settings = queries.settings_of(event)
    window = window_of(event, settings)
    queue = Queue([], window, dropped_text(event, queries.profile_of(event, judge)))
    if queue.dropped_text:
        return queue
    queue.compare_open = settings.pairwise and window.is_open and not queries.finalist_ids(event)
    in_play = {s.id for s in queries.rubric_entries(event, settings)}
    conflicts = conflicts_of(event)
    wanted = [
        sid
        for sid in _assigned_ids(event, judge)
        if sid in in_play and (judge.id, sid) not in conflicts
    ]
    if not wanted:
        return queue
    entries = db.session.scalars(
        db.select(Submission)
        .where(Submission.id.in_(wanted))
        .options(joinedload(Submission.team))
        .order_by(Submission.title, Submission.id)
    ).all()
    rubrics = queries.rubrics_of(event)
    scores = _my_scores(event, judge, wanted)
    for entry in entries:
        rubric = queries.rubric_for(rubrics, entry.challenge_id)
        needed = {c.id for c in rubric.criteria} if rubric is not None else set()
        done = bool(needed) and needed <= scores.get(entry.id, {}).keys()
        queue.items.append(QueueItem(entry, done))
    return queue


def next_unscored(event: Event, judge, after: int) -> int | None:
    """The next entry in the queue not yet scored, after ``after`` and then from the top."""
    items = queue_of(event, judge).items
    order = [item.submission.id for item in items]
    start = order.index(after) + 1 if after in order else 0
    rotated = items[start:] + items[:start]
    return next(
        (i.submission.id for i in rotated if not i.scored and i.submission.id != after), None
    )


def refusal(event: Event, submission: Submission, judge) -> str | None:
    """Why ``judge`` may not score this entry at all (None: they may, window permitting).
    The message names nothing about the entry: a conflicted judge learns nothing of it."""
    profile = queries.profile_of(event, judge)
    if profile is not None and profile.dropped_at is not None:
        return dropped_text(event, profile)
    if (judge.id, submission.id) in conflicts_of(event):
        return "You have a conflict of interest with this entry, so it is not yours to score."
    if submission.id not in _assigned_ids(event, judge):
        return (
            "This entry is not in your judging queue: judges score only the entries the "
            "organizers assigned to them."
        )
    if submission.state != SUBMITTED:
        return "This entry was withdrawn by its team, so there is nothing to score."
    settings = queries.settings_of(event)
    if submission.id not in {s.id for s in queries.rubric_entries(event, settings)}:
        return "This entry did not go on to the final round, so it is not scored here."
    return None


def may_view_entry(submission: Submission, user) -> bool:
    """A judge sees an entry they are to judge (its page and screenshots): assigned to it or
    comparing it in the pairwise round, not conflicted, not dropped, and it is submitted."""
    event = submission.event
    if submission.state != SUBMITTED or not is_judge(user, event):
        return False
    profile = queries.profile_of(event, user)
    if profile is not None and profile.dropped_at is not None:
        return False
    in_pair = profile is not None and submission.id in (profile.pair_prev_id, profile.pair_next_id)
    if not in_pair and submission.id not in _assigned_ids(event, user):
        return False
    return (user.id, submission.id) not in conflicts_of(event)


def criteria_for(event: Event, submission: Submission) -> list[Criterion]:
    rubric = queries.rubric_for(queries.rubrics_of(event), submission.challenge_id)
    return list(rubric.criteria) if rubric is not None else []


def sheet_of(event: Event, submission: Submission, judge) -> Sheet:
    criteria = criteria_for(event, submission)
    total = sum(c.weight for c in criteria) or 1.0
    review = db.session.scalar(
        db.select(Review).where(Review.judge_id == judge.id, Review.submission_id == submission.id)
    )
    return Sheet(
        submission=submission,
        criteria=criteria,
        values=_my_scores(event, judge, [submission.id]).get(submission.id, {}),
        review=review,
        window=window_of(event, queries.settings_of(event)),
        shares={c.id: c.weight / total for c in criteria},
    )


# --- writes ---------------------------------------------------------------------------------


def _check_may_score(event: Event, submission: Submission, judge) -> None:
    reason = refusal(event, submission, judge)
    if reason is None:
        window = window_of(event, queries.settings_for_change(event))
        reason = None if window.is_open else window.text + " Scores can be saved only then."
    if reason is not None:
        raise DomainError(reason)


def _check_values(criteria: list[Criterion], values: dict[int, int | None]) -> None:
    if not criteria:
        raise DomainError("The organizers have not set the rubric for this entry yet.")
    missing = [c.name for c in criteria if values.get(c.id) is None]
    if missing:
        raise DomainError(f"Choose a level for {names(missing)}. Nothing was saved.")
    for c in criteria:
        if not c.scale_min <= values[c.id] <= c.scale_max:
            raise DomainError(
                f"{c.name} is scored from {c.scale_min} to {c.scale_max}. Nothing was saved."
            )


def names(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _upsert(model, keys: dict, values: dict) -> dict | None:
    """Update the row with ``keys`` or insert it; returns its old values (None if new)."""
    row = db.session.scalar(db.select(model).filter_by(**keys))
    if row is None:
        try:
            with db.session.begin_nested():
                db.session.add(model(**keys, **values))
            return None
        except IntegrityError:  # a concurrent save inserted it first: update that row
            row = db.session.scalar(db.select(model).filter_by(**keys))
    old = {name: getattr(row, name) for name in values}
    for name, value in values.items():
        setattr(row, name, value)
    return old


def save_sheet(submission: Submission, data: dict, *, actor) -> dict:
    """Save every criterion's level, the comment for the team and the note for organizers.
    Everything is checked first, so a refused save changes nothing. Returns what changed."""
    event = submission.event
    _check_may_score(event, submission, actor)
    criteria = criteria_for(event, submission)
    values = data.get("values", {})
    _check_values(criteria, values)
    keys = {"judge_id": actor.id, "submission_id": submission.id}
    changed: dict[str, list] = {}
    for c in criteria:
        old = _upsert(
            Score, {**keys, "criterion_id": c.id}, {"value": values[c.id], "event_id": event.id}
        )
        before = None if old is None else old["value"]
        if before != values[c.id]:
            changed[c.name] = [before, values[c.id]]
    text = {
        "comment_for_team": data.get("comment", ""),
        "note_for_organizers": data.get("note", ""),
    }
    old_review = _upsert(Review, keys, {**text, "event_id": event.id})
    texts_changed = sorted(
        name for name, value in text.items() if (old_review or {}).get(name, "") != value
    )
    if changed or texts_changed:
        audit(
            actor,
            "score.save",
            submission,
            event=event,
            judge_id=actor.id,
            changed=changed,
            texts_changed=texts_changed,
        )
    db.session.flush()
    return {"values": changed, "texts": texts_changed}


def recuse(submission: Submission, data: dict, *, actor) -> JudgeConflict:
    """Step away from an entry: a conflict with its team is recorded (so no assignment gives
    it back), and the judge's scores, review and assignment for it are removed."""
    event = submission.event
    settings = queries.settings_for_change(event)
    if window_of(event, settings).closed:
        raise DomainError("Judging has closed. Ask the organizers to take your scores out.")
    if submission.id not in _assigned_ids(event, actor) or (
        (actor.id, submission.id) in conflicts_of(event)
    ):
        raise DomainError("This entry is not in your judging queue.")
    conflict = JudgeConflict(
        event_id=event.id,
        judge_id=actor.id,
        team_id=submission.team_id,
        reason=data["reason"],
        source="recused",
    )
    db.session.add(conflict)
    deleted = remove_sheet(event, actor.id, submission.id)
    db.session.execute(
        db.delete(Assignment).where(
            Assignment.judge_id == actor.id, Assignment.submission_id == submission.id
        )
    )
    db.session.flush()
    audit(
        actor,
        "judge.recuse",
        submission,
        event=event,
        judge_id=actor.id,
        reason=data["reason"],
        deleted_scores=deleted,
    )
    return conflict


def remove_sheet(event: Event, judge_id: int, submission_id: int) -> dict[str, int]:
    """Delete one judge's scores and review of one entry; returns the deleted levels by
    criterion name (for the audit entry the caller writes)."""
    rows = db.session.execute(
        db.select(Score, Criterion.name)
        .join(Criterion, Criterion.id == Score.criterion_id)
        .where(
            Score.event_id == event.id,
            Score.judge_id == judge_id,
            Score.submission_id == submission_id,
        )
    ).all()
    deleted = {name: score.value for score, name in rows}
    for score, _ in rows:
        db.session.delete(score)
    db.session.execute(
        db.delete(Review).where(
            Review.event_id == event.id,
            Review.judge_id == judge_id,
            Review.submission_id == submission_id,
        )
    )
    return deleted
