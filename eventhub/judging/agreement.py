"""Agreement between judges: Krippendorff's alpha with the interval metric.

Alpha suits judging better than a correlation: it takes any number of judges, tolerates each
judge scoring only some entries, and measures agreement on the values themselves (a judge who
scores everything one point higher than the others lowers it).

With units u (entries) holding m_u >= 2 values each (a unit with one value cannot be compared
with anything and is left out), n = sum of m_u, the interval metric (a - b)^2, and
SS_u / SS the sums of squared deviations from the unit's / the pooled mean:

    D_o = 1/n * sum_u 1/(m_u - 1) * sum_{i != j in u} (v_i - v_j)^2
        = 1/n * sum_u 2 m_u SS_u / (m_u - 1)                  (observed disagreement)
    D_e = 1/(n (n - 1)) * sum_{i != j, all pairable values} (v_i - v_j)^2
        = 2 SS / (n - 1)                                      (expected by chance)
    alpha = 1 - D_o / D_e

The squared-deviation forms are exact rewrites of the pair sums (sum over ordered pairs of
(v_i - v_j)^2 = 2 m SS), computed in O(n) with ``math.fsum`` so the result does not depend
on the order of the mappings.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from operator import mul


def krippendorff_alpha_interval(
    units: Mapping[Hashable, Mapping[Hashable, float | None]],
) -> float | None:
    """Alpha for ``{unit: {coder: value}}``; a None or NaN value counts as missing.

    None when alpha is undefined: fewer than two pairable values, or no variation among them
    (every value the same, so chance agreement is perfect too and the ratio is 0/0).
    """
    pairable: list[list[float]] = []
    for values in units.values():
        present = [v for v in values.values() if v is not None and v == v]  # NaN != NaN
        if len(present) >= 2:
            pairable.append(present)
    n = sum(map(len, pairable))
    if n < 2:
        return None
    if min(map(min, pairable)) == max(map(max, pairable)):
        return None
    everything = [v for values in pairable for v in values]
    total_ss = _sum_of_squares(everything)
    within = math.fsum(
        len(values) / (len(values) - 1) * _sum_of_squares(values) for values in pairable
    )
    return 1.0 - (n - 1) * within / (n * total_ss)


def _sum_of_squares(values: list[float]) -> float:
    """Squared deviations from the mean, two-pass so equal values give exactly 0."""
    mean = math.fsum(values) / len(values)
    deviations = [v - mean for v in values]
    return math.fsum(map(mul, deviations, deviations))
