"""The pairwise first round through its pages: a judge is walked from entry to entry and asked
which was better, comparisons are stored, conflicted and seen entries are not shown again,
the organizer's Crowd BT ranking puts a consistently preferred entry first, and the chosen
finalists are what the rubric round then judges."""

from datetime import timedelta

from eventhub.clock import now
from eventhub.core.models import AuditEntry
from eventhub.extensions import db
from eventhub.judging.models import (
    Assignment,
    Finalist,
    JudgeConflict,
    JudgeProfile,
    JudgingSettings,
    PairwiseComparison,
)
from tests.factories import (
    assign,
    make_entry,
    make_event,
    make_judge,
    make_organizer,
    make_rubric,
    make_user,
    score,
)
from tests.integration.pages import page

JUDGE = "/events/expo/judging/compare"
MANAGE = "/events/expo/manage/judging"


def expo(entries=4, judges=1, *, pairwise=True):
    organizer = make_organizer()
    event = make_event(organizer=organizer, slug="expo", title="Civic Expo")
    db.session.add(
        JudgingSettings(
            event_id=event.id,
            pairwise=pairwise,
            finalists=2,
            judges_per_entry=1,
            opens_at=now() - timedelta(hours=1),
        )
    )
    db.session.commit()
    rubric = make_rubric(event)
    people = [make_judge(event, make_user(name=f"Judge {n}")) for n in range(1, judges + 1)]
    made = [make_entry(event, title=f"Booth {n}") for n in range(1, entries + 1)]
    return organizer, event, people, made, list(rubric.criteria)


def profile(judge) -> JudgeProfile:
    db.session.rollback()
    return db.session.scalar(db.select(JudgeProfile).where(JudgeProfile.user_id == judge.id))


def comparisons() -> list[tuple[int, int, int]]:
    db.session.rollback()
    rows = db.session.execute(
        db.select(
            PairwiseComparison.judge_id, PairwiseComparison.winner_id, PairwiseComparison.loser_id
        ).order_by(PairwiseComparison.id)
    )
    return [tuple(row) for row in rows]


def press(client, choice, current=None):
    return client.post(JUDGE, data={"choice": choice, "current": current or ""})


def test_judge_is_walked_through_pairs_and_each_answer_is_stored(client, login_as):
    _, _, (judge,), entries, _ = expo(3)
    login_as(judge)

    first = page(client.get(JUDGE))
    press(client, "start")
    shown = profile(judge).pair_next_id
    looking = page(client.get(JUDGE))
    press(client, "next", shown)
    second = profile(judge).pair_next_id
    asking = page(client.get(JUDGE))
    press(client, "previous", second)

    assert "Show me an entry" in first.text
    assert looking.by_id("question")[0].text == "Look at this entry"
    assert asking.by_id("question")[0].text == "Which was better?"
    titles = {e.id: e.title for e in entries}
    assert f"A (previous){titles[shown]}," in asking.by_id("pair")[0].text
    assert f"B (current){titles[second]}," in asking.by_id("pair")[0].text
    assert comparisons() == [(judge.id, shown, second)]
    after = profile(judge)
    assert after.pair_prev_id == second
    assert after.pair_next_id not in (None, shown, second)  # the third booth, not seen yet
    assert (
        db.session.scalar(db.select(db.func.count()).where(AuditEntry.action == "pairwise.compare"))
        == 1
    )


def test_seen_and_conflicted_entries_are_not_shown_and_the_round_ends(client, login_as):
    _, event, (judge,), entries, _ = expo(4)
    conflicted = entries[3]
    db.session.add(JudgeConflict(event_id=event.id, judge_id=judge.id, team_id=conflicted.team_id))
    db.session.commit()
    login_as(judge)

    press(client, "start")
    shown = [profile(judge).pair_next_id]
    press(client, "next", shown[-1])
    shown.append(profile(judge).pair_next_id)
    press(client, "current", shown[-1])
    shown.append(profile(judge).pair_next_id)
    press(client, "skip", shown[-1])
    last = page(client.get(JUDGE))

    assert len(set(shown)) == 3 and conflicted.id not in shown
    assert profile(judge).pair_next_id is None
    assert "Booth 4" not in last.text
    assert last.by_id("round-done")[0].text.startswith("You have seen every entry")
    assert comparisons() == [(judge.id, shown[1], shown[0])]


def test_an_answer_from_a_stale_screen_is_refused(client, login_as):
    _, _, (judge,), entries, _ = expo(3)
    login_as(judge)
    press(client, "start")
    first = profile(judge).pair_next_id
    press(client, "next", first)
    second = profile(judge).pair_next_id

    stale = press(client, "previous", first)  # a second tab still showing the first screen
    shown = page(client.get(JUDGE))

    assert stale.status_code == 302
    assert "That screen was out of date" in shown.text
    assert comparisons() == []
    assert profile(judge).pair_next_id == second


def test_compare_page_says_so_when_the_event_has_no_pairwise_round(client, login_as):
    _, _, (judge,), _, _ = expo(2, pairwise=False)
    login_as(judge)

    shown = page(client.get(JUDGE))
    press(client, "start")
    queue = page(client.get("/events/expo/judging"))

    assert "This event has no pairwise round" in shown.by_id("round-state")[0].text
    assert comparisons() == [] and profile(judge).pair_next_id is None
    assert not queue.by_id("compare-link")


def test_queue_links_to_the_comparisons_while_the_round_is_open(client, login_as):
    _, _, (judge,), _, _ = expo(2)
    login_as(judge)

    queue = page(client.get("/events/expo/judging"))

    link = [n for n in queue.by_id("compare-link")[0].walk() if n.tag == "a"][0]
    assert link.attrs["href"] == JUDGE


def test_ranking_puts_a_consistently_preferred_entry_first(client, login_as):
    organizer, event, judges, entries, _ = expo(4, judges=3)
    best, others = entries[2], [entries[0], entries[1], entries[3]]
    for judge in judges:
        for other in others:
            db.session.add(
                PairwiseComparison(
                    event_id=event.id, judge_id=judge.id, winner_id=best.id, loser_id=other.id
                )
            )
    db.session.commit()
    login_as(organizer)

    shown = page(client.get(f"{MANAGE}/pairwise"))

    body = [n for n in shown.by_id("ranking")[0].walk() if n.tag == "tr"][1:]
    assert body[0].attrs["id"] == f"rank-{best.id}"
    first = body[0].text
    assert first.startswith("1 Booth 3") and first.endswith(" 9")  # nine comparisons
    assert all(row.text.split()[-1] == "3" for row in body[1:])


def test_finalists_go_on_and_the_rubric_round_judges_only_them(client, login_as):
    organizer, event, (judge,), entries, _ = expo(4)
    order = [entries[1], entries[3], entries[0], entries[2]]
    for winner_at, winner in enumerate(order):
        for loser in order[winner_at + 1 :]:
            db.session.add(
                PairwiseComparison(
                    event_id=event.id, judge_id=judge.id, winner_id=winner.id, loser_id=loser.id
                )
            )
    db.session.commit()
    login_as(organizer)

    chosen = client.post(f"{MANAGE}/pairwise/finalists", data={"count": "2"})
    client.post(f"{MANAGE}/assign")
    login_as(judge)
    queue = page(client.get("/events/expo/judging"))
    compare = page(client.get(JUDGE))

    assert chosen.headers["Location"] == f"{MANAGE}/pairwise"
    db.session.rollback()
    finalists = db.session.scalars(db.select(Finalist).order_by(Finalist.rank)).all()
    assert [f.submission_id for f in finalists] == [entries[1].id, entries[3].id]
    assigned = set(db.session.scalars(db.select(Assignment.submission_id)))
    assert assigned == {entries[1].id, entries[3].id}
    assert "0 of 2 scored" in queue.text and "Booth 1" not in queue.text
    assert "The pairwise round is over" in compare.text
    assert db.session.scalar(
        db.select(AuditEntry.detail).where(AuditEntry.action == "pairwise.finalists")
    ) == {"chosen": [entries[1].id, entries[3].id], "before": []}


def test_replacing_finalists_after_rubric_scores_needs_confirmation(client, login_as):
    organizer, event, (judge,), entries, criteria = expo(3)
    db.session.add(
        PairwiseComparison(
            event_id=event.id, judge_id=judge.id, winner_id=entries[2].id, loser_id=entries[0].id
        )
    )
    db.session.add(Finalist(event_id=event.id, submission_id=entries[0].id, rank=1))
    db.session.commit()
    assign(judge, entries[0])
    score(judge, entries[0], {criteria[0]: 3, criteria[1]: 3})
    login_as(organizer)

    refused = client.post(f"{MANAGE}/pairwise/finalists", data={"count": "1"})
    kept = sorted(db.session.scalars(db.select(Finalist.submission_id)))
    done = client.post(f"{MANAGE}/pairwise/finalists", data={"count": "1", "confirm": "y"})

    assert "Judges have already scored finalists" in page(refused).text
    assert kept == [entries[0].id]
    assert done.status_code == 302
    db.session.rollback()
    assert list(db.session.scalars(db.select(Finalist.submission_id))) == [entries[2].id]


def test_finalists_form_checks_its_number_and_needs_comparisons(client, login_as):
    organizer, _, _, _, _ = expo(2)
    login_as(organizer)

    zero = client.post(f"{MANAGE}/pairwise/finalists", data={"count": "0"})
    none_yet = client.post(f"{MANAGE}/pairwise/finalists", data={"count": "2"})
    shown = page(client.get(f"{MANAGE}/pairwise"))

    assert "Enter a number from 1 to 500." in page(zero).text
    assert "No comparisons yet" in page(none_yet).text
    assert shown.value("count") == "2"
    assert db.session.scalar(db.select(db.func.count()).select_from(Finalist)) == 0
