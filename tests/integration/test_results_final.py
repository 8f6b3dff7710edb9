"""Published results are final: once the organizers publish, no judge saves, edits or recuses,
no pairwise answer and no vote is taken, whatever the judging and voting windows say, and no
page offers any of it. Reopening judging is the organizer's explicit action: it takes the
results down first and is written in the audit log."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import timedelta

import pytest

from eventhub.accounts.models import User
from eventhub.core.models import AuditEntry
from eventhub.database import writing
from eventhub.errors import DomainError
from eventhub.events.models import Event
from eventhub.extensions import db
from eventhub.judging import scoring
from eventhub.judging.models import (
    Assignment,
    Criterion,
    Finalist,
    JudgeConflict,
    JudgeProfile,
    JudgingSettings,
    PairwiseComparison,
    Score,
)
from eventhub.judging.rubric import save_rubric
from eventhub.results.models import PrizeAward, TieBreak, Vote
from eventhub.results.services import publish_results
from eventhub.submissions.models import Submission
from tests.factories import (
    assign,
    make_challenge,
    make_entry,
    make_event,
    make_judge,
    make_organizer,
    make_prize,
    make_rubric,
    make_team,
    make_user,
    register,
    score,
)
from tests.integration.pages import page


@dataclass
class Jam:
    event: object
    organizer: object
    judge: object
    voter: object
    radar: object
    ledger: object
    criteria: list

    @property
    def base(self) -> str:
        return f"/events/{self.event.slug}"

    def sheet(self, entry, level: int) -> dict:
        data = {f"criterion_{c.id}": str(level) for c in self.criteria}
        return {**data, "then": "stay", "comment_for_team": "", "note_for_organizers": ""}


def judged_jam(clock) -> Jam:
    """A published event whose judging and voting windows both close two days from now. Two
    judges scored both entries: Bus Radar first, Ledger Lens second. A registrant voted."""
    organizer = make_organizer(name="Olga Organizer")
    event = make_event(organizer=organizer, slug="civic-jam", title="Civic Jam")
    later = clock.at + timedelta(days=2)
    db.session.add(
        JudgingSettings(
            event_id=event.id,
            opens_at=clock.at - timedelta(hours=1),
            closes_at=later,
            voting_opens_at=clock.at - timedelta(hours=1),
            voting_closes_at=later,
        )
    )
    db.session.commit()
    rubric = make_rubric(event, criteria=(("Impact", 1.0), ("Use of data", 1.0)))
    impact, data = rubric.criteria
    judge = make_judge(event, make_user(name="Jo Judge"))
    other = make_judge(event, make_user(name="Kim Judge"))
    radar = make_entry(event, title="Bus Radar", team_name="Radar Team")
    ledger = make_entry(event, title="Ledger Lens", team_name="Open Ledger")
    for person, levels in ((judge, (5, 2)), (other, (4, 3))):
        for entry, level in zip((radar, ledger), levels, strict=True):
            assign(person, entry)
            score(person, entry, {impact: level, data: level})
    voter = make_user(name="Vic Voter")
    register(event, voter)
    db.session.add(Vote(event_id=event.id, user_id=voter.id, submission_id=radar.id))
    db.session.commit()
    return Jam(event, organizer, judge, voter, radar, ledger, [impact, data])


def _publish(client, login_as, jam: Jam):
    login_as(jam.organizer)
    published = client.post(
        f"{jam.base}/manage/results/publish", data={"confirm": "y", "publish": "1"}
    )
    assert published.status_code == 302
    client.post("/logout")


def _ranking(client, jam: Jam) -> list[str]:
    table = page(client.get(f"{jam.base}/results")).by_id("table-overall")[0]
    return [
        " ".join(cell.text for cell in row.walk() if cell.tag in ("td", "th"))
        for row in table.walk()
        if row.tag == "tr" and row.attrs.get("id", "").startswith("row-")
    ]


def _rows() -> tuple:
    db.session.rollback()
    scores = sorted(
        db.session.execute(db.select(Score.judge_id, Score.submission_id, Score.value)).all()
    )
    votes = sorted(db.session.execute(db.select(Vote.user_id, Vote.submission_id)).all())
    conflicts = db.session.scalar(db.select(db.func.count()).select_from(JudgeConflict))
    return scores, votes, conflicts


def test_judge_whose_window_outlives_publication_changes_nothing(client, login_as, clock):
    jam = judged_jam(clock)
    _publish(client, login_as, jam)
    before, public_before = _rows(), _ranking(client, jam)
    sheet_url = f"{jam.base}/judging/{jam.radar.id}"
    clock.advance(hours=1)

    login_as(jam.judge)
    rescored = client.post(sheet_url, data=jam.sheet(jam.radar, 1))
    recused = client.post(f"{sheet_url}/recuse", data={"reason": "Second thoughts."})
    sheet = page(client.get(sheet_url))
    queue = page(client.get(f"{jam.base}/judging"))
    login_as(jam.voter)
    voted = client.post(f"{jam.base}/vote", data={"submission_id": jam.ledger.id})
    ballot = page(client.get(f"{jam.base}/vote"))
    event_page = page(client.get(jam.base))
    client.post("/logout")

    assert rescored.status_code == 403
    assert "Judging closed when the results were published" in page(rescored).text
    assert recused.status_code == 302
    assert voted.status_code == 302
    assert _rows() == before
    assert _ranking(client, jam) == public_before
    assert public_before[0].startswith("1 Bus Radar")
    assert not sheet.all("form", action=sheet_url)
    assert not sheet.all("form", action=f"{sheet_url}/recuse")
    assert "Judging closed when the results were published" in sheet.text
    assert "Judging closed when the results were published" in queue.text
    assert ballot.all("input", name="submission_id") == []
    assert "Voting closed when the results were published" in ballot.text
    assert event_page.by_id("vote-link") == []


def test_moving_the_windows_later_after_publication_reopens_nothing(client, login_as, clock):
    jam = judged_jam(clock)
    _publish(client, login_as, jam)
    settings = db.session.get(JudgingSettings, jam.event.id)
    settings.closes_at = settings.voting_closes_at = clock.at + timedelta(days=30)
    db.session.commit()
    before = _rows()

    login_as(jam.judge)
    rescored = client.post(f"{jam.base}/judging/{jam.radar.id}", data=jam.sheet(jam.radar, 1))
    login_as(jam.voter)
    client.post(f"{jam.base}/vote", data={"submission_id": jam.ledger.id})

    assert rescored.status_code == 403
    assert _rows() == before
    login_as(jam.organizer)
    shown = page(client.get(f"{jam.base}/manage/judging/settings"))
    assert "judging and voting are closed whatever the times below say" in shown.text


def test_pairwise_answers_stop_when_results_are_published(client, login_as, clock):
    organizer = make_organizer()
    event = make_event(organizer=organizer, slug="expo", title="Civic Expo")
    db.session.add(
        JudgingSettings(
            event_id=event.id,
            pairwise=True,
            opens_at=clock.at - timedelta(hours=1),
            closes_at=clock.at + timedelta(days=2),
        )
    )
    db.session.commit()
    make_rubric(event)
    judge = make_judge(event)
    for n in (1, 2, 3):
        make_entry(event, title=f"Booth {n}")
    compare = "/events/expo/judging/compare"
    login_as(judge)
    client.post(compare, data={"choice": "start", "current": ""})
    db.session.rollback()
    profile = db.session.scalar(db.select(JudgeProfile).where(JudgeProfile.user_id == judge.id))
    client.post(compare, data={"choice": "next", "current": profile.pair_next_id})
    db.session.rollback()
    current = db.session.get(JudgeProfile, profile.id).pair_next_id
    login_as(organizer)
    client.post("/events/expo/manage/results/publish", data={"confirm": "y", "publish": "1"})

    login_as(judge)
    pressed = client.post(
        compare, data={"choice": "current", "current": current}, follow_redirects=True
    )
    shown = page(client.get(compare))

    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(PairwiseComparison)) == 0
    assert "Judging closed when the results were published" in page(pressed).text
    assert shown.all("form", action=compare) == []


def test_taking_results_down_does_not_reopen_judging_or_voting(client, login_as, clock):
    jam = judged_jam(clock)
    _publish(client, login_as, jam)
    login_as(jam.organizer)
    client.post(f"{jam.base}/manage/results/publish", data={"confirm": "y", "publish": "0"})
    before = _rows()

    login_as(jam.judge)
    rescored = client.post(f"{jam.base}/judging/{jam.radar.id}", data=jam.sheet(jam.radar, 1))
    login_as(jam.voter)
    client.post(f"{jam.base}/vote", data={"submission_id": jam.ledger.id})

    assert rescored.status_code == 403
    assert _rows() == before


def test_organizer_reopens_judging_explicitly_and_it_is_audited(client, login_as, clock):
    jam = judged_jam(clock)
    _publish(client, login_as, jam)
    login_as(jam.organizer)
    manage = f"{jam.base}/manage/results"
    reopen = f"{manage}/reopen"

    offered = page(client.get(manage))
    unconfirmed = client.post(reopen, data={"reopen-closes_at": "2026-03-03T18:00"})
    still_published = db.session.get(JudgingSettings, jam.event.id).results_published_at
    past = client.post(reopen, data={"reopen-confirm": "y", "reopen-closes_at": "2026-03-01T18:00"})
    done = client.post(
        reopen,
        data={"reopen-confirm": "y", "reopen-closes_at": "2026-03-03T18:00"},
        follow_redirects=True,
    )
    after = page(client.get(manage))
    login_as(jam.judge)
    rescored = client.post(f"{jam.base}/judging/{jam.radar.id}", data=jam.sheet(jam.radar, 1))
    client.post("/logout")

    assert offered.all("form", action=reopen)
    assert "Reopen judging" in offered.text
    assert page(unconfirmed).field_errors("reopen-confirm") == ["Tick the box to confirm."]
    assert still_published is not None
    assert "future" in " ".join(page(past).field_errors("reopen-closes_at"))
    assert done.status_code == 200 and "judging is open again" in page(done).text
    assert after.all("form", action=reopen) == []
    assert rescored.status_code == 302
    assert client.get(f"{jam.base}/results").status_code == 404
    db.session.rollback()
    settings = db.session.get(JudgingSettings, jam.event.id)
    assert settings.results_published_at is None
    assert settings.closes_at.isoformat() == "2026-03-03T23:00:00+00:00"
    audited = db.session.scalars(
        db.select(AuditEntry)
        .where(AuditEntry.action.like("results.%") | AuditEntry.action.like("judging.%"))
        .order_by(AuditEntry.id)
    ).all()
    actions = [a.action for a in audited]
    assert actions[-2:] == ["results.unpublish", "judging.reopen"]
    assert audited[-1].actor_id == jam.organizer.id
    assert audited[-1].detail["closes_at"] == "2026-03-03T23:00:00+00:00"


def _everything() -> dict:
    """Every row the results are computed from, and the organizer's decisions on them."""
    db.session.rollback()

    def rows(*columns):
        return sorted(tuple(r) for r in db.session.execute(db.select(*columns)).all())

    return {
        "scores": rows(Score.judge_id, Score.submission_id, Score.criterion_id, Score.value),
        "votes": rows(Vote.user_id, Vote.submission_id),
        "conflicts": rows(JudgeConflict.judge_id, JudgeConflict.team_id, JudgeConflict.source),
        "affiliations": rows(JudgeProfile.user_id, JudgeProfile.affiliations),
        "assignments": rows(Assignment.judge_id, Assignment.submission_id),
        "criteria": rows(Criterion.id, Criterion.name, Criterion.weight),
        "ties": rows(TieBreak.above_id, TieBreak.below_id),
        "prizes": rows(PrizeAward.prize_id, PrizeAward.submission_id),
    }


def test_after_publication_no_page_offers_a_change_to_judging_and_none_is_taken(
    client, login_as, clock
):
    jam = judged_jam(clock)
    buses = make_challenge(jam.event, title="Faster Buses")
    prize = make_prize(buses, name="Best Bus Idea")
    spare = make_team(jam.event, make_user(), name="Spare Team")
    declared = JudgeConflict(
        event_id=jam.event.id, judge_id=jam.judge.id, team_id=spare.id, reason="Old friend"
    )
    db.session.add(declared)
    db.session.commit()
    pair = db.session.scalar(
        db.select(Assignment).where(
            Assignment.judge_id == jam.judge.id, Assignment.submission_id == jam.radar.id
        )
    )
    _publish(client, login_as, jam)
    before = _everything()
    manage = f"{jam.base}/manage"
    attempts = [
        (jam.judge, f"{jam.base}/judging/affiliations", {"affiliations": "City Hall"}),
        (
            jam.judge,
            f"{jam.base}/judging/conflicts",
            {"team-team_id": jam.radar.team_id, "team-reason": "My cousin's team."},
        ),
        (jam.judge, f"{jam.base}/judging/conflicts/{declared.id}/remove", {}),
        (jam.organizer, f"{manage}/judging/assignments/{pair.id}/remove", {"confirm": "y"}),
        (
            jam.organizer,
            f"{manage}/results/ties",
            {
                "ranking": "overall",
                "tie-overall-above_id": jam.ledger.id,
                "tie-overall-below_id": jam.radar.id,
                "tie-overall-reason": "Changed our minds.",
            },
        ),
        (
            jam.organizer,
            f"{manage}/results/prizes",
            {"challenge_id": buses.id, f"prize_{prize.id}": [jam.radar.id]},
        ),
    ]
    pages = {
        jam.judge: [f"{jam.base}/judging/conflicts"],
        jam.organizer: [
            f"{manage}/judging/assignments",
            f"{manage}/results",
            f"{manage}/judging/rubric",
        ],
    }

    answers = []
    for person, url, data in attempts:
        login_as(person)
        answers.append((url, page(client.post(url, data=data, follow_redirects=True)).text))
    offered = []
    for person, urls in pages.items():
        login_as(person)
        for url in urls:
            shown = page(client.get(url))
            offered += [f.attrs["action"] for f in shown.all("form")]
    with pytest.raises(DomainError, match="The results are published"):
        save_rubric(jam.criteria[0].rubric, {"criteria": []}, actor=jam.organizer)

    for url, text in answers:
        assert "The results are published, so" in text, url
    assert _everything() == before
    for _, url, _ in attempts:
        assert url not in offered
    assert f"{manage}/results/reopen" in offered
    assert not [a for a in offered if "/judging/rubric" in a]


def test_organizer_cannot_choose_finalists_once_results_are_published(client, login_as, clock):
    organizer = make_organizer()
    event = make_event(organizer=organizer, slug="expo", title="Civic Expo")
    db.session.add(JudgingSettings(event_id=event.id, pairwise=True, finalists=1))
    db.session.commit()
    judge = make_judge(event)
    booths = [make_entry(event, title=f"Booth {n}") for n in (1, 2)]
    db.session.add(
        PairwiseComparison(
            event_id=event.id, judge_id=judge.id, winner_id=booths[0].id, loser_id=booths[1].id
        )
    )
    db.session.commit()
    login_as(organizer)
    client.post("/events/expo/manage/results/publish", data={"confirm": "y", "publish": "1"})

    refused = page(
        client.post("/events/expo/manage/judging/pairwise/finalists", data={"count": "1"})
    )
    shown = page(client.get("/events/expo/manage/judging/pairwise"))

    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(Finalist)) == 0
    assert "The results are published, so the finalists" in refused.text
    assert shown.all("form", action="/events/expo/manage/judging/pairwise/finalists") == []


def test_a_score_saved_while_the_results_are_being_published_is_refused(app, clock):
    jam = judged_jam(clock)
    ids = (jam.event.id, jam.organizer.id, jam.judge.id, jam.radar.id)
    levels = {c.id: 1 for c in jam.criteria}
    before = _rows()
    flushed = threading.Event()
    outcomes: dict[str, str] = {}

    def publish():
        with app.app_context():
            writing()
            try:
                event, organizer = db.session.get(Event, ids[0]), db.session.get(User, ids[1])
                publish_results(event, actor=organizer)
                flushed.set()
                time.sleep(0.5)  # the save below starts while this is not yet committed
                db.session.commit()
                outcomes["publish"] = "published"
            except Exception as exc:  # reported by the test, not lost with the thread
                outcomes["publish"] = repr(exc)
            finally:
                flushed.set()
                db.session.remove()

    def save():
        flushed.wait(timeout=10)
        with app.app_context():
            writing()
            try:
                entry, judge = db.session.get(Submission, ids[3]), db.session.get(User, ids[2])
                scoring.save_sheet(entry, {"values": levels}, actor=judge)
                db.session.commit()
                outcomes["save"] = "saved"
            except DomainError as exc:
                outcomes["save"] = exc.message
            except Exception as exc:
                outcomes["save"] = repr(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=publish), threading.Thread(target=save)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert outcomes["publish"] == "published"
    assert "Judging closed when the results were published" in outcomes["save"]
    assert _rows() == before
