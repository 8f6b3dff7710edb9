"""The pairwise first round, in the database, around the pure Crowd Bradley-Terry model
(pairwise.py): a judge's current pair, their answers, the organizer's ranking, and the
finalists it sends to the rubric final.

A judge walks the hall: the first screen picks an entry to look at, "Next" moves on to
another, and from then on every screen asks which was better, the previous entry or the
current one; the current one then becomes the previous. JudgeProfile.pair_prev_id and
pair_next_id hold that position. An entry a judge compared or skipped is not shown to them
again; a conflicted or withdrawn entry never. Skips are kept in the audit log
("pairwise.skip", an append-only record), which is where the choice reads them back.

The round is open while the event has a pairwise round, judging is open, and no finalists
were chosen yet. Beliefs are not stored: every read replays the event's comparisons in the
order they were made, which is cheap at expo-hall sizes and can never drift from the rows.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from eventhub.core.audit import audit
from eventhub.core.models import AuditEntry
from eventhub.errors import DomainError
from eventhub.events.models import Event
from eventhub.extensions import db
from eventhub.judging import pairwise, queries
from eventhub.judging.conflicts import conflicts_of
from eventhub.judging.models import Finalist, JudgeProfile, PairwiseComparison, Score
from eventhub.judging.scoring import dropped_text, window_of
from eventhub.submissions.models import Submission


@dataclass
class Screen:
    closed_text: str | None  # why the round is not open to this judge now
    previous: Submission | None = None
    current: Submission | None = None
    compared: int = 0
    remaining: int = 0


@dataclass
class RankRow:
    submission: Submission
    mu: float
    sigma: float
    comparisons: int
    finalist: bool


@dataclass
class _Round:
    """What choosing needs: the judge's candidates and what they have seen, the beliefs."""

    candidates: dict[int, Submission]
    seen: set[int]
    items: dict[int, pairwise.ItemState]
    judge: pairwise.JudgeState
    compared: int


# --- reads ----------------------------------------------------------------------------------


def closed_text(event: Event, judge, settings=None) -> str | None:
    settings = settings or queries.settings_of(event)
    if not settings.pairwise:
        return "This event has no pairwise round: judges score their assigned entries."
    dropped = dropped_text(event, queries.profile_of(event, judge))
    if dropped:
        return dropped
    window = window_of(event, settings)
    if not window.is_open:
        return window.text
    if queries.finalist_ids(event):
        return "The pairwise round is over: the finalists were chosen. Score them from your queue."
    return None


def _comparisons(event: Event) -> list[tuple[int, int, int]]:
    return list(
        db.session.execute(
            db.select(
                PairwiseComparison.judge_id,
                PairwiseComparison.winner_id,
                PairwiseComparison.loser_id,
            )
            .where(PairwiseComparison.event_id == event.id)
            .order_by(PairwiseComparison.created_at, PairwiseComparison.id)
        ).tuples()
    )


def _round(event: Event, judge) -> _Round:
    conflicts = conflicts_of(event)
    entries = queries.submitted_entries(event)
    candidates = {e.id: e for e in entries if (judge.id, e.id) not in conflicts}
    comparisons = _comparisons(event)
    items, judges = pairwise.replay(comparisons, [e.id for e in entries], [judge.id])
    mine = [(w, lo) for j, w, lo in comparisons if j == judge.id]
    skipped = db.session.scalars(
        db.select(AuditEntry.target_id).where(
            AuditEntry.event_id == event.id,
            AuditEntry.actor_id == judge.id,
            AuditEntry.action == "pairwise.skip",
        )
    )
    seen = {sid for pair in mine for sid in pair} | set(skipped)
    return _Round(candidates, seen, items, judges[judge.id], len(mine))


def screen_of(event: Event, judge) -> Screen:
    reason = closed_text(event, judge)
    if reason is not None:
        return Screen(reason)
    state = _round(event, judge)
    profile = queries.profile_of(event, judge)
    previous = state.candidates.get(profile.pair_prev_id) if profile else None
    current = state.candidates.get(profile.pair_next_id) if profile else None
    shown = {e.id for e in (previous, current) if e is not None}
    remaining = len(set(state.candidates) - state.seen - shown)
    return Screen(None, previous, current, state.compared, remaining)


def ranking(event: Event) -> list[RankRow]:
    """Every submitted entry by its Crowd BT score (mu), with its uncertainty and how often
    it was compared; replayed from every comparison of the event."""
    entries = {e.id: e for e in queries.submitted_entries(event)}
    comparisons = _comparisons(event)
    items, _ = pairwise.replay(comparisons, list(entries), sorted({c[0] for c in comparisons}))
    counts = dict.fromkeys(entries, 0)
    for _, winner, loser in comparisons:
        for sid in (winner, loser):
            if sid in counts:
                counts[sid] += 1
    chosen = queries.finalist_ids(event)
    return [
        RankRow(entries[sid], items[sid].mu, items[sid].sigma_sq ** 0.5, counts[sid], sid in chosen)
        for sid in pairwise.rank(items)
        if sid in entries
    ]


# --- writes ---------------------------------------------------------------------------------


def _profile_for_update(event: Event, judge) -> JudgeProfile:
    """The judge's profile, locked, so a double tap answers once (made if missing)."""
    stmt = (
        db.select(JudgeProfile)
        .where(JudgeProfile.event_id == event.id, JudgeProfile.user_id == judge.id)
        .with_for_update()
    )
    profile = db.session.scalar(stmt)
    if profile is None:
        try:
            with db.session.begin_nested():
                db.session.add(JudgeProfile(event_id=event.id, user_id=judge.id))
        except IntegrityError:
            pass
        profile = db.session.scalar(stmt)
    return profile


def answer(event: Event, data: dict, *, actor) -> str:
    """One button of the comparison screen: start, next, previous/current (which was
    better), or skip. Returns what happened, for the judge."""
    reason = closed_text(event, actor, queries.settings_for_change(event))
    if reason is not None:
        raise DomainError(reason)
    profile = _profile_for_update(event, actor)
    state = _round(event, actor)
    previous = state.candidates.get(profile.pair_prev_id)
    current = state.candidates.get(profile.pair_next_id)
    if data.get("current") != (current.id if current else None):
        raise DomainError("That screen was out of date; here is your current pair.")
    choice = data["choice"]
    if choice == "start":
        if current is not None:
            raise DomainError("You already have an entry to look at.")
        message = "Here is an entry to look at."
    elif current is None:
        raise DomainError("There is no entry on your screen; press “Show me an entry”.")
    elif choice == "next":
        if previous is not None:
            raise DomainError("Say which entry was better first, or skip this one.")
        profile.pair_prev_id = current.id
        message = f"Now the next entry; you will compare it with “{current.title}”."
    elif choice == "skip":
        audit(actor, "pairwise.skip", current, event=event)
        message = f"Skipped “{current.title}”."
    else:
        if previous is None:
            raise DomainError("Look at one more entry before comparing: press “Next”.")
        winner, loser = (previous, current) if choice == "previous" else (current, previous)
        row = PairwiseComparison(
            event_id=event.id, judge_id=actor.id, winner_id=winner.id, loser_id=loser.id
        )
        db.session.add(row)
        db.session.flush()
        audit(actor, "pairwise.compare", row, event=event, winner=winner.id, loser=loser.id)
        profile.pair_prev_id = current.id
        message = f"Recorded: “{winner.title}” was better than “{loser.title}”."
    db.session.flush()
    _choose_next(event, actor, profile)
    return message


def _choose_next(event: Event, judge, profile: JudgeProfile) -> None:
    state = _round(event, judge)
    seen = state.seen | ({profile.pair_next_id} if profile.pair_next_id else set())
    rng = random.Random(event.id * 1_000_003 + judge.id * 7_919 + len(seen))
    profile.pair_next_id = pairwise.choose_next(
        state.judge,
        profile.pair_prev_id if profile.pair_prev_id in state.candidates else None,
        sorted(state.candidates),
        state.items,
        seen,
        rng,
    )
    db.session.flush()


def choose_finalists(event: Event, data: dict, *, actor) -> list[int]:
    """The top ``count`` of the ranking go on to the rubric final, replacing any earlier
    choice. Once rubric scores exist that needs the organizer's confirmation."""
    if not queries.settings_of(event).pairwise:
        raise DomainError("This event has no pairwise round; every entry goes to the rubric.")
    queries.check_not_final(event, "the finalists")
    db.session.execute(db.select(Event.id).where(Event.id == event.id).with_for_update())
    rows = ranking(event)
    if not any(row.comparisons for row in rows):
        raise DomainError("No comparisons yet: the judges' answers decide who goes on.")
    scored = db.session.scalar(db.select(db.func.count(Score.id)).where(Score.event_id == event.id))
    if scored and not data.get("confirm"):
        raise DomainError(
            "Judges have already scored finalists. Tick “Replace the finalists even though "
            "rubric scores exist” to choose again; their scores stay on record."
        )
    before = sorted(queries.finalist_ids(event))
    db.session.execute(db.delete(Finalist).where(Finalist.event_id == event.id))
    chosen = [row.submission.id for row in rows[: data["count"]]]
    for rank, sid in enumerate(chosen, start=1):
        db.session.add(Finalist(event_id=event.id, submission_id=sid, rank=rank))
    db.session.flush()
    audit(actor, "pairwise.finalists", event, event=event, chosen=chosen, before=before)
    return chosen
