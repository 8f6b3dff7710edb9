"""Judging math benchmark: the pure-Python fits behind the results page and the dashboard.

Budgets (this machine; issue 5 point 11 gives 200 ms for a whole results computation over
1,000 submissions x 5 judges x 6 criteria = 30,000 score rows, SQL included):
  fit_additive, 1,000 entries x 5 judges each (5,000 totals)            < 100 ms
  standings with ties over those 1,000 entries                          <  50 ms
  Krippendorff's alpha for 6 criteria over the 30,000 scores            <  50 ms
  all of it, from the 30,000 rows to standings and the six alphas       < 200 ms
  assign 5 judges to each of 1,000 entries from 50 judges (one click)   < 1 s

Prints each median (CPU and wall time) beside its budget as a ratio of CPU time (below 1.00
is within budget), then the
simulation of tests/unit/test_ranking.py: Kendall's tau of the bias-corrected and of the raw
ranking against the true order. No database. Not part of `make test`.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from eventhub.judging.agreement import krippendorff_alpha_interval  # noqa: E402
from eventhub.judging.assignment import assign  # noqa: E402
from eventhub.judging.ranking import fit_additive, standings  # noqa: E402
from tests.unit.test_ranking import SEEDS, simulate  # noqa: E402

ENTRIES, PER_ENTRY, CRITERIA = 1_000, 5, 6
WEIGHTS = [0.25, 0.2, 0.2, 0.15, 0.1, 0.1]
REPEATS = 7


def report(label: str, timing: tuple[float, float], budget: float) -> None:
    cpu, wall = timing
    print(
        f"{label:<50} {cpu * 1000:8.1f} ms cpu {wall * 1000:8.1f} ms wall   "
        f"budget {budget * 1000:5.0f} ms   ratio {cpu / budget:5.2f}"
    )


def median_time(work: Callable[[], object]) -> tuple[float, float]:
    """Median CPU and wall time of REPEATS runs. The ratio uses CPU time: the work is pure
    computation in one thread, so on a quiet machine the two agree, and on a busy one CPU
    time still measures the code rather than the neighbours."""
    cpu, wall = [], []
    for _ in range(REPEATS):
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        work()
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start_wall)
    return statistics.median(cpu), statistics.median(wall)


def score_rows(pool: int, seed: int = 2026) -> list[tuple[int, int, int, int]]:
    """(judge, entry, criterion, level) rows on a 1-5 scale: true quality plus judge bias plus
    noise, rounded and clipped like real anchored levels."""
    rng = random.Random(seed)
    quality = {e: rng.gauss(3.0, 0.7) for e in range(ENTRIES)}
    bias = {j: rng.gauss(0.0, 0.5) for j in range(pool)}
    if pool == PER_ENTRY:
        pairs = [(j, e) for e in range(ENTRIES) for j in range(pool)]
    else:
        pairs = sorted(assign(range(ENTRIES), range(pool), PER_ENTRY, set(), seed=seed).pairs)
    return [
        (j, e, c, min(5, max(1, round(quality[e] + bias[j] + rng.gauss(0.0, 0.6)))))
        for j, e in pairs
        for c in range(CRITERIA)
    ]


def totals_of(rows: list[tuple[int, int, int, int]]) -> list[tuple[int, int, float]]:
    """Each judge's weighted total per entry, as the results page feeds fit_additive."""
    totals: dict[tuple[int, int], float] = {}
    for judge, entry, criterion, level in rows:
        totals[judge, entry] = totals.get((judge, entry), 0.0) + WEIGHTS[criterion] * level
    return [(j, e, t) for (j, e), t in totals.items()]


def units_of(rows: list[tuple[int, int, int, int]]) -> list[dict[int, dict[int, float]]]:
    """Per criterion, {entry: {judge: level}}, as the dashboard feeds the alpha."""
    units: list[dict[int, dict[int, float]]] = [{} for _ in range(CRITERIA)]
    for judge, entry, criterion, level in rows:
        units[criterion].setdefault(entry, {})[judge] = level
    return units


def results_math(rows: list[tuple[int, int, int, int]]) -> None:
    """Everything a results page and the dashboard compute from the score rows."""
    standings(fit_additive(totals_of(rows)))
    for criterion_units in units_of(rows):
        krippendorff_alpha_interval(criterion_units)


def main() -> None:
    for pool in (50, PER_ENTRY):
        rows = score_rows(pool)
        totals = totals_of(rows)
        label = f"from {pool} judges" if pool != PER_ENTRY else "all by the same 5"
        print(f"{ENTRIES:,} entries x {PER_ENTRY} judges ({label}), {len(rows):,} score rows")
        fit = fit_additive(totals)
        report("  fit_additive", median_time(lambda t=totals: fit_additive(t)), 0.100)
        ties = sum(1 for s in standings(fit) if s.tied_with)
        report("  standings with ties", median_time(lambda f=fit: standings(f)), 0.050)
        units = units_of(rows)
        alphas = [krippendorff_alpha_interval(u) for u in units]
        report(
            f"  Krippendorff's alpha, {CRITERIA} criteria",
            median_time(lambda u=units: [krippendorff_alpha_interval(c) for c in u]),
            0.050,
        )
        report("  all of it from the score rows", median_time(lambda r=rows: results_math(r)), 0.2)
        print(
            f"  ({fit.iterations} iterations; {ties} entries in a tie; "
            f"alpha per criterion {', '.join(f'{a:.2f}' for a in alphas)})"
        )
    report(
        f"assign {PER_ENTRY} of 50 judges to each of {ENTRIES:,} entries",
        median_time(lambda: assign(range(ENTRIES), range(50), PER_ENTRY, set())),
        1.0,
    )
    taus = [simulate(seed) for seed in SEEDS]
    corrected = statistics.mean(c for c, _ in taus)
    raw = statistics.mean(r for _, r in taus)
    print(
        f"simulation (60 entries, 10 judges of known bias, k=3, {len(taus)} seeds): "
        f"Kendall tau vs true order, bias-corrected {corrected:.3f}, raw means {raw:.3f}"
    )


if __name__ == "__main__":
    main()
