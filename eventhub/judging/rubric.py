"""Rubric services: the event's rubric, a challenge's replacement for it, and the rules a
change must keep once judges have scored.

A rubric is saved whole: the organizer's form sends every criterion they want, in order, and
whatever existing criterion is missing from it is removed (with its scores). Once a score
exists for an entry judged by the rubric, nothing changes without the organizer's explicit
confirmation, and a scale may never shrink past a score already given: a judge's 5 must not
silently become an out-of-range number. Every change is audited with what changed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from eventhub.challenges.models import Challenge
from eventhub.core.audit import audit
from eventhub.errors import DomainError
from eventhub.events.models import Event
from eventhub.extensions import db
from eventhub.judging.models import SCORE_CEILING, SCORE_FLOOR, Criterion, Rubric, Score
from eventhub.judging.queries import check_not_final
from eventhub.judging.starting_rubric import default_criteria
from eventhub.submissions.models import Submission

MAX_CRITERIA = 20
MAX_WEIGHT = 1000
SENTENCE_LIMIT = 300

FIELDS = ("name", "description", "weight", "scale_min", "scale_max", "levels", "breaks_ties")


class ConfirmationNeeded(DomainError):
    """Scores exist: the change waits for the organizer's explicit confirmation."""


@dataclass(frozen=True)
class Scored:
    """How much judging a rubric change would touch."""

    scores: int
    judges: int

    def __bool__(self) -> bool:
        return self.scores > 0

    def sentence(self) -> str:
        return f"{_count(self.scores, 'score')} by {_count(self.judges, 'judge')} exist"


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


# --- reads ------------------------------------------------------------------------------


def rubric_of(event: Event, challenge: Challenge | None) -> Rubric | None:
    """The saved rubric of the event (challenge None) or the challenge's own replacement."""
    stmt = db.select(Rubric).where(Rubric.event_id == event.id)
    if challenge is None:
        stmt = stmt.where(Rubric.challenge_id.is_(None))
    else:
        stmt = stmt.where(Rubric.challenge_id == challenge.id)
    return db.session.scalar(stmt)


def criteria_data(rubric: Rubric | None) -> list[dict]:
    """The criteria as plain dicts (with ids): the saved ones, or the starting rubric."""
    if rubric is None or rubric.id is None:
        return [{"id": None, **c} for c in default_criteria()]
    return [
        {"id": c.id, **{name: getattr(c, name) for name in FIELDS}, "levels": list(c.levels)}
        for c in rubric.criteria
    ]


def weight_shares(weights: list[float]) -> list[float]:
    """Each weight's share of the total, in percent (weights are normalized when used)."""
    total = sum(weights)
    return [100 * w / total if total > 0 else 0.0 for w in weights]


def percent(share: float) -> str:
    text = f"{share:.1f}".rstrip("0").rstrip(".")
    return f"{text}%"


def scored_on(rubric: Rubric | None) -> Scored:
    """Scores given on the rubric's criteria, and by how many judges."""
    if rubric is None or rubric.id is None:
        return Scored(0, 0)
    row = db.session.execute(
        db.select(db.func.count(Score.id), db.func.count(db.distinct(Score.judge_id)))
        .join(Criterion, Criterion.id == Score.criterion_id)
        .where(Criterion.rubric_id == rubric.id)
    ).one()
    return Scored(row[0], row[1])


def scored_in(challenge: Challenge) -> Scored:
    """Scores given to the challenge's entries, on whichever rubric judged them."""
    row = db.session.execute(
        db.select(db.func.count(Score.id), db.func.count(db.distinct(Score.judge_id)))
        .join(Submission, Submission.id == Score.submission_id)
        .where(Submission.challenge_id == challenge.id)
    ).one()
    return Scored(row[0], row[1])


# --- rules ------------------------------------------------------------------------------


def level_problem(scale_min: int, scale_max: int, levels: list[str]) -> str | None:
    """What is wrong with a criterion's level sentences, in words naming the levels."""
    wanted = scale_max - scale_min + 1
    if len(levels) > wanted:
        return (
            f"There are {len(levels)} lines for the {wanted} levels {scale_min} to {scale_max}: "
            "write one sentence per level, one per line."
        )
    missing = [
        str(level)
        for i, level in enumerate(range(scale_min, scale_max + 1))
        if i >= len(levels) or not levels[i].strip()
    ]
    if missing:
        which = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " and " + missing[-1]
        noun = "level" if len(missing) == 1 else "levels"
        return (
            f"Write a sentence for {noun} {which}: one line per level, "
            f"from {scale_min} at the top to {scale_max} at the bottom."
        )
    long = [
        str(scale_min + i) for i, line in enumerate(levels) if len(line.strip()) > SENTENCE_LIMIT
    ]
    if long:
        return f"Keep each sentence under {SENTENCE_LIMIT} characters (level {long[0]} is longer)."
    return None


def scale_problem(scale_min: int, scale_max: int) -> str | None:
    if not (
        SCORE_FLOOR <= scale_min <= SCORE_CEILING and SCORE_FLOOR <= scale_max <= SCORE_CEILING
    ):
        return f"Levels go from {SCORE_FLOOR} to {SCORE_CEILING} at most."
    if scale_max <= scale_min:
        return "The highest level must be above the lowest."
    return None


def weight_problem(weight: float) -> str | None:
    if not math.isfinite(weight) or weight <= 0 or weight > MAX_WEIGHT:
        return f"Enter a weight above 0 and up to {MAX_WEIGHT}, such as 1, 2 or 0.5."
    return None


def _check(items: list[dict]) -> None:
    """The rules over the whole rubric (each row's shape is the form's, checked again here
    so that every caller of the service keeps them)."""
    if not items:
        raise DomainError("A rubric needs at least one criterion.")
    if len(items) > MAX_CRITERIA:
        raise DomainError(f"A rubric has at most {MAX_CRITERIA} criteria.")
    seen: dict[str, str] = {}
    for item in items:
        name = item["name"].strip()
        if not name:
            raise DomainError("Every criterion needs a name.")
        key = " ".join(name.casefold().split())
        if key in seen:
            raise DomainError(f"Two criteria are called “{name}”: give each its own name.")
        seen[key] = name
        problem = (
            weight_problem(item["weight"])
            or scale_problem(item["scale_min"], item["scale_max"])
            or level_problem(item["scale_min"], item["scale_max"], item["levels"])
        )
        if problem:
            raise DomainError(f"“{name}”: {problem}")
    tie_breakers = [item["name"] for item in items if item.get("breaks_ties")]
    if len(tie_breakers) > 1:
        raise DomainError(
            "Mark at most one criterion as the tie-break: you marked "
            + " and ".join(f"“{n}”" for n in tie_breakers)
            + "."
        )


def _check_scores_fit(criterion: Criterion, item: dict) -> None:
    """A scale may change only while every score already given still fits in it."""
    if (item["scale_min"], item["scale_max"]) == (criterion.scale_min, criterion.scale_max):
        return
    low, high = db.session.execute(
        db.select(db.func.min(Score.value), db.func.max(Score.value)).where(
            Score.criterion_id == criterion.id
        )
    ).one()
    if low is not None and (low < item["scale_min"] or high > item["scale_max"]):
        given = f"a score of {low}" if low == high else f"scores from {low} to {high}"
        raise DomainError(
            f"“{criterion.name}” already has {given}, outside the new scale "
            f"{item['scale_min']} to {item['scale_max']}. Keep a scale that includes them, "
            "or remove the criterion (and its scores) instead.",
        )


def _confirm(scored: Scored, confirmed: bool, what: str) -> None:
    if scored and not confirmed:
        raise ConfirmationNeeded(
            f"{scored.sentence()} {what}. Nothing was changed: tick the confirmation box "
            "to go ahead.",
            field="confirm",
        )


def _clean(item: dict) -> dict:
    levels = [line.strip() for line in item["levels"]]
    return {
        "name": " ".join(item["name"].split()),
        "description": item.get("description", "").strip(),
        "weight": float(item["weight"]),
        "scale_min": int(item["scale_min"]),
        "scale_max": int(item["scale_max"]),
        "levels": levels,
        "breaks_ties": bool(item.get("breaks_ties")),
    }


# --- changes ----------------------------------------------------------------------------


def save_rubric(rubric: Rubric, data: dict, *, actor) -> dict:
    """Make the rubric hold exactly ``data["criteria"]`` (dicts with an ``id`` for an existing
    criterion, in the order wanted). Returns what changed (empty when nothing did)."""
    event = db.session.get(Event, rubric.event_id)
    check_not_final(event, "the rubric")
    items = [{"id": item.get("id"), **_clean(item)} for item in data["criteria"]]
    _check(items)
    existing = {c.id: c for c in rubric.criteria} if rubric.id is not None else {}
    unknown = [item["id"] for item in items if item["id"] and item["id"] not in existing]
    if unknown:
        raise DomainError(
            "This rubric was changed since you opened it. Reload the page and make your "
            "change again."
        )
    kept = {item["id"] for item in items if item["id"]}
    removed = [c for cid, c in existing.items() if cid not in kept]
    changes = _changes(rubric, existing, items, removed)
    if rubric.id is not None and not changes:
        return {}
    for item in items:
        if item["id"]:
            _check_scores_fit(existing[item["id"]], item)
    scored = scored_on(rubric)
    _confirm(
        scored,
        data.get("confirmed", False),
        "for this rubric; removing a criterion deletes its scores",
    )
    deleted = _delete_scores([c.id for c in removed])
    ordered = []
    for item in items:
        criterion = existing.get(item["id"]) or Criterion()
        for name in FIELDS:
            setattr(criterion, name, item[name])
        ordered.append(criterion)
    for position, criterion in enumerate(ordered):
        criterion.position = position
    rubric.criteria = ordered  # the ones left out are orphans, deleted on flush
    db.session.add(rubric)
    _flush_new(rubric)
    action = "rubric.change_after_scoring" if scored else "rubric.save"
    audit(
        actor,
        action,
        rubric,
        event=event,
        challenge=rubric.challenge.slug if rubric.challenge else None,
        scores=scored.scores,
        judges=scored.judges,
        deleted_scores=deleted,
        **changes,
    )
    return changes


def _flush_new(rubric: Rubric) -> None:
    """Two organizers saving a first rubric at once: the second is told, not shown a 500."""
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise DomainError(
            "Someone else saved this rubric a moment ago. Reload the page to see it."
        ) from None


def _changes(rubric: Rubric, existing: dict, items: list[dict], removed: list) -> dict:
    if rubric.id is None:
        return {"created": [item["name"] for item in items]}
    changes: dict = {}
    added = [item["name"] for item in items if not item["id"]]
    changed = {}
    for item in items:
        if item["id"]:
            before = existing[item["id"]]
            fields = [name for name in FIELDS if getattr(before, name) != item[name]]
            if fields:
                changed[before.name] = fields
    order_before = [c.id for c in rubric.criteria if c.id in {i["id"] for i in items}]
    order_after = [item["id"] for item in items if item["id"]]
    if added:
        changes["added"] = added
    if removed:
        changes["removed"] = [c.name for c in removed]
    if changed:
        changes["changed"] = changed
    if order_before != order_after:
        changes["reordered"] = [item["name"] for item in items]
    return changes


def _delete_scores(criterion_ids: list[int]) -> int:
    """Scores go with their criterion (explicitly: SQLite may run without foreign keys)."""
    if not criterion_ids:
        return 0
    return db.session.execute(
        db.delete(Score)
        .where(Score.criterion_id.in_(criterion_ids))
        .execution_options(synchronize_session=False)
    ).rowcount


def _delete_challenge_scores(challenge: Challenge) -> int:
    entry_ids = db.select(Submission.id).where(Submission.challenge_id == challenge.id)
    return db.session.execute(
        db.delete(Score)
        .where(Score.submission_id.in_(entry_ids))
        .execution_options(synchronize_session=False)
    ).rowcount


def create_challenge_rubric(challenge: Challenge, data: dict, *, actor) -> Rubric:
    """Give a challenge its own rubric, a copy of the event's (or of the starting rubric).
    Scores its entries already have were given on the event's rubric: they no longer apply
    and are deleted, once confirmed."""
    event = challenge.event
    check_not_final(event, "the rubric")
    if rubric_of(event, challenge) is not None:
        raise DomainError(f"“{challenge.title}” already has its own rubric.")
    scored = scored_in(challenge)
    _confirm(
        scored,
        data.get("confirmed", False),
        f"for entries of “{challenge.title}”, given on the event's rubric; "
        "a rubric of its own deletes them",
    )
    deleted = _delete_challenge_scores(challenge)
    rubric = Rubric(event_id=event.id, challenge_id=challenge.id)
    for position, item in enumerate(criteria_data(rubric_of(event, None))):
        rubric.criteria.append(
            Criterion(position=position, **{name: item[name] for name in FIELDS})
        )
    db.session.add(rubric)
    _flush_new(rubric)
    audit(
        actor,
        "rubric.change_after_scoring" if scored else "rubric.challenge_create",
        rubric,
        event=event,
        challenge=challenge.slug,
        created=[c.name for c in rubric.criteria],
        deleted_scores=deleted,
    )
    return rubric


def remove_challenge_rubric(challenge: Challenge, data: dict, *, actor) -> None:
    """The event's rubric applies to the challenge again; scores on the removed rubric go."""
    event = challenge.event
    check_not_final(event, "the rubric")
    rubric = rubric_of(event, challenge)
    if rubric is None:
        raise DomainError(f"“{challenge.title}” uses the event's rubric already.")
    scored = scored_on(rubric)
    _confirm(
        scored,
        data.get("confirmed", False),
        f"on the rubric of “{challenge.title}”; removing it deletes them",
    )
    deleted = _delete_scores([c.id for c in rubric.criteria])
    audit(
        actor,
        "rubric.change_after_scoring" if scored else "rubric.challenge_remove",
        rubric,
        event=event,
        challenge=challenge.slug,
        removed=[c.name for c in rubric.criteria],
        deleted_scores=deleted,
    )
    db.session.delete(rubric)
    db.session.flush()
