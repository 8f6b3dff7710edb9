"""The additive judge-bias model (issue 5, point 10): hand-computed cases, then a simulation
showing the bias-corrected ranking recovers a known true order better than raw means."""

from __future__ import annotations

import math
import random
import statistics

import pytest

from eventhub.judging.assignment import assign
from eventhub.judging.ranking import (
    EntryResult,
    Fit,
    fit_additive,
    kendall_tau,
    standings,
    unbroken_ties,
)

CLOSE = 1e-8  # the fit stops once nothing moves by 1e-9


# -- hand-computed fits -----------------------------------------------------------------------


def test_fully_crossed_two_by_two_halves_the_judges_gap_into_their_biases():
    # Judge 2 scores both entries 2 points above judge 1:
    #            entry 1  entry 2
    #   judge 1     4        2
    #   judge 2     6        4
    # Fully crossed with centred biases, quality = raw mean: 5 and 3. Unshrunk, the biases
    # would be -1 and +1 (half the 2-point gap each); the +2 shrinks them by n/(n+2) = 2/4,
    # so bias_1 = ((4-5) + (2-3)) / (2+2) = -0.5 and bias_2 = +0.5.
    # Residuals score - quality - bias are -0.5, -0.5, +0.5, +0.5: RSS = 1 on
    # N - E - J + 1 = 4 - 2 - 2 + 1 = 1 degree of freedom, sigma = 1, SE = 1/sqrt(2).
    fit = fit_additive([(1, 1, 4.0), (1, 2, 2.0), (2, 1, 6.0), (2, 2, 4.0)])

    assert fit.bias[1] == pytest.approx(-0.5, abs=CLOSE)
    assert fit.bias[2] == pytest.approx(0.5, abs=CLOSE)
    assert fit.entries[1] == EntryResult(1, fit.entries[1].quality, fit.entries[1].se, 5.0, 2)
    assert fit.entries[1].quality == pytest.approx(5.0, abs=CLOSE)
    assert fit.entries[2].quality == pytest.approx(3.0, abs=CLOSE)
    assert fit.entries[1].se == pytest.approx(1 / math.sqrt(2), abs=CLOSE)
    assert fit.entries[2].se == pytest.approx(1 / math.sqrt(2), abs=CLOSE)


def test_judge_who_scores_once_gets_a_third_of_their_deviation_as_bias():
    # Judges 1 and 2 agree (entry 1: 4, entry 2: 2); judge 3 scores only entry 1, a 7.
    # By symmetry bias_1 = bias_2 = b and centring makes bias_3 = -2b. Then
    #   quality_1 = (4 - b + 4 - b + 7 + 2b) / 3 = 5,   quality_2 = 2 - b,
    #   bias_3 = (7 - 5) / (1 + 2) = 2/3,               bias_1 = ((4-5) + (2-(2-b))) / (2+2),
    # and centring gives b = -1/3. Judge 3's 3-point excess becomes a bias of only 2/3: one
    # score is weak evidence of leniency. (Without the +2, bias_3 - bias_1 would be the full 3.)
    # Residuals -2/3, 0, -2/3, 0, 4/3: RSS = 24/9 on 5 - 2 - 3 + 1 = 1 dof, so
    # SE_1 = sqrt(24/9 / 3) = sqrt(8/9) and SE_2 = sqrt(24/9 / 2) = sqrt(4/3).
    fit = fit_additive([(1, 1, 4.0), (1, 2, 2.0), (2, 1, 4.0), (2, 2, 2.0), (3, 1, 7.0)])

    assert fit.bias[3] == pytest.approx(2 / 3, abs=CLOSE)
    assert fit.bias[1] == pytest.approx(-1 / 3, abs=CLOSE)
    assert fit.bias[2] == pytest.approx(-1 / 3, abs=CLOSE)
    assert fit.entries[1].quality == pytest.approx(5.0, abs=CLOSE)
    assert fit.entries[2].quality == pytest.approx(7 / 3, abs=CLOSE)
    assert fit.entries[1].se == pytest.approx(math.sqrt(8 / 9), abs=CLOSE)
    assert fit.entries[2].se == pytest.approx(math.sqrt(4 / 3), abs=CLOSE)


def test_standard_error_on_three_judges_by_two_entries():
    #            entry 1  entry 2   judge mean   bias = E/(E+2) * (judge mean - 4)
    #   judge 1     5        3          4           0
    #   judge 2     6        5          5.5        +0.75
    #   judge 3     4        1          2.5        -0.75
    # Entry means 5 and 3 (grand mean 4). Residuals: judge 1: 0, 0; judge 2: 0.25, 1.25;
    # judge 3: -0.25, -1.25. RSS = 3.25, dof = 6 - 2 - 3 + 1 = 2, sigma^2 = 1.625,
    # SE = sqrt(1.625 / 3) for both entries.
    fit = fit_additive([(1, 1, 5), (1, 2, 3), (2, 1, 6), (2, 2, 5), (3, 1, 4), (3, 2, 1)])

    assert [fit.bias[j] for j in (1, 2, 3)] == pytest.approx([0.0, 0.75, -0.75], abs=CLOSE)
    assert fit.entries[1].quality == pytest.approx(5.0, abs=CLOSE)
    assert fit.entries[2].se == pytest.approx(math.sqrt(1.625 / 3), abs=CLOSE)
    assert fit.entries[2].raw_mean == 3.0
    assert fit.entries[2].judges == 3


def test_without_degrees_of_freedom_the_spread_around_raw_means_is_used():
    # Entry 1: judges 1 and 2 give 5 and 3; entry 2: judge 3 gives 4. N - E - J + 1 = -1,
    # so sigma comes from deviations around raw means: (1^2 + 1^2) / (N - E = 1) = 2.
    fit = fit_additive([(1, 1, 5.0), (2, 1, 3.0), (3, 2, 4.0)])

    assert fit.entries[1].se == pytest.approx(math.sqrt(2) / math.sqrt(2))
    assert fit.entries[2].se == pytest.approx(math.sqrt(2))


def test_one_score_per_entry_leaves_the_standard_error_unknown():
    fit = fit_additive([(1, 1, 5.0), (1, 2, 3.0)])

    assert math.isnan(fit.entries[1].se)
    assert fit.entries[1].quality == pytest.approx(5.0)
    assert [s.tied_with for s in standings(fit)] == [(), ()]


def test_biases_are_centred_and_shifting_every_score_shifts_only_qualities():
    ratings = random_ratings(random.Random(3), entries=15, judges=6, per_entry=3)
    fit = fit_additive(ratings)
    shifted = fit_additive([(j, e, s + 2.5) for j, e, s in ratings])

    assert math.fsum(fit.bias.values()) == pytest.approx(0.0, abs=1e-12)
    for judge, bias in fit.bias.items():
        assert shifted.bias[judge] == pytest.approx(bias, abs=CLOSE)
    for entry, result in fit.entries.items():
        assert shifted.entries[entry].quality == pytest.approx(result.quality + 2.5, abs=CLOSE)


def test_same_ratings_in_any_order_give_the_identical_fit():
    ratings = random_ratings(random.Random(4), entries=40, judges=8, per_entry=3)
    shuffled = ratings[:]
    random.Random(5).shuffle(shuffled)

    assert fit_additive(shuffled) == fit_additive(ratings)


def test_two_totals_from_one_judge_for_one_entry_are_refused():
    with pytest.raises(ValueError, match="judge 1 has more than one total for entry 2"):
        fit_additive([(1, 2, 3.0), (1, 2, 4.0)])


def test_no_ratings_fit_nothing():
    assert fit_additive([]) == Fit(entries={}, bias={}, iterations=0)


# -- standings --------------------------------------------------------------------------------


def fitted(*rows: tuple[int, float, float]) -> Fit:
    """A Fit with given (entry, quality, se), to test standings on its own."""
    return Fit(entries={e: EntryResult(e, q, se, q, 3) for e, q, se in rows}, bias={}, iterations=1)


def test_ties_are_pairwise_not_groups():
    # 1 and 2 are 2 apart with SE 3 (tie); 2 and 3 too; 1 and 3 are 4 apart (no tie).
    fit = fitted((1, 80.0, 3.0), (2, 78.0, 3.0), (3, 76.0, 3.0))

    table = standings(fit)

    assert [(s.entry, s.place, s.tied_with) for s in table] == [
        (1, 1, (2,)),
        (2, 2, (1, 3)),
        (3, 3, (2,)),
    ]


def test_larger_standard_error_of_the_two_decides_a_tie():
    fit = fitted((1, 80.0, 0.5), (2, 78.0, 2.5), (3, 70.0, 0.5))

    assert [s.tied_with for s in standings(fit)] == [(2,), (1,), ()]


def test_criterion_breaks_a_tie_but_never_lifts_an_entry_over_a_clearly_better_one():
    fit = fitted((1, 80.0, 3.0), (2, 78.0, 3.0), (3, 76.0, 3.0))
    criterion_mean = {1: 3.0, 2: 4.0, 3: 5.0}

    table = standings(fit, order_hint=lambda e: (-criterion_mean[e],))

    # 2 wins its tie with 1; 3 would win its tie with 2 but 1, clearly ahead of 3, is between.
    assert [s.entry for s in table] == [2, 1, 3]
    assert [s.place for s in table] == [1, 2, 3]
    assert table[0].tied_with == (1, 3)


def test_recorded_decision_breaks_a_tie_the_criterion_leaves_and_ties_stay_listed():
    fit = fitted((1, 80.0, 3.0), (2, 78.0, 3.0), (3, 60.0, 3.0))
    same = {1: 4.0, 2: 4.0, 3: 4.0}

    before = standings(fit, order_hint=lambda e: (-same[e],))
    after = standings(fit, order_hint=lambda e: (-same[e],), tie_breaks=[(2, 1)])

    assert [s.entry for s in before] == [1, 2, 3]
    assert unbroken_ties(fit, lambda e: (-same[e],)) == [(1, 2)]
    assert [(s.entry, s.tied_with) for s in after] == [(2, (1,)), (1, (2,)), (3, ())]
    assert unbroken_ties(fit, lambda e: (-same[e],), [(2, 1)]) == []


def test_later_decision_replaces_an_earlier_one_and_untied_decisions_change_nothing():
    fit = fitted((1, 80.0, 3.0), (2, 78.0, 3.0), (3, 60.0, 3.0))

    table = standings(fit, tie_breaks=[(2, 1), (1, 2), (3, 1)])

    assert [s.entry for s in table] == [1, 2, 3]


def test_equal_qualities_tie_even_with_zero_standard_errors():
    fit = fitted((5, 3.0, 0.0), (4, 3.0, 0.0))

    assert [(s.entry, s.tied_with) for s in standings(fit)] == [(4, (5,)), (5, (4,))]


# -- Kendall's tau ----------------------------------------------------------------------------


def test_kendall_tau_of_known_orders():
    assert kendall_tau([1, 2, 3, 4], [1, 2, 3, 4]) == 1.0
    assert kendall_tau([1, 2, 3, 4], [4, 3, 2, 1]) == -1.0
    # One discordant pair (3, 4) of 6: (5 - 1) / 6.
    assert kendall_tau([1, 2, 3, 4], [1, 2, 4, 3]) == pytest.approx(4 / 6)
    assert math.isnan(kendall_tau([7], [7]))
    with pytest.raises(ValueError):
        kendall_tau([1, 2], [1, 3])


def test_kendall_tau_matches_counting_every_pair():
    rng = random.Random(9)
    for _ in range(20):
        a = list(range(30))
        b = a[:]
        rng.shuffle(b)
        where = {item: i for i, item in enumerate(b)}
        pairs = [(x, y) for i, x in enumerate(a) for y in a[i + 1 :]]
        concordant = sum(1 if where[x] < where[y] else -1 for x, y in pairs)
        assert kendall_tau(a, b) == pytest.approx(concordant / len(pairs))


# -- simulation -------------------------------------------------------------------------------

JUDGE_BIASES = [-0.9, -0.6, -0.4, -0.2, 0.0, 0.1, 0.3, 0.5, 0.7, 0.9]  # harsh ... lenient


def simulate(seed: int, entries: int = 60, k: int = 3, noise: float = 0.25):
    """Kendall's tau against the true order for (bias-corrected quality, raw mean).

    True qualities ~ Normal(3, 0.6) on a 1-5 rubric; ten judges with the known biases above;
    each entry scored by k judges chosen by the real assignment; Normal noise on each score.
    """
    rng = random.Random(seed)
    truth = {1000 + e: rng.gauss(3.0, 0.6) for e in range(entries)}
    bias = {j: b for j, b in enumerate(JUDGE_BIASES, start=1)}
    plan = assign(sorted(truth), sorted(bias), k, set(), seed=seed)
    ratings = [(j, e, truth[e] + bias[j] + rng.gauss(0.0, noise)) for j, e in sorted(plan.pairs)]
    fit = fit_additive(ratings)
    true_order = sorted(truth, key=lambda e: -truth[e])
    corrected = sorted(fit.entries, key=lambda e: -fit.entries[e].quality)
    raw = sorted(fit.entries, key=lambda e: -fit.entries[e].raw_mean)
    return kendall_tau(corrected, true_order), kendall_tau(raw, true_order)


SEEDS = range(10)


def test_bias_correction_recovers_the_true_order_better_than_raw_means():
    taus = [simulate(seed) for seed in SEEDS]
    corrected = [c for c, _ in taus]
    raw = [r for _, r in taus]
    print(
        f"\nKendall tau vs true order over {len(taus)} seeds: "
        f"bias-corrected mean {statistics.mean(corrected):.3f} "
        f"(min {min(corrected):.3f}), raw means {statistics.mean(raw):.3f} "
        f"(min {min(raw):.3f})"
    )

    assert statistics.mean(corrected) >= statistics.mean(raw) + 0.1
    assert sum(c >= r + 0.05 for c, r in taus) >= 8


def random_ratings(rng: random.Random, entries: int, judges: int, per_entry: int):
    return [
        (j, e, rng.uniform(1, 5))
        for e in range(entries)
        for j in rng.sample(range(judges), per_entry)
    ]
