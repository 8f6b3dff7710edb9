"""The event's results, computed from its scores on every request (nothing is cached, so a
late score or a new tie-break shows at once). The issue's budget is 200 ms for a thousand
entries (30,000 scores); bench/judging.py measures it and shows where the time goes.

What counts:
- The entries in play (judging.queries.rubric_entries' rule, read as plain rows by
  queries.entries_in_play): submitted ones, or a pairwise round's finalists. Each is judged
  by its challenge's rubric where one replaces the event's.
- Complete sheets only: a judge's scores for an entry count once every criterion of the
  entry's rubric is scored. A judge's total is the sum of weight x level, weights normalized
  to sum to 1, so totals are on the criteria's own scale.
- Scores of a judge who dropped out still count (they scored before leaving). Scores of a
  judge conflicted with the entry's team (declared, recused, or a member) never count, even
  when the conflict came to light after scoring.

How it is ranked: the additive judge-bias model (judging.ranking.fit_additive) is fitted once
per rubric, over every entry judged by it: a judge's harshness is then measured on all the
entries they scored, and the judge-entry graph that assignment keeps connected is used whole.
A challenge's ranking is its entries' part of that fit; the overall ranking is that same fit
when the event has one rubric, else one fit over every total (each entry's total from its own
rubric: the caveat the page states). Ties (qualities closer than the larger SE) are broken by
the rubric's pre-declared criterion (the plain mean of that criterion over the entry's
complete sheets, higher first), then by the organizer's recorded decisions.
"""

from __future__ import annotations

import gc
import math
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice

from eventhub.challenges.models import Challenge
from eventhub.events.models import Event
from eventhub.judging.models import Criterion, JudgingSettings, Rubric
from eventhub.judging.queries import (
    results_published,
    rubric_for,
    rubrics_of,
    settings_of,
)
from eventhub.judging.ranking import Fit, fit_additive, standings
from eventhub.results import queries
from eventhub.results.voting import Tally, tally

SHOWN_NAMES = 3  # a row names this many tie partners, then says how many more


@dataclass(frozen=True)
class Entry:
    id: int
    title: str
    team_id: int
    team_name: str
    challenge_id: int | None


@dataclass
class Row:
    """One entry's line in a ranking. Its ties are split three ways, as ids in final order:
    settled by the pre-declared criterion, settled by a recorded decision, still open. With
    a thousand entries an entry can tie with hundreds of others, so they stay plain ids."""

    entry: Entry
    place: int
    quality: float
    se: float
    raw_mean: float
    judges: int
    by_criterion: tuple[int, ...] = ()  # the first few; by_criterion_count says how many
    by_criterion_count: int = 0
    by_decision: tuple[int, ...] = ()
    open_ties: tuple[int, ...] = ()
    votes: int = 0

    @property
    def quality_text(self) -> str:
        """ "3.42 ± 0.21"; without the ± when nothing measures the noise (one judge each)."""
        if math.isnan(self.se):
            return f"{self.quality:.2f}"
        return f"{self.quality:.2f} ± {self.se:.2f}"


@dataclass(frozen=True)
class Decision:
    above: Entry
    below: Entry
    reason: str
    decided_by: str
    at: datetime


@dataclass(frozen=True)
class CriterionMean:
    criterion: Criterion
    mean: float | None
    count: int


@dataclass
class Ranking:
    """One table of the results: a challenge's (key = its id) or the overall one (None)."""

    key: int | None
    title: str
    challenge: Challenge | None
    rows: list[Row]
    unranked: list[Entry]
    tie_criterion: Criterion | None
    decisions: list[Decision]
    entries: dict[int, Entry] = field(repr=False, default_factory=dict)

    @property
    def slug(self) -> str:
        return "overall" if self.key is None else str(self.key)

    @property
    def tied_entries(self) -> list[Entry]:
        """Entries with an open tie: the choices of the form that breaks one."""
        return [row.entry for row in self.rows if row.open_ties]

    @property
    def open_tie_count(self) -> int:
        return sum(len(row.open_ties) for row in self.rows) // 2

    @property
    def prize_slots(self) -> int:
        return sum(p.winners for p in self.challenge.prizes) if self.challenge else 0

    @property
    def blocking_pairs(self) -> list[tuple[Entry, Entry]]:
        """Open ties that reach the places a prize can go to (1..prize_slots), each once as
        (upper, lower): publishing waits for these."""
        slots = self.prize_slots
        place = {row.entry.id: row.place for row in self.rows}
        return [
            (row.entry, self.entries[other])
            for row in self.rows[:slots]
            for other in row.open_ties
            if place[other] > row.place
        ]

    def names(self, ids, total: int | None = None) -> str:
        """ "A, B and C" or "A, B, C and 12 more" (``total``: how many ``ids`` stand for)."""
        titles = [self.entries[i].title for i in ids[:SHOWN_NAMES]]
        rest = (len(ids) if total is None else total) - len(titles)
        if rest:
            return f"{', '.join(titles)} and {rest} more"
        return titles[0] if len(titles) == 1 else f"{', '.join(titles[:-1])} and {titles[-1]}"

    def row_of(self, entry_id: int) -> Row | None:
        return next((row for row in self.rows if row.entry.id == entry_id), None)


@dataclass
class Results:
    event: Event
    settings: JudgingSettings
    entries: dict[int, Entry]
    rankings: list[Ranking]
    challenges: list[Challenge]
    awards: dict[int, list[Entry]]
    incomplete: dict[int, int]
    rubric_of: dict[int, Rubric | None]
    sheet_judges: dict[int, list[int]] = field(repr=False)
    several_rubrics: bool = False
    votes_shown: bool = False
    votes: Tally = field(default_factory=Tally)

    @property
    def published(self) -> bool:
        return results_published(self.settings)

    def ranking(self, key: int | None) -> Ranking | None:
        return next((r for r in self.rankings if r.key == key), None)

    def criterion_means(self, entry_id: int) -> list[CriterionMean]:
        """Per criterion of the entry's rubric, the plain mean level over the sheets that
        counted (what the team sees; no judge's own levels). One more query."""
        rubric = self.rubric_of.get(entry_id)
        counted = set(self.sheet_judges.get(entry_id, []))
        levels: dict[int, list[int]] = defaultdict(list)
        for judge, criterion_id, value in queries.entry_scores(self.event, entry_id):
            if judge in counted:
                levels[criterion_id].append(value)
        found = []
        for criterion in rubric.criteria if rubric else []:
            values = levels.get(criterion.id, [])
            mean = sum(values) / len(values) if values else None
            found.append(CriterionMean(criterion, mean, len(values)))
        return found

    def placements(self, entry_id: int) -> list[tuple[Ranking, Row]]:
        found = []
        for ranking in self.rankings:
            row = ranking.row_of(entry_id)
            if row is not None:
                found.append((ranking, row))
        return found


@contextmanager
def _cycle_collector_paused():
    """The computation makes tens of thousands of small tuples and dicts, none in a cycle, so
    reference counting frees them all. Left on, the cyclic collector would run a full pass
    midway, over the whole heap (the app's modules and ORM state), and double the time."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def compute_results(event: Event) -> Results:
    """Everything the results pages show, in a fixed number of queries."""
    with _cycle_collector_paused():
        return _compute(event)


def _compute(event: Event) -> Results:
    settings = settings_of(event)
    entries = {row[0]: Entry(*row) for row in queries.entries_in_play(event, settings)}
    rubrics = rubrics_of(event)
    rubric_of = {e.id: rubric_for(rubrics, e.challenge_id) for e in entries.values()}
    sheets = _Sheets(entries, rubric_of, queries.conflicted_teams(event))
    for row in queries.sheet_sums(event):
        sheets.add(*row)

    by_rubric: dict[int, list[tuple[int, int, float]]] = defaultdict(list)
    for judge, entry, total in sheets.totals:
        by_rubric[rubric_of[entry].id].append((judge, entry, total))
    fits = {rubric_id: fit_additive(ratings) for rubric_id, ratings in by_rubric.items()}
    several = len(fits) > 1
    overall_fit = fit_additive(sheets.totals) if several else next(iter(fits.values()), None)

    votes = tally(event)
    context = _Context(entries, sheets, votes.counts, queries.tie_breaks_of(event))
    challenges = queries.challenges_of(event)
    rankings = []
    for challenge in challenges:
        rubric = rubric_for(rubrics, challenge.id)
        members = [e for e in entries.values() if e.challenge_id == challenge.id]
        fit = fits.get(rubric.id) if rubric is not None else None
        rankings.append(
            context.rank(challenge.id, challenge.title, challenge, members, fit, rubric)
        )
    if len(challenges) != 1 or any(e.challenge_id is None for e in entries.values()):
        title = "Overall" if challenges else "All entries"
        by_id = {r.id: r for r in rubrics.values()}
        shared = by_id[next(iter(fits))] if len(fits) == 1 else None
        rankings.append(
            context.rank(None, title, None, list(entries.values()), overall_fit, shared)
        )
    awarded = queries.awards_of(event)
    everyone = dict(entries)
    outside = {s for ids in awarded.values() for s in ids} - everyone.keys()
    everyone.update({row[0]: Entry(*row) for row in queries.entry_labels(event, outside)})
    return Results(
        event=event,
        settings=settings,
        entries=entries,
        rankings=rankings,
        challenges=challenges,
        awards={p: [everyone[s] for s in ids if s in everyone] for p, ids in awarded.items()},
        incomplete=dict(sheets.incomplete),
        rubric_of=rubric_of,
        sheet_judges=dict(sheets.judges),
        several_rubrics=several,
        votes_shown=bool(votes.cast) or settings.voting_opens_at is not None,
        votes=votes,
    )


class _Sheets:
    """Sorts the judges' sheets (one summed row each, from queries.sheet_sums): a sheet
    counts when it is for an entry in play, scores every criterion of the entry's own
    rubric, and its judge is not conflicted with the entry's team."""

    def __init__(self, entries, rubric_of, conflicted):
        self.entries, self.rubric_of, self.conflicted = entries, rubric_of, conflicted
        self.size = {}
        self.weight = {}
        for rubric in {r.id: r for r in rubric_of.values() if r is not None}.values():
            self.size[rubric.id] = len(rubric.criteria)
            self.weight[rubric.id] = sum(c.weight for c in rubric.criteria)
        self.totals: list[tuple[int, int, float]] = []
        self.judges: dict[int, list[int]] = defaultdict(list)
        self.tie_levels: dict[int, int] = defaultdict(int)
        self.incomplete: dict[int, int] = defaultdict(int)

    def add(self, judge, entry, rubric_id, weighted, scored, tie_level) -> None:
        rubric = self.rubric_of.get(entry)
        if rubric is None or rubric.id != rubric_id or not self.size.get(rubric_id):
            return
        if self.conflicted and self.entries[entry].team_id in self.conflicted.get(judge, ()):
            return
        if scored < self.size[rubric_id]:
            self.incomplete[entry] += 1
            return
        # Weights normalized to sum to 1: the total stays on the criteria's own scale.
        self.totals.append((judge, entry, weighted / self.weight[rubric_id]))
        self.judges[entry].append(judge)
        self.tie_levels[entry] += tie_level


class _Context:
    """What every ranking of one computation shares."""

    def __init__(self, entries, sheets: _Sheets, counts, tie_breaks):
        self.entries, self.sheets = entries, sheets
        self.counts = counts
        self.tie_breaks = tie_breaks

    def hint_values(self, rubric: Rubric | None, ids) -> tuple[Criterion | None, dict | None]:
        """The pre-declared criterion and each entry's plain mean on it (rounded, so float
        noise never decides a tie)."""
        criterion = next((c for c in rubric.criteria if c.breaks_ties), None) if rubric else None
        if criterion is None:
            return None, None
        levels, judges = self.sheets.tie_levels, self.sheets.judges
        return criterion, {e: round(levels[e] / len(judges[e]), 9) for e in ids}

    def rank(self, key, title, challenge, members, fit: Fit | None, rubric) -> Ranking:
        ranked = {e.id for e in members if fit is not None and e.id in fit.entries}
        criterion, hints = self.hint_values(rubric, ranked)
        decisions = [
            d
            for d in self.tie_breaks
            if d.challenge_id == key and d.above_id in ranked and d.below_id in ranked
        ]
        decided: dict[int, set[int]] = defaultdict(set)
        for d in decisions:
            decided[d.above_id].add(d.below_id)
            decided[d.below_id].add(d.above_id)
        rows = []
        if ranked:
            part = Fit({e: fit.entries[e] for e in ranked}, fit.bias, fit.iterations)
            hint = (lambda e: (-hints[e],)) if hints is not None else None
            pairs = [(d.above_id, d.below_id) for d in decisions]
            table = standings(part, hint, pairs)
            place = {s.entry: s.place for s in table}
            alike: dict[float, list[int]] = defaultdict(list)
            for entry_id, value in (hints or {}).items():
                alike[value].append(entry_id)
            for s in table:
                result = fit.entries[s.entry]
                rows.append(self._row(s, result, hints, alike, place, decided.get(s.entry)))
        # Shown: the latest decision about each pair that still orders a tie (more scores
        # may have parted the two, or the criterion may now tell them apart).
        applied = {(row.entry.id, other) for row in rows for other in row.by_decision}
        latest = {frozenset((d.above_id, d.below_id)): d for d in decisions}
        shown = [d for d in latest.values() if (d.above_id, d.below_id) in applied]
        return Ranking(
            key=key,
            title=title,
            challenge=challenge,
            rows=rows,
            unranked=[e for e in members if e.id not in ranked],
            tie_criterion=criterion,
            decisions=[
                Decision(
                    self.entries[d.above_id],
                    self.entries[d.below_id],
                    d.reason,
                    d.decided_by.name if d.decided_by else "a former account",
                    d.created_at,
                )
                for d in shown
            ],
            entries=self.entries,
        )

    def _row(self, standing, result, hints, alike, place, decided) -> Row:
        """Split the entry's ties: a different mean on the criterion settles one (standings
        ordered them by it), else a recorded decision does, else it is open. Entries with
        the same mean are looked up in ``alike`` (value -> ids) rather than by walking every
        partner: an entry of a thousand can tie with hundreds."""
        tied = standing.tied_with
        settled = ()
        count = 0
        if hints is not None and tied:
            mine = hints[standing.entry]
            partners = set(tied)
            same = sorted((o for o in alike[mine] if o in partners), key=place.__getitem__)
            count = len(tied) - len(same)
            settled = tuple(islice((o for o in tied if hints[o] != mine), SHOWN_NAMES))
            tied = tuple(same)
        by_decision = tuple(o for o in tied if o in decided) if decided else ()
        return Row(
            entry=self.entries[standing.entry],
            place=standing.place,
            quality=result.quality,
            se=result.se,
            raw_mean=result.raw_mean,
            judges=result.judges,
            by_criterion=settled,
            by_criterion_count=count,
            by_decision=by_decision,
            open_ties=tuple(o for o in tied if o not in decided) if decided else tied,
            votes=self.counts.get(standing.entry, 0),
        )
