"""Crowd Bradley-Terry for the pairwise first round: the update's bounds, the choice of the
next pair, and recovery of a hidden order from simulated judges."""

from __future__ import annotations

import math
import random
import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventhub.judging.pairwise import (
    ALPHA_PRIOR,
    BETA_PRIOR,
    KAPPA,
    ItemState,
    JudgeState,
    choose_next,
    expected_information_gain,
    rank,
    replay,
    update,
)
from eventhub.judging.ranking import kendall_tau

mus = st.floats(-8, 8)
variances = st.floats(1e-3, 4)
shapes = st.floats(0.05, 200)


@settings(max_examples=200, deadline=None)
@given(shapes, shapes, mus, variances, mus, variances)
def test_update_keeps_every_parameter_in_bounds(alpha, beta, mu_w, var_w, mu_l, var_l):
    judge, winner, loser = update(
        JudgeState(alpha, beta), ItemState(mu_w, var_w), ItemState(mu_l, var_l)
    )
    assert judge.alpha > 0 and judge.beta > 0
    for before, after in ((var_w, winner.sigma_sq), (var_l, loser.sigma_sq)):
        # Shrinks at most by KAPPA; grows (only after a surprise) at most by 1 + var / 4,
        # since both logistic variance terms lie in [0, 1/4].
        assert KAPPA * before * (1 - 1e-12) <= after <= before * (1 + before / 4) * (1 + 1e-12)
    for value in (judge.alpha, judge.beta, winner.mu, loser.mu, winner.sigma_sq):
        assert math.isfinite(value)


@settings(max_examples=200, deadline=None)
@given(mus, variances, mus, variances)
def test_trusted_judge_moves_winner_up_loser_down_and_shrinks_both_variances(
    mu_w, var_w, mu_l, var_l
):
    """With alpha > beta the outcome raises the winner and lowers the loser; when it does not
    contradict the current order (winner not behind), both variances decrease."""
    _, winner, loser = update(JudgeState(), ItemState(mu_w, var_w), ItemState(mu_l, var_l))

    assert winner.mu > mu_w and loser.mu < mu_l
    if mu_w >= mu_l:
        assert winner.sigma_sq < var_w and loser.sigma_sq < var_l


def test_first_comparison_from_the_priors_by_hand():
    # mu 0 vs 0: p = 1/2; q = logistic(log 10) = 10/11. Step q - p = 9/22, so the winner moves
    # to +9/22 and the loser to -9/22; curvature q(1-q) - p(1-p) = 10/121 - 1/4, so each
    # variance becomes 1 + 10/121 - 1/4 = 0.8326...
    judge, winner, loser = update(JudgeState(), ItemState(), ItemState())

    assert winner.mu == pytest.approx(9 / 22)
    assert loser.mu == pytest.approx(-9 / 22)
    assert winner.sigma_sq == pytest.approx(1 + 10 / 121 - 1 / 4)
    assert loser.sigma_sq == winner.sigma_sq
    # c1 = 1/2 (equal means: the second-order term vanishes), so the outcome says nothing
    # about the judge's attentiveness: the Beta's mean stays 10/11.
    assert judge.alpha / (judge.alpha + judge.beta) == pytest.approx(10 / 11)


def test_judge_who_contradicts_a_clear_order_loses_trust():
    strong, weak = ItemState(mu=3.0, sigma_sq=0.1), ItemState(mu=-3.0, sigma_sq=0.1)
    prior = ALPHA_PRIOR / (ALPHA_PRIOR + BETA_PRIOR)

    agreeing, _, _ = update(JudgeState(), strong, weak)
    contrary, _, _ = update(JudgeState(), weak, strong)

    assert agreeing.alpha / (agreeing.alpha + agreeing.beta) > prior
    assert contrary.alpha / (contrary.alpha + contrary.beta) < prior


def test_replay_applies_updates_in_order_and_keeps_uncompared_items():
    items, judges = replay([(7, 1, 2), (7, 2, 3)], items=[1, 2, 3, 4], judges=[7, 8])

    judge, one, two = update(JudgeState(), ItemState(), ItemState())
    judge, two, three = update(judge, two, ItemState())
    assert items == {1: one, 2: two, 3: three, 4: ItemState()}
    assert judges == {7: judge, 8: JudgeState()}


def test_replay_refuses_an_item_compared_with_itself():
    with pytest.raises(ValueError):
        replay([(1, 5, 5)], items=[5], judges=[1])


def test_item_that_always_wins_ends_first():
    rng = random.Random(1)
    comparisons = []
    for _ in range(60):
        other = rng.choice(range(2, 13))
        a, b = rng.sample(range(2, 13), 2)
        comparisons.append((rng.randrange(4), 1, other))
        comparisons.append((rng.randrange(4), a, b))  # the rest compare at random
    items, _ = replay(comparisons, items=range(1, 13), judges=range(4))

    assert rank(items)[0] == 1


def test_rank_is_by_mu_then_id():
    items = {3: ItemState(mu=0.5), 1: ItemState(mu=0.5), 2: ItemState(mu=1.0)}

    assert rank(items) == [2, 1, 3]


def test_choose_next_takes_the_largest_expected_gain_among_unseen():
    items = {1: ItemState(0.0, 0.2), 2: ItemState(0.1, 0.2), 3: ItemState(4.0, 1.0)}
    items[4] = ItemState(0.05, 1.5)
    judge = JudgeState()
    gains = {c: expected_information_gain(judge, items[1], items[c]) for c in (2, 3, 4)}

    chosen = choose_next(judge, 1, [1, 2, 3, 4], items, {1}, random.Random(0))

    assert chosen == max(gains, key=gains.get)
    assert choose_next(judge, 1, [1, 2, 3, 4], items, {1, chosen}, random.Random(0)) != chosen


def test_choose_next_is_none_when_everything_is_seen_and_seeded_otherwise():
    judge = JudgeState()
    assert choose_next(judge, 1, [1, 2], {}, {1, 2}, random.Random(0)) is None
    # All priors: every candidate is equally good, so the seed decides, always the same way.
    first = [choose_next(judge, None, range(1, 30), {}, set(), random.Random(s)) for s in (4, 4)]
    assert first[0] == first[1]
    picks = {choose_next(judge, None, range(1, 30), {}, set(), random.Random(s)) for s in range(20)}
    assert len(picks) > 1


def walk(seed: int, count: int = 20, judges: int = 5, noisy: bool = False) -> float:
    """Judges walk the hall as in Gavel: each compares the item in front of them with the one
    choose_next sends them to, which becomes the next item in front of them. Returns Kendall's
    tau of the final ranking against the hidden order."""
    rng = random.Random(seed)
    strength = {i: rng.gauss(0.0, 1.5) for i in range(count)}
    items = {i: ItemState() for i in range(count)}
    beliefs = {j: JudgeState() for j in range(judges)}
    at: dict[int, int | None] = dict.fromkeys(range(judges))
    seen: dict[int, set[int]] = {j: set() for j in range(judges)}
    moved = True
    while moved:
        moved = False
        for j in range(judges):
            nxt = choose_next(beliefs[j], at[j], list(items), items, seen[j], rng)
            if nxt is None:
                continue
            moved = True
            seen[j].add(nxt)
            prev = at[j]
            if prev is not None:
                gap = strength[prev] - strength[nxt]
                p_prev = 1 / (1 + math.exp(-gap)) if noisy else float(gap > 0)
                winner, loser = (prev, nxt) if rng.random() < p_prev else (nxt, prev)
                beliefs[j], items[winner], items[loser] = update(
                    beliefs[j], items[winner], items[loser]
                )
            at[j] = nxt
    truth = sorted(strength, key=lambda i: -strength[i])
    return kendall_tau(rank(items), truth)


def test_consistent_hidden_order_is_recovered():
    taus = [walk(seed) for seed in range(5)]

    assert min(taus) > 0.8
    assert statistics.mean(taus) > 0.85


def test_noisy_judges_still_rank_far_better_than_chance():
    taus = [walk(seed, noisy=True) for seed in range(5)]

    assert statistics.mean(taus) > 0.5
