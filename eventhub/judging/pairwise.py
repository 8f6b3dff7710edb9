"""Pairwise first round: Crowd Bradley-Terry (Chen, Bennett, Collins-Thompson and Horvitz,
"Pairwise ranking aggregation in a crowdsourced setting", WSDM 2013), the model Gavel uses.

Every item has a score s_i believed to be Normal(mu_i, sigma_sq_i). A judge says "i beats j"
with Bradley-Terry probability e^s_i / (e^s_i + e^s_j) when attentive, and the reverse when
not; their attentiveness eta is believed to be Beta(alpha, beta). Each comparison updates the
beliefs online, by assumed density filtering:

* the judge: the posterior of eta given the outcome is a mixture of two Betas; it is replaced
  by the Beta with the same first two moments;
* the items: ``mu += sigma_sq * d log P / d mu`` and
  ``sigma_sq *= max(1 + sigma_sq * d^2 log P / d mu^2, KAPPA)`` where
  ``P = (alpha e^s_w + beta e^s_l) / ((alpha + beta)(e^s_w + e^s_l))`` is the probability of
  the outcome at the current means.

With ``p = logistic(mu_w - mu_l)`` and ``q = logistic(mu_w - mu_l + log(alpha / beta))`` the
derivatives are ``q - p`` and ``q (1 - q) - p (1 - p)``; writing them that way never
exponentiates a large mu. The next item to show a judge is the one whose comparison with the
item they just saw is expected to teach the most: the expected KL divergence from the current
beliefs to the updated ones, the judge's part weighted by GAMMA.

Everything is pure and deterministic: states are immutable, ``replay`` rebuilds them from the
stored comparisons, and ``choose_next`` takes the random generator it breaks ties with.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

MU_PRIOR = 0.0  # an unseen item is average...
SIGMA_SQ_PRIOR = 1.0  # ...give or take one unit on the logistic scale
ALPHA_PRIOR = 10.0  # a new judge is believed attentive about 10 times in 11 (as in Gavel)
BETA_PRIOR = 1.0
KAPPA = 1e-4  # one comparison shrinks a variance at most by this factor, keeping it positive
GAMMA = 0.1  # weight of what a comparison teaches about the judge versus the items (Gavel)
# Expected gains closer than this count as equal, so float noise does not decide the choice.
GAIN_TIE = 1e-12

S = TypeVar("S")


@dataclass(frozen=True)
class ItemState:
    """Belief about an item's score: Normal(mu, sigma_sq)."""

    mu: float = MU_PRIOR
    sigma_sq: float = SIGMA_SQ_PRIOR


@dataclass(frozen=True)
class JudgeState:
    """Belief about a judge's attentiveness: Beta(alpha, beta), mean alpha / (alpha + beta)."""

    alpha: float = ALPHA_PRIOR
    beta: float = BETA_PRIOR


def update(
    judge: JudgeState, winner: ItemState, loser: ItemState
) -> tuple[JudgeState, ItemState, ItemState]:
    """The beliefs after ``judge`` preferred ``winner`` to ``loser``."""
    alpha, beta = judge.alpha, judge.beta
    gap = winner.mu - loser.mu
    p = _logistic(gap)
    q = _logistic(gap + math.log(alpha / beta))
    step = q - p
    curvature = q * (1.0 - q) - p * (1.0 - p)
    new_winner = ItemState(
        mu=winner.mu + winner.sigma_sq * step,
        sigma_sq=winner.sigma_sq * max(1.0 + winner.sigma_sq * curvature, KAPPA),
    )
    new_loser = ItemState(
        mu=loser.mu - loser.sigma_sq * step,
        sigma_sq=loser.sigma_sq * max(1.0 + loser.sigma_sq * curvature, KAPPA),
    )
    return _updated_judge(judge, winner, loser), new_winner, new_loser


def _updated_judge(judge: JudgeState, winner: ItemState, loser: ItemState) -> JudgeState:
    """Moment-matched Beta for the judge after the outcome.

    ``c1`` is the chance an attentive judge prefers the winner, averaged over the two score
    beliefs (second-order expansion of E[logistic(s_w - s_l)]; clamped into (0, 1), which the
    expansion can leave when the variances are large). The outcome's likelihood is
    ``c1 eta + (1 - c1)(1 - eta)``; the posterior's mean and second moment follow from the
    Beta's moments, and the Beta with those moments replaces it. If rounding leaves no
    variance to match, the judge's belief stays as it was.
    """
    alpha, beta = judge.alpha, judge.beta
    c1 = _chance_attentive_prefers(winner, loser)
    c2 = 1.0 - c1
    total = alpha + beta
    evidence = c1 * alpha + c2 * beta  # times 1 / total: the outcome's probability
    mean = (c1 * alpha * (alpha + 1) + c2 * alpha * beta) / ((total + 1) * evidence)
    second = (c1 * alpha * (alpha + 1) * (alpha + 2) + c2 * alpha * (alpha + 1) * beta) / (
        (total + 1) * (total + 2) * evidence
    )
    variance = second - mean * mean
    if variance <= 0.0 or mean >= 1.0:
        return judge
    concentration = (mean - second) / variance
    return JudgeState(alpha=mean * concentration, beta=(1.0 - mean) * concentration)


def _chance_attentive_prefers(winner: ItemState, loser: ItemState) -> float:
    p = _logistic(winner.mu - loser.mu)
    spread = winner.sigma_sq + loser.sigma_sq
    c1 = p + 0.5 * spread * p * (1.0 - p) * (1.0 - 2.0 * p)
    return min(max(c1, 1e-9), 1.0 - 1e-9)


def outcome_probability(judge: JudgeState, winner: ItemState, loser: ItemState) -> float:
    """The predicted chance that ``judge`` prefers ``winner`` to ``loser``."""
    c1 = _chance_attentive_prefers(winner, loser)
    return (c1 * judge.alpha + (1.0 - c1) * judge.beta) / (judge.alpha + judge.beta)


def expected_information_gain(judge: JudgeState, a: ItemState, b: ItemState) -> float:
    """What comparing ``a`` with ``b`` is expected to teach: over both outcomes, weighted by
    their predicted probability, the KL divergence from the current beliefs to the updated
    ones (items in full, the judge weighted by GAMMA)."""
    p_a = outcome_probability(judge, a, b)
    judge_a, a_won, b_lost = update(judge, a, b)
    judge_b, b_won, a_lost = update(judge, b, a)
    gain_if_a = _kl_normal(a_won, a) + _kl_normal(b_lost, b) + GAMMA * _kl_beta(judge_a, judge)
    gain_if_b = _kl_normal(a_lost, a) + _kl_normal(b_won, b) + GAMMA * _kl_beta(judge_b, judge)
    return p_a * gain_if_a + (1.0 - p_a) * gain_if_b


def replay(
    comparisons: Iterable[tuple[int, int, int]],
    items: Iterable[int] | Mapping[int, ItemState],
    judges: Iterable[int] | Mapping[int, JudgeState],
) -> tuple[dict[int, ItemState], dict[int, JudgeState]]:
    """Beliefs after ``(judge_id, winner_id, loser_id)`` comparisons, applied in the order
    given (the updates are online, so the caller passes them in the order they were made,
    e.g. by time then id).

    ``items`` and ``judges`` are ids (they start from the priors: mu 0, sigma_sq 1, alpha 10,
    beta 1) or mappings of starting states. Items never compared keep their start, so
    ``rank`` places them too; an id that appears only in ``comparisons`` starts from the prior
    and is added.
    """
    item_states = _states(items, ItemState)
    judge_states = _states(judges, JudgeState)
    for judge_id, winner_id, loser_id in comparisons:
        if winner_id == loser_id:
            raise ValueError(f"item {winner_id} cannot be compared with itself")
        judge, winner, loser = update(
            judge_states.get(judge_id, JudgeState()),
            item_states.get(winner_id, ItemState()),
            item_states.get(loser_id, ItemState()),
        )
        judge_states[judge_id], item_states[winner_id], item_states[loser_id] = (
            judge,
            winner,
            loser,
        )
    return item_states, judge_states


def _states(given: Iterable[int] | Mapping[int, S], make: Callable[[], S]) -> dict[int, S]:
    if isinstance(given, Mapping):
        return dict(given)
    return {key: make() for key in given}


def choose_next(
    judge_state: JudgeState,
    prev_item: int | None,
    candidates: Sequence[int],
    items: Mapping[int, ItemState],
    seen: set[int],
    rng: random.Random,
) -> int | None:
    """The item to show the judge next, or None when they have seen every candidate.

    With a previous item: the unseen candidate whose comparison with it has the largest
    expected information gain. Without one (the judge's first item): the least known unseen
    candidate (largest sigma_sq). Equal candidates are ordered by id and one is drawn with
    ``rng``, so a given seed always gives the same choice. Items missing from ``items`` count
    as unseen by anyone (the prior).
    """
    pool = sorted({c for c in candidates if c not in seen and c != prev_item})
    if not pool:
        return None
    if prev_item is None:
        values = [items.get(c, ItemState()).sigma_sq for c in pool]
    else:
        current = items.get(prev_item, ItemState())
        values = [
            expected_information_gain(judge_state, current, items.get(c, ItemState())) for c in pool
        ]
    best = max(values)
    margin = GAIN_TIE * max(1.0, abs(best))
    return rng.choice([c for c, v in zip(pool, values, strict=True) if v >= best - margin])


def rank(items: Mapping[int, ItemState]) -> list[int]:
    """Item ids by mu, highest first; equal mu by id."""
    return sorted(items, key=lambda item: (-items[item].mu, item))


def _logistic(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def _kl_normal(new: ItemState, old: ItemState) -> float:
    """KL(new || old) for normal beliefs."""
    return 0.5 * (
        math.log(old.sigma_sq / new.sigma_sq)
        + (new.sigma_sq + (new.mu - old.mu) ** 2) / old.sigma_sq
        - 1.0
    )


def _kl_beta(new: JudgeState, old: JudgeState) -> float:
    """KL(new || old) for Beta beliefs."""
    a1, b1, a2, b2 = new.alpha, new.beta, old.alpha, old.beta
    return (
        _log_beta(a2, b2)
        - _log_beta(a1, b1)
        + (a1 - a2) * _digamma(a1)
        + (b1 - b2) * _digamma(b1)
        + (a2 - a1 + b2 - b1) * _digamma(a1 + b1)
    )


def _log_beta(a: float, b: float) -> float:
    return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)


def _digamma(x: float) -> float:
    """psi(x) for x > 0: shift x past 6 with psi(x) = psi(x + 1) - 1/x, then the asymptotic
    series (accurate to ~1e-12 there). The standard library has lgamma but no digamma."""
    result = 0.0
    while x < 6.0:
        result -= 1.0 / x
        x += 1.0
    f = 1.0 / (x * x)
    series = f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f / 132))))
    return result + math.log(x) - 0.5 / x - series
