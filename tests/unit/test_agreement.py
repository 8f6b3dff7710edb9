"""Krippendorff's alpha, interval metric: the agreement figure on the organizer dashboard."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from eventhub.judging.agreement import krippendorff_alpha_interval

# Krippendorff's classic reliability data (Computing Krippendorff's Alpha-Reliability, 2011):
# 4 observers x 12 units, "." missing.
_ = None
CLASSIC = {
    "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
    "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
    "C": [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
    "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
}


def by_unit(table: dict[str, list]) -> dict[int, dict[str, float | None]]:
    units = len(next(iter(table.values())))
    return {u: {coder: values[u] for coder, values in table.items()} for u in range(units)}


def alpha_from_coincidences(units) -> float:
    """The textbook route, kept deliberately different from the implementation: a
    coincidence table o[c, k] (each ordered pair of values in a unit adds 1 / (m_u - 1)),
    D_o = sum o[c, k] (c - k)^2 / n and D_e = sum n_c n_k (c - k)^2 / (n (n - 1))."""
    coincidences = Counter()
    for values in units.values():
        present = [v for v in values.values() if v is not None]
        m = len(present)
        if m < 2:
            continue
        for i, c in enumerate(present):
            for j, k in enumerate(present):
                if i != j:
                    coincidences[c, k] += 1 / (m - 1)
    totals = Counter()
    for (c, _k), weight in coincidences.items():
        totals[c] += weight
    n = sum(totals.values())
    observed = sum(w * (c - k) ** 2 for (c, k), w in coincidences.items()) / n
    expected = sum(totals[c] * totals[k] * (c - k) ** 2 for c in totals for k in totals) / (
        n * (n - 1)
    )
    return 1 - observed / expected


def test_classic_example_gives_the_published_interval_alpha():
    # By hand: unit 12 has one value and is left out, leaving n = 40 values in 11 units.
    # Units with any disagreement: (2, 2, 3, 2) SS 0.75, (1, 2, 3, 4) SS 5, (1, 1, 2, 1) SS 0.75,
    # all with m = 4: within = 4/3 * 6.5 = 26/3. The 40 values sum to 100 (mean 2.5) and
    # their squares to 306, so SS = 306 - 40 * 2.5^2 = 56.
    # alpha = 1 - (n - 1) * within / (n * SS) = 1 - 39 * (26/3) / (40 * 56) = 951/1120 = 0.849.
    alpha = krippendorff_alpha_interval(by_unit(CLASSIC))

    assert alpha == pytest.approx(951 / 1120, abs=1e-12)
    assert round(alpha, 3) == 0.849
    assert alpha == pytest.approx(alpha_from_coincidences(by_unit(CLASSIC)), abs=1e-12)


def test_agrees_with_the_coincidence_table_on_random_data():
    rng = random.Random(11)
    for _round in range(30):
        units = {
            u: {c: (rng.randint(1, 5) if rng.random() < 0.8 else None) for c in range(4)}
            for u in range(rng.randint(2, 15))
        }
        expected_defined = sum(1 for v in units.values() for x in v.values() if x is not None)
        alpha = krippendorff_alpha_interval(units)
        if alpha is None:
            continue
        assert expected_defined >= 2
        assert alpha == pytest.approx(alpha_from_coincidences(units), abs=1e-9)


def test_perfect_agreement_is_one():
    units = {u: {"a": float(u), "b": float(u), "c": float(u)} for u in range(1, 6)}

    assert krippendorff_alpha_interval(units) == 1.0


def test_systematic_disagreement_is_below_zero():
    # Every unit's mean is 3: all variation is between the two coders, none between units.
    # Deviations from 3: 4, 4, 4, 4, 1, 1, 1, 1 -> SS = 20; within = 2 * (8 + 8 + 2 + 2) = 40;
    # alpha = 1 - 7 * 40 / (8 * 20) = -0.75.
    units = {1: {"a": 1, "b": 5}, 2: {"a": 5, "b": 1}, 3: {"a": 2, "b": 4}, 4: {"a": 4, "b": 2}}

    assert krippendorff_alpha_interval(units) == pytest.approx(-0.75)


def test_a_lenient_judge_lowers_agreement():
    fair = {u: {"a": u % 5 + 1, "b": u % 5 + 1, "c": u % 5 + 1} for u in range(10)}
    lenient = {u: {**values, "c": values["c"] + 1} for u, values in fair.items()}

    assert krippendorff_alpha_interval(lenient) < krippendorff_alpha_interval(fair)


def test_units_with_one_value_and_missing_values_do_not_count():
    units = by_unit(CLASSIC)
    with_lonely = {**units, 99: {"A": 5, "B": None, "C": float("nan")}}

    assert krippendorff_alpha_interval(with_lonely) == krippendorff_alpha_interval(units)


@pytest.mark.parametrize(
    "units",
    [
        {},
        {1: {"a": 3}, 2: {"b": 4}},  # nothing pairable
        {1: {"a": None, "b": 2}},
        {1: {"a": 3, "b": 3}, 2: {"a": 3, "b": 3}},  # no variance at all
    ],
)
def test_undefined_alpha_is_none(units):
    assert krippendorff_alpha_interval(units) is None


def test_order_of_units_and_coders_does_not_change_the_value():
    units = by_unit(CLASSIC)
    reversed_units = {u: dict(reversed(units[u].items())) for u in reversed(list(units))}

    assert krippendorff_alpha_interval(reversed_units) == krippendorff_alpha_interval(units)
