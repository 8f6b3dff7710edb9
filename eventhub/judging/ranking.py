"""Bias-corrected ranking of rubric scores: the additive judge-bias model of REFERENCE.md.

Judges differ in harshness and each sees only some entries, so a plain mean rewards entries
that happened to draw lenient judges. The model ``score(judge, entry) = quality(entry) +
bias(judge) + noise`` separates the two, and is fitted by alternating the two conditional means:

    quality_e = mean over the entry's judges of (score - bias_j)
    bias_j    = sum over the judge's entries of (score - quality_e) / (n_j + 2)

re-centring the biases to mean 0 after each round, until nothing moves by more than 1e-9. The
``+ 2`` shrinks a judge's bias toward 0 as if every judge had also given two perfectly average
scores: a judge who scored once cannot be called harsh on that evidence alone.

Pure Python by design (no numpy): the fit runs on every results page, and the loops below are
arranged so the per-iteration work is ``sum(map(...))`` over precomputed index tuples, which
runs in C. Everything is sorted by id first, so the same ratings in any order give bit-for-bit
the same fit.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from operator import mul, sub

TOLERANCE = 1e-9
MAX_ITERATIONS = 10_000
# Qualities closer than this are the same number up to the fit's own precision, and always a
# tie, even when the standard errors are 0 or unknown.
SAME_QUALITY = 1e-7


@dataclass(frozen=True)
class EntryResult:
    """One entry's fitted quality on the rubric's scale, its standard error, and the plain
    mean and judge count the results page shows beside it."""

    entry: int
    quality: float
    se: float
    raw_mean: float
    judges: int


@dataclass(frozen=True)
class Fit:
    """The fitted model. ``iterations == MAX_ITERATIONS`` means the alternation was stopped
    before converging (only a very weakly linked judge-entry graph gets there)."""

    entries: dict[int, EntryResult]
    bias: dict[int, float]
    iterations: int


@dataclass(frozen=True)
class Standing:
    """An entry's final place; ``tied_with`` lists every entry it ties with (in final order),
    also when the tie was broken, so the page can say "tie, broken by ..."."""

    entry: int
    place: int
    tied_with: tuple[int, ...]


def fit_additive(ratings: Iterable[tuple[int, int, float]]) -> Fit:
    """Fit quality per entry and bias per judge from ``(judge_id, entry_id, total)`` triples.

    One triple per (judge, entry): a repeated pair raises ValueError, because it would count
    one judge's opinion twice.

    Standard errors: the noise variance is estimated from all residuals
    ``score - quality - bias`` with N - E - J + 1 degrees of freedom (N scores, E entries, J
    judges; the +1 because re-centring removes one free parameter), and
    ``SE_e = sigma / sqrt(n_e)``. When that leaves no degrees of freedom (too few scores to
    estimate both the biases and the noise) the spread of scores around each entry's raw mean
    is used instead (N - E degrees of freedom): it ignores bias, so it overstates the noise,
    which errs toward flagging ties rather than inventing a winner. When every entry has a
    single score nothing measures the noise at all and every SE is NaN.
    """
    triples = sorted((int(j), int(e), float(s)) for j, e, s in ratings)
    for (j1, e1, _), (j2, e2, _) in zip(triples, triples[1:], strict=False):
        if j1 == j2 and e1 == e2:
            raise ValueError(f"judge {j1} has more than one total for entry {e1}")
    if not triples:
        return Fit(entries={}, bias={}, iterations=0)

    entry_ids = sorted({e for _, e, _ in triples})
    judge_ids = sorted({j for j, _, _ in triples})
    entry_index = {e: i for i, e in enumerate(entry_ids)}
    judge_index = {j: i for i, j in enumerate(judge_ids)}
    judges_of: list[list[int]] = [[] for _ in entry_ids]
    entries_of: list[list[int]] = [[] for _ in judge_ids]
    entry_total = [0.0] * len(entry_ids)
    judge_total = [0.0] * len(judge_ids)
    for j, e, s in triples:  # sorted, so every list and sum is built in one fixed order
        ji, ei = judge_index[j], entry_index[e]
        judges_of[ei].append(ji)
        entries_of[ji].append(ei)
        entry_total[ei] += s
        judge_total[ji] += s

    quality, bias, iterations = _alternate(
        [tuple(js) for js in judges_of],
        [tuple(es) for es in entries_of],
        entry_total,
        judge_total,
    )
    sigma_of = _noise(triples, entry_index, judge_index, quality, bias, entry_total, judges_of)
    entries = {
        e: EntryResult(
            entry=e,
            quality=quality[i],
            se=sigma_of / math.sqrt(len(judges_of[i])),
            raw_mean=entry_total[i] / len(judges_of[i]),
            judges=len(judges_of[i]),
        )
        for i, e in enumerate(entry_ids)
    }
    return Fit(
        entries=entries,
        bias={j: bias[i] for i, j in enumerate(judge_ids)},
        iterations=iterations,
    )


def _alternate(
    judges_of: list[tuple[int, ...]],
    entries_of: list[tuple[int, ...]],
    entry_total: list[float],
    judge_total: list[float],
) -> tuple[list[float], list[float], int]:
    """The alternation itself. Sums of scores are fixed, so each step only needs the sum of
    the other side's current estimates: ``sum(map(list.__getitem__, index_tuple))``."""
    entry_weight = [1.0 / len(js) for js in judges_of]
    judge_weight = [1.0 / (len(es) + 2) for es in entries_of]
    judge_count = len(entries_of)
    quality = [0.0] * len(judges_of)
    bias = _fixed_point_bias(judges_of, entries_of, entry_weight, entry_total, judge_total)
    iterations = 0
    while iterations < MAX_ITERATIONS:
        iterations += 1
        bias_at = bias.__getitem__
        new_quality = [
            (total - sum(map(bias_at, js))) * w
            for total, js, w in zip(entry_total, judges_of, entry_weight, strict=True)
        ]
        quality_at = new_quality.__getitem__
        new_bias = [
            (total - sum(map(quality_at, es))) * w
            for total, es, w in zip(judge_total, entries_of, judge_weight, strict=True)
        ]
        centre = math.fsum(new_bias) / judge_count
        new_bias = [b - centre for b in new_bias]
        change = max(
            max(map(abs, map(sub, new_quality, quality))),
            max(map(abs, map(sub, new_bias, bias))),
        )
        quality, bias = new_quality, new_bias
        if change < TOLERANCE:
            break
    return quality, bias, iterations


def _fixed_point_bias(
    judges_of: list[tuple[int, ...]],
    entries_of: list[tuple[int, ...]],
    entry_weight: list[float],
    entry_total: list[float],
    judge_total: list[float],
) -> list[float]:
    """Where the alternation starts: its fixed point, solved directly.

    A round maps centred biases b to ``P(c + W M b)``: ``M[j][k]`` sums 1/n_e over the entries
    judges j and k share, ``W = diag(1 / (n_j + 2))``, c is the scores' part and P subtracts
    the mean. A fixed point is ``(D - M) b + mu d = D c`` with ``sum(b) = 0``, where
    ``D = diag(n_j + 2)`` and ``d = (n_j + 2)``. Each row of M sums to n_j, so ``D - M`` is
    symmetric and strictly diagonally dominant (positive definite): conjugate gradients solve
    ``(D - M) x = D c`` and ``(D - M) y = d`` in a few dozen products, each as cheap as one
    round, and ``b = x - mu y`` with mu making the biases sum to zero. The alternation then
    only confirms the answer in a round or two, whatever the shape of the judge-entry graph
    (on a weakly linked one it would otherwise crawl for hundreds of rounds).
    """
    size = len(entries_of)
    degree = [len(es) + 2.0 for es in entries_of]

    def product(b: list[float]) -> list[float]:
        at = b.__getitem__
        shared = [sum(map(at, js)) * w for js, w in zip(judges_of, entry_weight, strict=True)]
        shared_at = shared.__getitem__
        return [
            n * x - sum(map(shared_at, es)) for n, x, es in zip(degree, b, entries_of, strict=True)
        ]

    means = [t * w for t, w in zip(entry_total, entry_weight, strict=True)]
    means_at = means.__getitem__
    scores_part = [
        t - sum(map(means_at, es)) for t, es in zip(judge_total, entries_of, strict=True)
    ]
    x = _conjugate_gradient(product, scores_part, size)
    y = _conjugate_gradient(product, degree, size)
    mu = math.fsum(x) / math.fsum(y)
    return [a - mu * b for a, b in zip(x, y, strict=True)]


def _conjugate_gradient(product, rhs: list[float], size: int) -> list[float]:
    x = [0.0] * size
    residual = list(rhs)
    direction = list(residual)
    rr = math.fsum(r * r for r in residual)
    goal = 1e-26 * max(rr, 1e-300)
    for _ in range(4 * size + 10):
        if rr <= goal:
            break
        moved = product(direction)
        step = rr / math.fsum(map(mul, direction, moved))
        x = [a + step * d for a, d in zip(x, direction, strict=True)]
        residual = [r - step * m for r, m in zip(residual, moved, strict=True)]
        new_rr = math.fsum(r * r for r in residual)
        direction = [r + (new_rr / rr) * d for r, d in zip(residual, direction, strict=True)]
        rr = new_rr
    return x


def _noise(
    triples: list[tuple[int, int, float]],
    entry_index: dict[int, int],
    judge_index: dict[int, int],
    quality: list[float],
    bias: list[float],
    entry_total: list[float],
    judges_of: list[list[int]],
) -> float:
    """The noise standard deviation (see fit_additive for the fallbacks)."""
    n, e, j = len(triples), len(quality), len(bias)
    dof = n - e - j + 1
    if dof >= 1:
        rss = math.fsum(
            (s - quality[entry_index[ei]] - bias[judge_index[ji]]) ** 2 for ji, ei, s in triples
        )
        return math.sqrt(rss / dof)
    if n > e:
        means = [total / len(js) for total, js in zip(entry_total, judges_of, strict=True)]
        spread = math.fsum((s - means[entry_index[ei]]) ** 2 for _, ei, s in triples)
        return math.sqrt(spread / (n - e))
    return math.nan


def standings(
    fit: Fit,
    order_hint: Callable[[int], tuple] | None = None,
    tie_breaks: Sequence[tuple[int, int]] = (),
) -> list[Standing]:
    """Places 1..n, best first, with ties flagged.

    Two entries tie when their qualities differ by less than the larger of their SEs (a NaN SE
    counts as 0, and SAME_QUALITY is the least). Ties are pairwise, not groups: A may tie with
    B and B with C while A is clearly ahead of C.

    Order: by quality, then entry id. Then each entry, taken in that order, moves up past the
    entries directly above it for as long as it ties with them and wins the tie-break:

    1. ``order_hint(entry)``, smaller first (the caller passes e.g.
       ``lambda e: (-criterion_mean[e],)`` for the pre-declared criterion; keys compare
       exactly, so round them in the caller if float noise matters);
    2. when the hints are equal (or there is no hint), a recorded organizer decision
       ``(above, below)`` from ``tie_breaks``; a later decision about the same pair replaces an
       earlier one, and a decision about entries that do not tie changes nothing.

    Moving only past tied neighbours means a tie-break never lifts an entry above one it is
    clearly worse than.
    """
    ties = _Ties(sorted(fit.entries.values(), key=lambda r: (-r.quality, r.entry)))
    decided: dict[frozenset[int], int] = {}
    for above, below in tie_breaks:
        decided[frozenset((above, below))] = above
    entry_of = ties.entries
    hints = [order_hint(e) for e in entry_of] if order_hint is not None else None

    def wins_tie(lower: int, upper: int) -> bool:
        if hints is not None:
            lower_key, upper_key = hints[lower], hints[upper]
            if lower_key != upper_key:
                return lower_key < upper_key
        return decided.get(frozenset((entry_of[lower], entry_of[upper]))) == entry_of[lower]

    order: list[int] = []  # indexes in quality order
    if order_hint is not None or decided:
        for i in range(len(entry_of)):
            spot = len(order)
            while spot > 0 and ties.tied(i, order[spot - 1]) and wins_tie(i, order[spot - 1]):
                spot -= 1
            order.insert(spot, i)
    else:
        order = list(range(len(entry_of)))

    place = [0] * len(order)
    for n, i in enumerate(order, start=1):
        place[i] = n
    by_place = place.__getitem__
    entry_at = entry_of.__getitem__
    # partners() lists indexes in quality order; where no tie-break moved anything, that is
    # already the order of places.
    moved = {i for n, i in enumerate(order) if n != i}
    return [
        Standing(
            entry=entry_of[i],
            place=place[i],
            tied_with=tuple(
                map(entry_at, sorted(found, key=by_place) if moved.intersection(found) else found)
            ),
        )
        for i in order
        for found in (ties.partners(i),)
    ]


def unbroken_ties(
    fit: Fit,
    order_hint: Callable[[int], tuple] | None = None,
    tie_breaks: Sequence[tuple[int, int]] = (),
) -> list[tuple[int, int]]:
    """Tied pairs that neither the pre-declared criterion nor a recorded decision separates,
    as ``(above, below)`` in final order: what the organizer still has to decide."""
    table = standings(fit, order_hint, tie_breaks)
    place = {s.entry: s.place for s in table}
    decided = {frozenset(pair) for pair in tie_breaks}
    open_pairs = []
    for standing in table:
        for other in standing.tied_with:
            if place[other] <= standing.place or frozenset((standing.entry, other)) in decided:
                continue
            if order_hint is None or order_hint(standing.entry) == order_hint(other):
                open_pairs.append((standing.entry, other))
    return open_pairs


class _Ties:
    """The tie relation over entries sorted by quality, addressed by index in that order.

    The pair (i, k), i above k, ties when k lies within i's threshold below it or i within
    k's threshold above it; each test is the same float comparison ``bisect`` makes, so
    ``partners`` (bisect windows, plus a scan of the few entries whose larger SE reaches
    further) and ``tied`` always agree, and the relation is symmetric by construction. With
    equal SEs (every entry seen by as many judges) the scan is empty and partners are slices.
    """

    def __init__(self, results: list[EntryResult]) -> None:
        self.entries = [r.entry for r in results]
        self.keys = [-r.quality for r in results]  # ascending
        self.thresholds = [max(_se_or_zero(r), SAME_QUALITY) for r in results]
        # Anything tied lies within the largest threshold; the margin covers float rounding.
        self.reach = max(self.thresholds, default=SAME_QUALITY) * (1 + 1e-9) + 1e-12

    def tied(self, i: int, k: int) -> bool:
        if i > k:
            i, k = k, i
        keys, thresholds = self.keys, self.thresholds
        return keys[k] < keys[i] + thresholds[i] or keys[i] > keys[k] - thresholds[k]

    def partners(self, i: int) -> list[int]:
        keys, thresholds = self.keys, self.thresholds
        key, own = keys[i], thresholds[i]
        near_lo = bisect_right(keys, key - own)
        near_hi = bisect_left(keys, key + own)
        far_lo = bisect_right(keys, key - self.reach)
        far_hi = bisect_left(keys, key + self.reach)
        found = [k for k in range(far_lo, near_lo) if key < keys[k] + thresholds[k]]
        found.extend(range(near_lo, i))
        found.extend(range(i + 1, near_hi))
        found.extend(k for k in range(near_hi, far_hi) if key > keys[k] - thresholds[k])
        return found


def _se_or_zero(result: EntryResult) -> float:
    return 0.0 if math.isnan(result.se) else result.se


def kendall_tau(order_a: Sequence[int], order_b: Sequence[int]) -> float:
    """Kendall's rank correlation of two orderings (best first) of the same items.

    Orderings have no ties, so tau-a and tau-b coincide: 1 - 2 * discordant / (n choose 2).
    Counted by merge sort in O(n log n). NaN for fewer than two items (undefined); a
    ValueError when the two orderings are not of the same distinct items.
    """
    position = {item: i for i, item in enumerate(order_b)}
    if len(position) != len(order_b) or len(set(order_a)) != len(order_a):
        raise ValueError("an ordering lists an item twice")
    if set(order_a) != position.keys():
        raise ValueError("the two orderings are not of the same items")
    n = len(order_a)
    if n < 2:
        return math.nan
    _, discordant = _sort_counting_inversions([position[item] for item in order_a])
    return 1.0 - 4.0 * discordant / (n * (n - 1))


def _sort_counting_inversions(values: list[int]) -> tuple[list[int], int]:
    if len(values) <= 1:
        return values, 0
    middle = len(values) // 2
    left, left_inversions = _sort_counting_inversions(values[:middle])
    right, right_inversions = _sort_counting_inversions(values[middle:])
    merged: list[int] = []
    inversions = left_inversions + right_inversions
    i = k = 0
    while i < len(left) and k < len(right):
        if left[i] <= right[k]:
            merged.append(left[i])
            i += 1
        else:
            merged.append(right[k])
            inversions += len(left) - i
            k += 1
    merged.extend(left[i:])
    merged.extend(right[k:])
    return merged, inversions
