"""What the organizers' judging dashboard shows: progress per judge and per entry, each
judge's spread of scores, agreement between judges per criterion, and every score as CSV.

A fixed number of queries whatever the size of the event: rows are read once, flat, and
counted here, never looked up per judge or per entry.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from markupsafe import Markup
from sqlalchemy import func
from sqlalchemy.orm import aliased, joinedload

from eventhub.accounts.models import User
from eventhub.challenges.models import Challenge
from eventhub.events.models import Event
from eventhub.extensions import db
from eventhub.judging import svg
from eventhub.judging.agreement import krippendorff_alpha_interval
from eventhub.judging.models import Assignment, Criterion, Review, Rubric, Score
from eventhub.judging.queries import (
    SUBMITTED,
    finalist_ids,
    judges_of,
    rubric_for,
    rubrics_of,
    settings_of,
)
from eventhub.submissions.models import Submission
from eventhub.teams.export import cell
from eventhub.teams.models import Team
from eventhub.timefmt import format_datetime


@dataclass
class JudgeProgress:
    user: User
    dropped: bool
    assigned: int = 0
    complete: int = 0
    levels: list[tuple[int, int]] = field(default_factory=list)  # (level, how many scores)
    chart: Markup = Markup("")

    @property
    def scored(self) -> int:
        return sum(count for _, count in self.levels)


@dataclass
class EntryProgress:
    entry: Submission
    assigned: int = 0
    complete: int = 0


@dataclass
class Agreement:
    criterion: Criterion
    rubric_label: str
    alpha: float | None
    entries: int  # entries that two or more judges scored on this criterion

    @property
    def reading(self) -> str:
        return reading(self.alpha)


@dataclass
class Dashboard:
    k: int
    judges: list[JudgeProgress]
    entries: list[EntryProgress]
    agreement: list[Agreement]
    has_rubric: bool

    @property
    def short_entries(self) -> list[EntryProgress]:
        """Entries with fewer than k complete sheets: the ones to chase."""
        return [e for e in self.entries if e.complete < self.k]


def reading(alpha: float | None) -> str:
    """Krippendorff's own guide: 0.8 and up can be relied on, 0.667 to 0.8 only for
    tentative conclusions, below that the judges are not reading the scale alike."""
    if alpha is None:
        return (
            "Not enough overlap: agreement needs entries scored by at least two judges, "
            "with some spread in the scores."
        )
    if alpha >= 0.995:
        return "The judges agree perfectly."
    if alpha >= 0.8:
        return "The judges agree closely: their scores on this criterion can be relied on."
    if alpha >= 0.667:
        return "The judges broadly agree: trust clear differences, not small ones."
    if alpha >= 0:
        return (
            "The judges often disagree: talk through what each level means before "
            "relying on small differences."
        )
    return (
        "The judges disagree more than chance would: check that everyone reads the "
        "scale the same way (and in the same direction)."
    )


def _entries_in_play(event: Event, pairwise: bool) -> list[Submission]:
    """Entries the rubric round judges, with team and challenge loaded in the same query."""
    entries = list(
        db.session.scalars(
            db.select(Submission)
            .where(Submission.event_id == event.id, Submission.state == SUBMITTED)
            .options(joinedload(Submission.team), joinedload(Submission.challenge))
            .order_by(Submission.title, Submission.id)
        )
    )
    if not pairwise:
        return entries
    chosen = finalist_ids(event)
    return [e for e in entries if e.id in chosen]


def _scale(rubrics: dict, values: list[int]) -> range:
    criteria = [c for r in rubrics.values() for c in r.criteria]
    low = min([c.scale_min for c in criteria] + values, default=1)
    high = max([c.scale_max for c in criteria] + values, default=5)
    return range(low, high + 1)


def _criterion_ids(rubric: Rubric | None) -> set[int]:
    return {c.id for c in rubric.criteria} if rubric is not None else set()


def build(event: Event) -> Dashboard:
    settings = settings_of(event)
    judges = judges_of(event, include_dropped=True)
    entries = _entries_in_play(event, settings.pairwise)
    rubrics = rubrics_of(event)
    in_play = {e.id: e for e in entries}
    assigned = db.session.execute(
        db.select(Assignment.judge_id, Assignment.submission_id).where(
            Assignment.event_id == event.id
        )
    ).all()
    scores = db.session.execute(
        db.select(Score.judge_id, Score.submission_id, Score.criterion_id, Score.value).where(
            Score.event_id == event.id
        )
    ).all()

    scored: dict[tuple[int, int], set[int]] = defaultdict(set)
    values: dict[int, list[int]] = defaultdict(list)
    for judge_id, entry_id, criterion_id, value in scores:
        scored[(judge_id, entry_id)].add(criterion_id)
        values[judge_id].append(value)
    needed = {e.id: _criterion_ids(rubric_for(rubrics, e.challenge_id)) for e in entries}

    def complete(judge_id: int, entry_id: int) -> bool:
        want = needed[entry_id]
        return bool(want) and want <= scored.get((judge_id, entry_id), set())

    per_judge = {u.id: JudgeProgress(u, p.dropped_at is not None) for u, p in judges}
    per_entry = {e.id: EntryProgress(e) for e in entries}
    for judge_id, entry_id in assigned:
        if entry_id not in in_play:
            continue
        done = complete(judge_id, entry_id)
        per_entry[entry_id].assigned += 1
        per_entry[entry_id].complete += done
        if judge_id in per_judge:
            per_judge[judge_id].assigned += 1
            per_judge[judge_id].complete += done

    levels = _scale(rubrics, [s.value for s in scores])
    for row in per_judge.values():
        counts = Counter(values.get(row.user.id, []))
        row.levels = [(level, counts.get(level, 0)) for level in levels]
        row.chart = judge_chart(row)
    return Dashboard(
        k=settings.judges_per_entry,
        judges=list(per_judge.values()),
        entries=list(per_entry.values()),
        agreement=_agreement(event, rubrics, scores),
        has_rubric=any(r.criteria for r in rubrics.values()),
    )


def judge_chart(row: JudgeProgress) -> Markup:
    name = row.user.name
    described = "; ".join(
        f"level {level}: {count} score{'' if count == 1 else 's'}" for level, count in row.levels
    )
    total = row.scored
    return svg.histogram(
        [(str(level), count) for level, count in row.levels],
        chart_id=f"judge-{row.user.id}-scores",
        title=f"Scores given by {name}, by level",
        desc=f"{total} score{'' if total == 1 else 's'} in all. {described.capitalize()}.",
    )


def _agreement(event: Event, rubrics: dict, scores) -> list[Agreement]:
    """Per criterion: units are the entries, coders the judges, values that criterion's
    scores (Krippendorff's alpha, interval metric)."""
    titles = dict(
        db.session.execute(
            db.select(Challenge.id, Challenge.title).where(Challenge.event_id == event.id)
        ).all()
    )
    units: dict[int, dict[int, dict[int, float]]] = defaultdict(lambda: defaultdict(dict))
    for judge_id, entry_id, criterion_id, value in scores:
        units[criterion_id][entry_id][judge_id] = float(value)
    found = []
    ordered = sorted(rubrics.items(), key=lambda item: (item[0] is not None, item[0] or 0))
    for challenge_id, rubric in ordered:
        label = "Event rubric" if challenge_id is None else titles.get(challenge_id, "Challenge")
        for criterion in rubric.criteria:
            by_entry = units.get(criterion.id, {})
            alpha = krippendorff_alpha_interval(by_entry)
            overlap = sum(1 for coders in by_entry.values() if len(coders) >= 2)
            found.append(Agreement(criterion, label, alpha, overlap))
    return found


def scores_csv(event: Event) -> str:
    """Every score of the event, one row each, with the sheet's comment and private note.
    Text cells are guarded so a spreadsheet never runs one as a formula."""
    zone = event.timezone
    judge = aliased(User)
    totals = dict(
        db.session.execute(
            db.select(Criterion.rubric_id, func.sum(Criterion.weight))
            .join(Rubric, Rubric.id == Criterion.rubric_id)
            .where(Rubric.event_id == event.id)
            .group_by(Criterion.rubric_id)
        ).all()
    )
    rows = db.session.execute(
        db.select(
            Challenge.title,
            Submission.title,
            Team.name,
            judge.name,
            judge.email,
            Criterion.name,
            Score.value,
            Criterion.scale_min,
            Criterion.scale_max,
            Criterion.weight,
            Criterion.rubric_id,
            Review.comment_for_team,
            Review.note_for_organizers,
            Score.updated_at,
        )
        .join(Submission, Submission.id == Score.submission_id)
        .join(Team, Team.id == Submission.team_id)
        .join(judge, judge.id == Score.judge_id)
        .join(Criterion, Criterion.id == Score.criterion_id)
        .outerjoin(Challenge, Challenge.id == Submission.challenge_id)
        .outerjoin(
            Review,
            (Review.judge_id == Score.judge_id) & (Review.submission_id == Score.submission_id),
        )
        .where(Score.event_id == event.id)
        .order_by(Submission.title, Submission.id, judge.name, judge.id, Criterion.position)
    ).all()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER[:-1] + [f"updated at ({zone})"])
    for (
        challenge,
        project,
        team,
        name,
        email,
        criterion,
        value,
        low,
        high,
        weight,
        rubric_id,
        comment,
        note,
        updated,
    ) in rows:
        share = weight / totals[rubric_id] if totals.get(rubric_id) else 0
        writer.writerow(
            [cell(event.title), cell(challenge or ""), cell(project), cell(team)]
            + [cell(name), cell(email), cell(criterion), value, f"{low} to {high}"]
            + [
                f"{share:.4f}",
                cell(comment or ""),
                cell(note or ""),
                format_datetime(updated, zone),
            ]
        )
    return out.getvalue()


HEADER = [
    "event",
    "challenge",
    "project",
    "team",
    "judge",
    "judge email",
    "criterion",
    "value",
    "scale",
    "weight",
    "comment for team",
    "private note",
    "updated at",
]
