"""Results: the bias-corrected ranking beside the raw means, complete sheets only, ties flagged
and broken (pre-declared criterion, then a recorded decision), prizes, publishing, the public
page and each team's feedback, and nothing of another event.

Query counts are in test_results_queries.py; the ranking math in the judging unit tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from eventhub.clock import now
from eventhub.core.models import AuditEntry
from eventhub.extensions import db
from eventhub.judging.models import Finalist, JudgeConflict, JudgeProfile, JudgingSettings
from eventhub.results.models import PrizeAward, TieBreak, Vote
from tests.factories import (
    make_challenge,
    make_entry,
    make_event,
    make_judge,
    make_organizer,
    make_prize,
    make_rubric,
    make_user,
    register,
    score,
)
from tests.integration.pages import page


@dataclass
class Jam:
    event: object
    organizer: object
    rubric: object
    impact: object
    data: object

    @property
    def base(self) -> str:
        return f"/events/{self.event.slug}"

    def sheet(self, judge, entry, impact, data=None, **review):
        """A complete sheet: both criteria (the same level unless ``data`` is given)."""
        score(
            judge,
            entry,
            {self.impact: impact, self.data: impact if data is None else data},
            **review,
        )


def setup_jam(*, challenge: bool = False, breaks_ties: bool = False) -> Jam:
    """A published event with a two-criterion rubric (equal weights: a sheet's total is the
    mean of its two levels)."""
    organizer = make_organizer(name="Olga Organizer")
    event = make_event(organizer=organizer, slug="civic-jam", title="Civic Jam")
    rubric = make_rubric(event, criteria=(("Impact", 1.0), ("Use of data", 1.0)))
    impact, data = rubric.criteria
    if breaks_ties:
        data.breaks_ties = True
        db.session.commit()
    return Jam(event, organizer, rubric, impact, data)


def _bias_scenario(jam: Jam, **entry_fields):
    """A harsh judge saw A, a lenient judge saw B, a neutral judge saw A, and all three saw
    C and D, which tie them together. True qualities A 4, B 3, C 3, D 2; harsh -1,
    lenient +1. Raw means put B (4.0) above A (3.5); the model puts A (3.75) above B (3.50)."""
    harsh = make_judge(jam.event, make_user(name="Hattie Harsh"))
    lenient = make_judge(jam.event, make_user(name="Lenny Lenient"))
    neutral = make_judge(jam.event, make_user(name="Nora Neutral"))
    entries = {
        name: make_entry(
            jam.event, title=f"Project {name}", team_name=f"Team {name}", **entry_fields
        )
        for name in "ABCD"
    }
    for judge, levels in (
        (harsh, {"A": 3, "C": 2, "D": 1}),
        (lenient, {"B": 4, "C": 4, "D": 3}),
        (neutral, {"A": 4, "C": 3, "D": 2}),
    ):
        for name, level in levels.items():
            jam.sheet(judge, entries[name], level)
    return entries, (harsh, lenient, neutral)


def _rows(response, slug: str = "overall") -> list[list[str]]:
    table = page(response).by_id(f"table-{slug}")
    assert table, f"no ranking table {slug!r} on the page"
    return [
        [cell.text for cell in row.walk() if cell.tag in ("td", "th")]
        for row in table[0].walk()
        if row.tag == "tr" and row.attrs.get("id", "").startswith("row-")
    ]


def _publish(client, jam: Jam):
    return client.post(f"{jam.base}/manage/results/publish", data={"confirm": "y", "publish": "1"})


def test_harsh_and_lenient_judges_are_corrected_while_raw_means_disagree(client, login_as):
    jam = setup_jam()
    _bias_scenario(jam)
    login_as(jam.organizer)

    response = client.get(f"{jam.base}/manage/results")

    rows = _rows(response)
    assert [(r[0], r[1], r[3], r[4], r[5]) for r in rows] == [
        ("1", "Project A", "3.75 ± 0.41", "3.50", "2"),
        ("2", "Project B", "3.50 ± 0.57", "4.00", "1"),
        ("3", "Project C", "3.00 ± 0.33", "3.00", "3"),
        ("4", "Project D", "2.00 ± 0.33", "2.00", "3"),
    ]
    assert "Tied with Project B" in rows[0][-1]


def test_incomplete_sheets_do_not_count_and_unscored_entries_are_listed_apart(client, login_as):
    jam = setup_jam()
    judge, other = make_judge(jam.event), make_judge(jam.event)
    scored = make_entry(jam.event, title="Scored Project")
    half = make_entry(jam.event, title="Half Scored Project")
    jam.sheet(judge, scored, 4)
    score(other, scored, {jam.impact: 1})  # no level for "Use of data": left out
    score(judge, half, {jam.impact: 5})
    login_as(jam.organizer)

    response = client.get(f"{jam.base}/manage/results")

    rows = _rows(response)
    assert [(r[1], r[4], r[5]) for r in rows] == [("Scored Project", "4.00", "1")]
    unranked = page(response).by_id("unranked-overall")[0].text
    assert "Half Scored Project" in unranked and "1 incomplete sheet" in unranked


def test_tie_is_broken_by_the_pre_declared_criterion(client, login_as):
    jam = setup_jam(breaks_ties=True)
    first, second = make_judge(jam.event), make_judge(jam.event)
    p = make_entry(jam.event, title="Pothole Map")
    q = make_entry(jam.event, title="Quiet Streets")
    for judge in (first, second):
        jam.sheet(judge, p, 4, data=2)  # total 3, data 2
        jam.sheet(judge, q, 2, data=4)  # total 3, data 4: wins the tie
    login_as(jam.organizer)

    response = client.get(f"{jam.base}/manage/results")

    rows = _rows(response)
    assert [(r[0], r[1], r[3]) for r in rows] == [
        ("1", "Quiet Streets", "3.00 ± 0.00"),
        ("2", "Pothole Map", "3.00 ± 0.00"),
    ]
    assert "Tie with Pothole Map broken by Use of data" in rows[0][-1]
    assert page(response).by_id("tie-overall-above_id") == []  # nothing left to decide


def _tied_pair(jam: Jam, **fields):
    judge, other = make_judge(jam.event), make_judge(jam.event)
    p = make_entry(jam.event, title="Pothole Map", **fields)
    q = make_entry(jam.event, title="Quiet Streets", **fields)
    for j in (judge, other):
        jam.sheet(j, p, 3)
        jam.sheet(j, q, 3)
    return p, q


def test_organizer_breaks_a_tie_with_a_reason_shown_on_the_public_page(client, login_as):
    jam = setup_jam()
    p, q = _tied_pair(jam)
    login_as(jam.organizer)
    ask = {"ranking": "overall", "tie-overall-above_id": q.id, "tie-overall-below_id": p.id}

    refused = client.post(f"{jam.base}/manage/results/ties", data={**ask})
    decided = client.post(
        f"{jam.base}/manage/results/ties",
        data={**ask, "tie-overall-reason": "Quiet Streets used three more city datasets."},
    )
    _publish(client, jam)
    public = client.get(f"{jam.base}/results")

    assert refused.status_code == 200
    assert page(refused).field_errors("tie-overall-reason") == [
        "Give the reason for this order: it is shown with the results."
    ]
    assert decided.status_code == 302
    rows = _rows(public)
    assert [r[1] for r in rows] == ["Quiet Streets", "Pothole Map"]
    assert "broken by the organizers’ decision" in rows[0][-1]
    decisions = page(public).by_id("decisions-overall")[0].text
    assert "Quiet Streets placed above Pothole Map: Quiet Streets used three more" in decisions
    assert db.session.scalar(db.select(db.func.count(TieBreak.id))) == 1
    assert "results.tie_break" in set(db.session.scalars(db.select(AuditEntry.action)))


def test_a_pair_that_is_not_tied_cannot_be_decided(client, login_as):
    jam = setup_jam()
    p, q = _tied_pair(jam)
    judge = make_judge(jam.event)
    clear = make_entry(jam.event, title="Clear Winner")
    for j in (judge, make_judge(jam.event)):
        jam.sheet(j, clear, 5)
    login_as(jam.organizer)

    response = client.post(
        f"{jam.base}/manage/results/ties",
        data={
            "ranking": "overall",
            "tie-overall-above_id": p.id,
            "tie-overall-below_id": clear.id,
            "tie-overall-reason": "Because.",
        },
    )

    assert response.status_code == 200
    assert "are not tied in All entries" in " ".join(
        page(response).field_errors("tie-overall-below_id")
    )
    assert db.session.scalar(db.select(db.func.count(TieBreak.id))) == 0


def _prize_setup():
    jam = setup_jam()
    buses = make_challenge(jam.event, title="Faster Buses")
    parks = make_challenge(jam.event, title="Greener Parks")
    prize = make_prize(buses, name="Best Bus Idea", amount=5000)
    judge = make_judge(jam.event)
    bus_a = make_entry(jam.event, challenge=buses, title="Bus Bunching Radar")
    bus_b = make_entry(jam.event, challenge=buses, title="Stop Finder")
    park = make_entry(jam.event, challenge=parks, title="Shade Mapper")
    for entry, level in ((bus_a, 5), (bus_b, 2), (park, 4)):
        jam.sheet(judge, entry, level)
    return jam, buses, prize, bus_a, bus_b, park


def test_prizes_go_to_entries_of_the_challenge_up_to_its_winners(client, login_as):
    jam, buses, prize, bus_a, bus_b, park = _prize_setup()
    login_as(jam.organizer)
    url = f"{jam.base}/manage/results/prizes"
    field = f"prize_{prize.id}"

    too_many = client.post(url, data={"challenge_id": buses.id, field: [bus_a.id, bus_b.id]})
    elsewhere = client.post(url, data={"challenge_id": buses.id, field: [park.id]})
    awarded = client.post(url, data={"challenge_id": buses.id, field: [bus_a.id]})
    _publish(client, jam)
    public = client.get(f"{jam.base}/results")

    assert page(too_many).field_errors(field) == ["Best Bus Idea has 1 winner: choose at most 1."]
    assert page(elsewhere).field_errors(field) == [
        "Best Bus Idea can only go to a submitted project of Faster Buses."
    ]
    assert awarded.status_code == 302
    awards = db.session.execute(db.select(PrizeAward.prize_id, PrizeAward.submission_id)).all()
    assert awards == [(prize.id, bus_a.id)]
    prizes = page(public).by_id(f"prizes-{buses.id}")[0].text
    assert "Best Bus Idea ($5,000): Bus Bunching Radar" in prizes
    assert [r[1] for r in _rows(public, str(buses.id))] == ["Bus Bunching Radar", "Stop Finder"]
    assert "results.prizes" in set(db.session.scalars(db.select(AuditEntry.action)))


def test_refused_prize_choice_keeps_the_earlier_award(client, login_as):
    jam, buses, prize, bus_a, bus_b, park = _prize_setup()
    login_as(jam.organizer)
    url = f"{jam.base}/manage/results/prizes"
    client.post(url, data={"challenge_id": buses.id, f"prize_{prize.id}": [bus_b.id]})

    client.post(url, data={"challenge_id": buses.id, f"prize_{prize.id}": [bus_a.id, park.id]})

    db.session.rollback()
    assert db.session.scalars(db.select(PrizeAward.submission_id)).all() == [bus_b.id]


def test_publish_needs_confirmation_and_opens_the_public_page(client, login_as):
    jam = setup_jam()
    _bias_scenario(jam)
    anonymous = client.get(f"{jam.base}/results").status_code
    login_as(jam.organizer)
    preview = client.get(f"{jam.base}/results")

    unconfirmed = client.post(f"{jam.base}/manage/results/publish", data={"publish": "1"})
    no_row_yet = db.session.get(JudgingSettings, jam.event.id)
    published = _publish(client, jam)
    client.post("/logout")
    public = client.get(f"{jam.base}/results")

    assert anonymous == 404
    assert "Preview: these results are not published" in page(preview).text
    assert page(unconfirmed).field_errors("confirm") == ["Tick the box to confirm."]
    assert no_row_yet is None
    assert published.status_code == 302
    db.session.rollback()
    assert db.session.get(JudgingSettings, jam.event.id).results_published_at is not None
    assert public.status_code == 200
    assert "Preview" not in page(public).text
    assert [r[1] for r in _rows(public)] == ["Project A", "Project B", "Project C", "Project D"]
    assert "How the ranking was computed" in page(public).text


def test_unpublish_hides_the_results_again(client, login_as):
    jam = setup_jam()
    _bias_scenario(jam)
    login_as(jam.organizer)
    _publish(client, jam)

    taken_down = client.post(
        f"{jam.base}/manage/results/publish", data={"confirm": "y", "publish": "0"}
    )
    client.post("/logout")

    assert taken_down.status_code == 302
    assert client.get(f"{jam.base}/results").status_code == 404
    actions = set(db.session.scalars(db.select(AuditEntry.action)))
    assert {"results.publish", "results.unpublish"} <= actions


def test_publishing_waits_for_a_tie_that_decides_a_prize(client, login_as):
    jam = setup_jam()
    buses = make_challenge(jam.event, title="Faster Buses")
    make_prize(buses, name="Best Bus Idea")
    _tied_pair(jam, challenge=buses)
    login_as(jam.organizer)

    page_before = client.get(f"{jam.base}/manage/results")
    refused = _publish(client, jam)

    assert "Break these ties before publishing" in page(page_before).text
    assert (
        "Break the tie between Pothole Map and Quiet Streets in Faster Buses first"
        in page(refused).text
    )
    db.session.rollback()
    assert db.session.get(JudgingSettings, jam.event.id) is None


def test_public_page_never_shows_judges_or_private_notes(client, login_as):
    jam = setup_jam()
    entries, judges = _bias_scenario(jam)
    jam.sheet(
        make_judge(jam.event, make_user(name="Quentin Quiet")),
        entries["B"],
        3,
        comment="Lovely maps, tighten the pitch.",
        note="Private: the captain is my cousin's neighbour.",
    )
    login_as(jam.organizer)
    _publish(client, jam)
    client.post("/logout")

    text = page(client.get(f"{jam.base}/results")).text

    for secret in ("Hattie", "Lenny", "Nora", "Quentin", "Private:", "Lovely maps"):
        assert secret not in text


def test_team_member_sees_averages_and_comments_for_the_team_only(client, login_as):
    jam = setup_jam()
    judge, other = make_judge(jam.event, make_user(name="Jill Judge")), make_judge(jam.event)
    entry = make_entry(jam.event, title="Bus Bunching Radar", team_name="Route Runners")
    rival = make_entry(jam.event, title="Stop Finder")
    jam.sheet(judge, entry, 4, data=3, comment="Zesty demo.", note="Private: weak code.")
    jam.sheet(other, entry, 2, data=5, comment="Add more datasets.", note="Private: slow.")
    jam.sheet(judge, rival, 1, comment="Rival comment.")
    jam.sheet(other, rival, 1)
    member = entry.team.captain
    stranger = make_user()
    login_as(jam.organizer)
    _publish(client, jam)

    login_as(member)
    mine = page(client.get(f"{jam.base}/results/feedback"))
    login_as(stranger)
    theirs = page(client.get(f"{jam.base}/results/feedback"))

    criteria = [
        [c.text for c in row.walk() if c.tag in ("th", "td")]
        for row in mine.by_id("criteria")[0].walk()
        if row.tag == "tr"
    ][1:]
    assert [row[0] for row in criteria] == ["Impact", "Use of data"]
    assert [row[1:] for row in criteria] == [["3.00", "1 to 5", "2"], ["4.00", "1 to 5", "2"]]
    comments = [li.text for li in mine.by_id("comments")[0].walk() if li.tag == "li"]
    assert comments == ["Add more datasets.", "Zesty demo."]
    assert "place 1 of 2" in mine.by_id("placements")[0].text
    for secret in ("Private:", "Jill", "Rival comment"):
        assert secret not in mine.text
    assert "not on a team" in theirs.by_id("feedback-state")[0].text


def test_feedback_before_publication_says_results_are_not_out(client, login_as):
    jam = setup_jam()
    entry = make_entry(jam.event, title="Bus Bunching Radar")
    jam.sheet(make_judge(jam.event), entry, 4, comment="Zesty demo.")
    login_as(entry.team.captain)

    response = client.get(f"{jam.base}/results/feedback")

    assert response.status_code == 200
    assert "not out yet" in page(response).by_id("feedback-state")[0].text
    assert "Zesty demo." not in page(response).text


def test_results_link_on_event_and_team_pages_after_publication(client, login_as):
    jam = setup_jam()
    entry = make_entry(jam.event, title="Bus Bunching Radar")
    jam.sheet(make_judge(jam.event), entry, 4)
    member = entry.team.captain
    login_as(member)
    before = page(client.get(f"/events/{jam.event.slug}/teams/{entry.team_id}"))
    login_as(jam.organizer)
    _publish(client, jam)
    login_as(member)

    event_page = page(client.get(f"/events/{jam.event.slug}"))
    team_page = page(client.get(f"/events/{jam.event.slug}/teams/{entry.team_id}"))

    assert before.by_id("feedback-link") == []
    assert "results" in event_page.by_id("results-link")[0].text
    assert team_page.by_id("feedback-link")


def test_another_events_challenge_is_not_found_under_this_event(client, login_as):
    jam = setup_jam()
    _tied_pair(jam)
    other = make_event(organizer=make_organizer())
    other_challenge = make_challenge(other, title="Elsewhere")
    other_prize = make_prize(other_challenge)
    login_as(jam.organizer)

    prizes = client.post(
        f"{jam.base}/manage/results/prizes",
        data={"challenge_id": other_challenge.id, f"prize_{other_prize.id}": []},
    )
    ties = client.post(
        f"{jam.base}/manage/results/ties",
        data={"ranking": other_challenge.id, "tie-overall-reason": "x"},
    )

    assert (prizes.status_code, ties.status_code) == (404, 404)


def test_another_events_entry_cannot_win_a_prize_here(client, login_as):
    jam, buses, prize, bus_a, bus_b, park = _prize_setup()
    other = make_event(organizer=make_organizer())
    stranger_entry = make_entry(other, challenge=make_challenge(other))
    login_as(jam.organizer)

    response = client.post(
        f"{jam.base}/manage/results/prizes",
        data={"challenge_id": buses.id, f"prize_{prize.id}": [stranger_entry.id]},
    )

    assert "can only go to a submitted project of Faster Buses" in page(response).text
    assert db.session.scalar(db.select(db.func.count(PrizeAward.id))) == 0


def test_a_dropped_judge_counts_and_a_conflicted_judge_does_not(client, login_as):
    jam = setup_jam()
    stays, leaves, conflicted = (make_judge(jam.event) for _ in range(3))
    entry = make_entry(jam.event, title="Bus Bunching Radar")
    jam.sheet(stays, entry, 2)
    jam.sheet(leaves, entry, 4)
    jam.sheet(conflicted, entry, 5)
    profile = db.session.scalar(db.select(JudgeProfile).filter_by(user_id=leaves.id))
    profile.dropped_at = now() - timedelta(hours=1)
    db.session.add(
        JudgeConflict(
            event_id=jam.event.id, judge_id=conflicted.id, team_id=entry.team_id, reason="Sister"
        )
    )
    db.session.commit()
    login_as(jam.organizer)

    rows = _rows(client.get(f"{jam.base}/manage/results"))

    assert [(r[1], r[4], r[5]) for r in rows] == [("Bus Bunching Radar", "3.00", "2")]


def test_only_the_finalists_are_ranked_in_a_pairwise_event(client, login_as):
    jam = setup_jam()
    judge = make_judge(jam.event)
    finalist = make_entry(jam.event, title="Finalist Project")
    other = make_entry(jam.event, title="First Round Project")
    for entry in (finalist, other):
        jam.sheet(judge, entry, 4)
    db.session.add_all(
        [
            JudgingSettings(event_id=jam.event.id, pairwise=True),
            Finalist(submission_id=finalist.id, event_id=jam.event.id, rank=1),
        ]
    )
    db.session.commit()
    login_as(jam.organizer)

    response = client.get(f"{jam.base}/manage/results")

    assert [r[1] for r in _rows(response)] == ["Finalist Project"]
    assert "First Round Project" not in page(response).text


def test_peoples_choice_votes_show_beside_the_ranking_and_every_registrant_counts(
    client, login_as, clock
):
    jam = setup_jam()
    entries, _ = _bias_scenario(jam)
    early_voters = [make_user() for _ in range(2)]
    clock.advance(days=1)
    opens = clock()
    clock.advance(hours=1)
    new_account = make_user()
    unregistered = make_user()
    for person in (*early_voters, new_account):
        register(jam.event, person)
    db.session.add(
        JudgingSettings(
            event_id=jam.event.id, voting_opens_at=opens, voting_closes_at=opens + timedelta(days=1)
        )
    )
    db.session.add_all(
        [
            Vote(event_id=jam.event.id, user_id=u.id, submission_id=entries["D"].id)
            for u in (*early_voters, new_account, unregistered)
        ]
    )
    db.session.commit()
    login_as(jam.organizer)

    shown = client.get(f"{jam.base}/manage/results")

    votes = {r[1]: r[6] for r in _rows(shown)}
    assert votes["Project D"] == "3"
    assert votes["Project A"] == "0"
    assert page(shown).by_id("votes-count")[0].text == (
        "3 votes counted; 1 did not, because its voter is no longer a confirmed registrant "
        "of the event."
    )
    assert "however new their account" in page(shown).by_id("votes-rule")[0].text
