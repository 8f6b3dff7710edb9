"""Judges to entries, in the database, around the pure assignment.assign.

"Assign" tops up: every existing pair is kept (auto, manual or reassigned, scored or not) and
only the pairs entries still lack are added, so running it again after a late judge or a
recusal moves nobody. "Start over" (confirmed by the organizer) first removes every pair
without scores, whoever made it, and then assigns afresh. Neither ever removes a pair with
scores: a judge's work is not thrown away by a button. A conflicted pair (a conflict declared
after assignment) is removed by either when it has no scores, and named in the notes when it
has.

Every change here runs under a lock on the event's row, so two organizers pressing buttons at
once take turns instead of both adding the same pair; the view commits once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from flask import abort

from eventhub.accounts.models import User
from eventhub.clock import now
from eventhub.core.audit import audit
from eventhub.enums import EventRoleKind
from eventhub.errors import DomainError
from eventhub.events.models import Event, EventRole
from eventhub.extensions import db
from eventhub.judging import assignment, queries
from eventhub.judging.conflicts import conflicts_of
from eventhub.judging.models import Assignment, JudgeProfile, Score
from eventhub.judging.scoring import remove_sheet
from eventhub.submissions.models import Submission


@dataclass
class Outcome:
    added: list[tuple[int, int]] = field(default_factory=list)  # (judge id, entry id)
    removed: list[tuple[int, int]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Overview:
    """What the assignments page shows: each entry with its judges, each judge with load."""

    k: int
    entries: list[Submission]
    judges: list[tuple[User, JudgeProfile]]
    dropped: list[tuple[User, JudgeProfile]]
    pairs: dict[int, list[Assignment]]  # entry id -> its assignments
    loads: dict[int, int]  # judge id -> number of entries in play
    scored: set[tuple[int, int]]
    conflicts: dict[tuple[int, int], list[str]]
    names: dict[int, str]
    stray: list[Assignment]  # pairs on entries no longer in play

    def short_of_k(self, entry_id: int) -> bool:
        return len(self.pairs.get(entry_id, [])) < min(self.k, len(self.judges))

    def conflicts_of_entry(self, entry_id: int) -> list[tuple[str, list[str]]]:
        return sorted(
            (self.names.get(judge_id, "A judge"), reasons)
            for (judge_id, sid), reasons in self.conflicts.items()
            if sid == entry_id
        )


# --- reads ----------------------------------------------------------------------------------


def scored_pairs(event: Event) -> set[tuple[int, int]]:
    return set(
        db.session.execute(
            db.select(Score.judge_id, Score.submission_id)
            .where(Score.event_id == event.id)
            .distinct()
        ).tuples()
    )


def pairs_of(event: Event) -> list[Assignment]:
    return list(
        db.session.scalars(
            db.select(Assignment).where(Assignment.event_id == event.id).order_by(Assignment.id)
        )
    )


def overview(event: Event) -> Overview:
    settings = queries.settings_of(event)
    entries = queries.rubric_entries(event, settings)
    everyone = queries.judges_of(event, include_dropped=True)
    judges = [(u, p) for u, p in everyone if p.dropped_at is None]
    in_play = {s.id for s in entries}
    pairs: dict[int, list[Assignment]] = defaultdict(list)
    loads: dict[int, int] = {u.id: 0 for u, _ in everyone}
    stray = []
    for row in pairs_of(event):
        if row.submission_id in in_play:
            pairs[row.submission_id].append(row)
            loads[row.judge_id] = loads.get(row.judge_id, 0) + 1
        else:
            stray.append(row)
    return Overview(
        k=settings.judges_per_entry,
        entries=entries,
        judges=judges,
        dropped=[(u, p) for u, p in everyone if p.dropped_at is not None],
        pairs=pairs,
        loads=loads,
        scored=scored_pairs(event),
        conflicts=conflicts_of(event),
        names={u.id: u.name for u, _ in everyone},
        stray=stray,
    )


def get_assignment(event: Event, assignment_id: int) -> Assignment:
    row = db.session.scalar(
        db.select(Assignment).where(Assignment.id == assignment_id, Assignment.event_id == event.id)
    )
    if row is None:
        abort(404)
    return row


def get_judge(event: Event, user_id: int) -> User:
    """A judge of this event (dropped or not); anyone else, or another event's judge: 404."""
    user = db.session.scalar(
        db.select(User)
        .join(EventRole, EventRole.user_id == User.id)
        .where(
            User.id == user_id,
            EventRole.event_id == event.id,
            EventRole.role == EventRoleKind.JUDGE.value,
        )
    )
    if user is None:
        abort(404)
    return user


# --- writes ---------------------------------------------------------------------------------


def _lock(event: Event) -> None:
    """Serialize assignment changes per event (PostgreSQL; SQLite's POSTs begin IMMEDIATE)."""
    db.session.execute(db.select(Event.id).where(Event.id == event.id).with_for_update())


def _title(entries: dict[int, Submission], entry_id: int) -> str:
    entry = entries.get(entry_id) or db.session.get(Submission, entry_id)
    return f"“{entry.title}”" if entry is not None else "an entry"


def _top_up(event: Event, outcome: Outcome, *, how: str) -> None:
    """Add the pairs the entries in play still need; keeps every existing pair."""
    settings = queries.settings_of(event)
    entries = {s.id: s for s in queries.rubric_entries(event, settings)}
    judges = {u.id: u for u, _ in queries.judges_of(event)}
    conflicts = conflicts_of(event)
    scored = scored_pairs(event)
    existing = set()
    for row in pairs_of(event):
        pair = (row.judge_id, row.submission_id)
        if pair in conflicts and pair not in scored:
            db.session.delete(row)
            outcome.removed.append(pair)
            outcome.notes.append(
                f"Removed {judges.get(row.judge_id, row.judge).name}'s assignment to "
                f"{_title(entries, row.submission_id)}: {'; '.join(conflicts[pair])}."
            )
        elif pair in conflicts:
            outcome.notes.append(
                f"{row.judge.name} has scored {_title(entries, row.submission_id)} but "
                f"{'; '.join(conflicts[pair])}. Remove the pair if those scores should not count."
            )
        elif row.submission_id in entries and (row.judge_id in judges or pair in scored):
            existing.add(pair)  # a dropped judge's scored entries count as judged
    if not entries:
        raise DomainError(
            "There are no entries to assign: the final round has no finalists yet."
            if settings.pairwise
            else "There are no submitted entries to assign yet."
        )
    if not judges:
        raise DomainError("There are no active judges to assign. Invite judges first.")
    k = settings.judges_per_entry
    if len(judges) < k:
        outcome.notes.append(
            f"Each entry should get {k} judges, but only {len(judges)} "
            f"{'is' if len(judges) == 1 else 'are'} active: each entry gets at most "
            f"{len(judges)}."
        )
    plan = assignment.assign(
        sorted(entries),
        sorted(judges),
        min(k, len(judges)),
        set(conflicts),
        existing=frozenset(existing),
        seed=event.id,
        entry_name=lambda entry_id: _title(entries, entry_id),
        judge_name=lambda judge_id: judges[judge_id].name if judge_id in judges else "A judge",
    )
    outcome.notes.extend(plan.notes)
    for judge_id, entry_id in sorted(plan.pairs - existing):
        if (judge_id, entry_id) in conflicts:  # never, by the plan's contract; never saved
            continue
        db.session.add(
            Assignment(event_id=event.id, judge_id=judge_id, submission_id=entry_id, how=how)
        )
        outcome.added.append((judge_id, entry_id))
    db.session.flush()


def run_assignment(event: Event, data: dict, *, actor) -> Outcome:
    _lock(event)
    outcome = Outcome()
    if data.get("start_over"):
        scored = scored_pairs(event)
        for row in pairs_of(event):
            if (row.judge_id, row.submission_id) not in scored:
                db.session.delete(row)
                outcome.removed.append((row.judge_id, row.submission_id))
        db.session.flush()
    _top_up(event, outcome, how="auto")
    audit(
        actor,
        "assignment.run",
        event,
        event=event,
        start_over=bool(data.get("start_over")),
        added=[list(p) for p in outcome.added],
        removed=[list(p) for p in outcome.removed],
        notes=outcome.notes,
    )
    return outcome


def add_pair(event: Event, data: dict, *, actor) -> Assignment:
    """An organizer's own pair; a conflicted pair is refused with the conflict's reasons."""
    _lock(event)
    judge = db.session.get(User, data["judge_id"])
    active = {u.id for u, _ in queries.judges_of(event)}
    if judge is None or judge.id not in active:
        raise DomainError("Choose one of this event's active judges.", field="judge_id")
    entry = db.session.get(Submission, data["submission_id"])
    if entry is None or entry.event_id != event.id or entry.state != queries.SUBMITTED:
        raise DomainError("Choose one of this event's submitted entries.", field="submission_id")
    reasons = conflicts_of(event).get((judge.id, entry.id))
    if reasons:
        raise DomainError(
            f"{judge.name} cannot judge “{entry.title}”: {judge.name} {'; '.join(reasons)}.",
            field="judge_id",
        )
    already = db.session.scalar(
        db.select(Assignment).where(
            Assignment.judge_id == judge.id, Assignment.submission_id == entry.id
        )
    )
    if already is not None:
        raise DomainError(f"{judge.name} is already assigned to “{entry.title}”.")
    row = Assignment(event_id=event.id, judge_id=judge.id, submission_id=entry.id, how="manual")
    db.session.add(row)
    db.session.flush()
    audit(actor, "assignment.add", row, event=event, judge_id=judge.id, submission_id=entry.id)
    return row


def remove_pair(row: Assignment, data: dict, *, actor) -> dict[str, int]:
    """Take a pair off; when the judge has scored the entry, only when the organizer confirms,
    and then their scores and review of it go too (they would otherwise still count)."""
    event = row.submission.event
    _lock(event)
    has_scores = (row.judge_id, row.submission_id) in scored_pairs(event)
    if has_scores:
        queries.check_not_final(event, "the scores")
    if has_scores and not data.get("confirm"):
        raise DomainError(
            f"{row.judge.name} has already scored “{row.submission.title}”. Tick “Also delete "
            "this judge's scores for the entry” to remove the pair and those scores."
        )
    deleted = remove_sheet(event, row.judge_id, row.submission_id) if has_scores else {}
    audit(
        actor,
        "assignment.remove",
        row,
        event=event,
        judge_id=row.judge_id,
        submission_id=row.submission_id,
        deleted_scores=deleted,
    )
    db.session.delete(row)
    db.session.flush()
    return deleted


def drop_judge(event: Event, judge: User, *, actor) -> Outcome:
    """A judge drops out: their profile says so (their scores stay, for the record), their
    unscored entries are taken off them and given to other judges."""
    _lock(event)
    profile = queries.profile_of(event, judge)
    if profile is None:
        profile = JudgeProfile(event_id=event.id, user_id=judge.id)
        db.session.add(profile)
    if profile.dropped_at is not None:
        raise DomainError(f"{judge.name} was already taken off judging.")
    profile.dropped_at = now()
    outcome = Outcome()
    scored = scored_pairs(event)
    for row in pairs_of(event):
        if row.judge_id == judge.id and (row.judge_id, row.submission_id) not in scored:
            db.session.delete(row)
            outcome.removed.append((row.judge_id, row.submission_id))
    db.session.flush()
    try:
        _top_up(event, outcome, how="reassigned")
    except DomainError as exc:  # nothing to hand the entries to: say so, keep the drop
        outcome.notes.append(exc.message)
    audit(
        actor,
        "judge.drop",
        judge,
        event=event,
        removed=[list(p) for p in outcome.removed],
        added=[list(p) for p in outcome.added],
        notes=outcome.notes,
    )
    return outcome


def moves(event: Event, outcome: Outcome) -> list[str]:
    """Where each entry taken off a judge went: “Title” to Ann and Bo."""
    users = {u.id: u.name for u, _ in queries.judges_of(event, include_dropped=True)}
    taken = {entry_id for _, entry_id in outcome.removed}
    gained: dict[int, list[str]] = defaultdict(list)
    for judge_id, entry_id in outcome.added:
        gained[entry_id].append(users.get(judge_id, "a judge"))
    lines = []
    for entry_id in sorted(taken | set(gained)):
        entry = db.session.get(Submission, entry_id)
        title = f"“{entry.title}”" if entry is not None else "An entry"
        to = gained.get(entry_id)
        lines.append(f"{title} to {', '.join(sorted(to))}" if to else f"{title}: nobody free")
    return lines
