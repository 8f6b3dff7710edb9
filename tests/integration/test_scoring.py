"""A judge's queue and score sheets: progress, one row per criterion however often a sheet is
saved, the refusals (unassigned, conflicted, closed, dropped, withdrawn) that save nothing,
editing until judging closes, recusal, and the audit log."""

import threading
from dataclasses import dataclass
from datetime import timedelta

from eventhub.accounts.models import User
from eventhub.clock import now
from eventhub.core.models import AuditEntry
from eventhub.database import writing
from eventhub.extensions import db
from eventhub.judging import scoring
from eventhub.judging.models import (
    Assignment,
    JudgeConflict,
    JudgeProfile,
    JudgingSettings,
    Review,
    Score,
)
from eventhub.submissions.models import Submission
from tests.factories import (
    assign,
    make_entry,
    make_event,
    make_judge,
    make_organizer,
    make_rubric,
    make_screenshot,
    score,
)
from tests.integration.pages import page


@dataclass
class Judged:
    event: object
    organizer: object
    judge: object
    entries: list
    criteria: list
    base: str

    def form(self, values=(4, 3), then="stay", **texts):
        data = {f"criterion_{c.id}": str(v) for c, v in zip(self.criteria, values, strict=False)}
        data["then"] = then
        data.setdefault("comment_for_team", texts.get("comment", "Clear demo."))
        data.setdefault("note_for_organizers", texts.get("note", "Strong team."))
        return data


def judged_event(entries=3, *, open_for=timedelta(days=1)) -> Judged:
    """A published event whose judging is open now, a two-criterion rubric, and a judge
    assigned to ``entries`` submitted entries."""
    organizer = make_organizer()
    event = make_event(organizer=organizer, slug="budget-jam", title="Budget Datajam")
    db.session.add(
        JudgingSettings(
            event_id=event.id, opens_at=now() - timedelta(hours=1), closes_at=now() + open_for
        )
    )
    db.session.commit()
    rubric = make_rubric(event)
    judge = make_judge(event)
    made = [
        make_entry(event, title=f"Entry {chr(65 + i)}", team_name=f"Team {chr(65 + i)}")
        for i in range(entries)
    ]
    for entry in made:
        assign(judge, entry)
    return Judged(
        event, organizer, judge, made, list(rubric.criteria), "/events/budget-jam/judging"
    )


def _count(model, **where) -> int:
    db.session.rollback()
    stmt = db.select(db.func.count()).select_from(model)
    for name, value in where.items():
        stmt = stmt.where(getattr(model, name) == value)
    return db.session.scalar(stmt)


def _values(judge, entry) -> dict[int, int]:
    db.session.rollback()
    rows = db.session.execute(
        db.select(Score.criterion_id, Score.value).where(
            Score.judge_id == judge.id, Score.submission_id == entry.id
        )
    )
    return {criterion_id: value for criterion_id, value in rows}


# --- the queue ------------------------------------------------------------------------------


def test_queue_shows_progress_as_one_of_three_and_each_entry_with_its_state(client, login_as):
    j = judged_event(3)
    score(j.judge, j.entries[1], {j.criteria[0]: 4, j.criteria[1]: 2})
    login_as(j.judge)

    shown = page(client.get(j.base))

    assert "1 of 3 scored" in shown.by_id("progress-text")[0].text
    bar = shown.by_id("progress-bar")[0]
    assert (bar.tag, bar.attrs["value"], bar.attrs["max"]) == ("progress", "1", "3")
    items = [li.text for li in shown.by_id("queue")[0].walk() if li.tag == "li"]
    assert items == [
        "Entry A Team A Not yet",
        "Entry B Team B Scored",
        "Entry C Team C Not yet",
    ]
    links = [a.attrs["href"] for a in shown.by_id("queue")[0].walk() if a.tag == "a"]
    assert links == [f"{j.base}/{e.id}" for e in j.entries]
    assert "Judging is open until" in shown.by_id("judging-window")[0].text


def test_queue_never_shows_a_conflicted_entry_even_with_a_stray_assignment(client, login_as):
    j = judged_event(3)
    hidden = j.entries[2]
    db.session.add(
        JudgeConflict(
            event_id=j.event.id, judge_id=j.judge.id, team_id=hidden.team_id, reason="Mentor"
        )
    )
    db.session.commit()
    login_as(j.judge)

    queue = client.get(j.base)
    sheet = client.get(f"{j.base}/{hidden.id}")

    assert "Entry C" not in queue.get_data(as_text=True)
    assert "Team C" not in queue.get_data(as_text=True)
    assert "0 of 2 scored" in page(queue).text
    assert sheet.status_code == 403
    assert "Entry C" not in sheet.get_data(as_text=True)
    assert "conflict of interest" in page(sheet).by_id("refusal")[0].text


def test_queue_says_when_judging_opens_and_when_it_has_closed(app, client, login_as, clock):
    j = judged_event(1)
    settings = db.session.get(JudgingSettings, j.event.id)
    settings.opens_at = now() + timedelta(days=2)
    db.session.commit()
    login_as(j.judge)

    before = page(client.get(j.base)).by_id("judging-window")[0].text
    clock.advance(days=5)
    after = page(client.get(j.base)).by_id("judging-window")[0].text

    assert before.startswith("Judging opens at ") and "2026" in before
    assert after.startswith("Judging has closed")


def test_event_page_links_judges_to_their_queue(client, login_as):
    j = judged_event(1)
    login_as(j.judge)

    shown = page(client.get("/events/budget-jam"))

    assert shown.by_id("judging-queue-link")[0].attrs["href"] == j.base


# --- saving a sheet -------------------------------------------------------------------------


def test_saving_makes_one_row_per_criterion_and_saving_again_updates_them(client, login_as):
    j = judged_event(1)
    entry = j.entries[0]
    login_as(j.judge)

    first = client.post(f"{j.base}/{entry.id}", data=j.form((4, 3)))
    rows_after_first = _count(Score)
    second = client.post(f"{j.base}/{entry.id}", data=j.form((5, 3), comment="Even better."))
    shown = page(client.get(f"{j.base}/{entry.id}"))

    assert first.headers["Location"] == f"{j.base}/{entry.id}"
    assert second.status_code == 302
    assert rows_after_first == 2 and _count(Score) == 2 and _count(Review) == 1
    assert _values(j.judge, entry) == {j.criteria[0].id: 5, j.criteria[1].id: 3}
    assert db.session.scalar(db.select(Review.comment_for_team)) == "Even better."
    checked = [
        n.attrs["value"]
        for c in j.criteria
        for n in shown.all("input", name=f"criterion_{c.id}")
        if "checked" in n.attrs
    ]
    assert checked == ["5", "3"]
    assert shown.value("comment_for_team") == "Even better."


def test_score_page_shows_the_entry_and_each_level_sentence(client, login_as):
    j = judged_event(1)
    entry = j.entries[0]
    db.session.execute(
        db.update(Submission)
        .where(Submission.id == entry.id)
        .values(tagline="Where money goes", description="A **map** of spending.")
    )
    db.session.commit()
    login_as(j.judge)

    response = client.get(f"{j.base}/{entry.id}")
    shown = page(response)

    assert response.status_code == 200
    assert "Where money goes" in shown.text and "<strong>map</strong>" in response.text
    legends = [n.text for n in shown.all("legend")]
    assert legends == ["Impact (67% of the total)", "Use of data (33% of the total)"]
    labels = [n.text for n in shown.all("label") if n.attrs.get("for", "").startswith("criterion")]
    assert labels[0] == "Level 1 Impact: level 1 of 5" and len(labels) == 10


def test_missing_criterion_is_named_and_nothing_is_saved(client, login_as):
    j = judged_event(1)
    entry = j.entries[0]
    login_as(j.judge)
    data = j.form((4, 3))
    del data[f"criterion_{j.criteria[1].id}"]

    response = client.post(f"{j.base}/{entry.id}", data=data)

    assert response.status_code == 200
    assert "Choose a level for Use of data. Nothing was saved." in page(response).text
    assert _count(Score) == 0 and _count(Review) == 0


def test_missing_criterion_keeps_earlier_scores_unchanged(client, login_as):
    j = judged_event(1)
    entry = j.entries[0]
    score(j.judge, entry, {j.criteria[0]: 2, j.criteria[1]: 2}, comment="Before")
    login_as(j.judge)

    client.post(f"{j.base}/{entry.id}", data={"then": "stay", "comment_for_team": "After"})

    assert _values(j.judge, entry) == {j.criteria[0].id: 2, j.criteria[1].id: 2}
    assert db.session.scalar(db.select(Review.comment_for_team)) == "Before"


def test_value_outside_the_scale_is_refused(client, login_as):
    j = judged_event(1)
    entry = j.entries[0]
    login_as(j.judge)

    response = client.post(f"{j.base}/{entry.id}", data=j.form((9, 3)))
    garbage = client.post(f"{j.base}/{entry.id}", data=j.form(("high", 3)))

    assert "Choose one of the levels from 1 to 5." in page(response).text
    assert "Choose one of the levels from 1 to 5." in page(garbage).text
    assert _count(Score) == 0


def test_service_refuses_out_of_scale_values_too(app):
    j = judged_event(1)
    entry = j.entries[0]

    with app.test_request_context(method="POST"):
        try:
            scoring.save_sheet(
                db.session.get(Submission, entry.id),
                {"values": {j.criteria[0].id: 0, j.criteria[1].id: 3}},
                actor=db.session.get(User, j.judge.id),
            )
            refused = None
        except Exception as exc:  # DomainError carries the person's message
            refused = getattr(exc, "message", repr(exc))
        db.session.rollback()

    assert refused == "Impact is scored from 1 to 5. Nothing was saved."
    assert _count(Score) == 0


def test_unassigned_entry_is_refused_and_nothing_saved(client, login_as):
    j = judged_event(1)
    other = make_entry(j.event, title="Not Mine")
    login_as(j.judge)

    shown = client.get(f"{j.base}/{other.id}")
    posted = client.post(f"{j.base}/{other.id}", data=j.form())

    assert shown.status_code == posted.status_code == 403
    assert "Not Mine" not in shown.get_data(as_text=True)
    assert "not in your judging queue" in page(posted).text
    assert _count(Score) == 0


def test_conflicted_entry_is_refused_even_when_assigned(client, login_as):
    j = judged_event(1)
    entry = j.entries[0]
    db.session.add(JudgeConflict(event_id=j.event.id, judge_id=j.judge.id, team_id=entry.team_id))
    db.session.commit()
    login_as(j.judge)

    posted = client.post(f"{j.base}/{entry.id}", data=j.form())

    assert posted.status_code == 403
    assert _count(Score) == 0 and _count(Review) == 0


def test_dropped_judge_is_refused(client, login_as):
    j = judged_event(1)
    profile = db.session.scalar(db.select(JudgeProfile).where(JudgeProfile.user_id == j.judge.id))
    profile.dropped_at = now()
    db.session.commit()
    login_as(j.judge)

    posted = client.post(f"{j.base}/{j.entries[0].id}", data=j.form())
    queue = page(client.get(j.base))

    assert posted.status_code == 403
    assert "took you off judging" in page(posted).text
    assert "took you off judging" in queue.text and not queue.by_id("queue")
    assert _count(Score) == 0


def test_withdrawn_entry_is_refused(client, login_as):
    j = judged_event(1)
    entry = j.entries[0]
    db.session.execute(
        db.update(Submission).where(Submission.id == entry.id).values(state="withdrawn")
    )
    db.session.commit()
    login_as(j.judge)

    posted = client.post(f"{j.base}/{entry.id}", data=j.form())

    assert posted.status_code == 403 and "withdrawn" in page(posted).text
    assert _count(Score) == 0


def test_judge_edits_until_judging_closes_and_is_refused_after(client, login_as, clock):
    j = judged_event(1, open_for=timedelta(hours=2))
    entry = j.entries[0]
    login_as(j.judge)
    client.post(f"{j.base}/{entry.id}", data=j.form((2, 2)))
    clock.advance(hours=1)

    edited = client.post(f"{j.base}/{entry.id}", data=j.form((3, 2)))
    clock.advance(hours=2)
    late = client.post(f"{j.base}/{entry.id}", data=j.form((5, 5)))
    shown = client.get(f"{j.base}/{entry.id}")

    assert edited.status_code == 302
    assert late.status_code == 403 and "Judging has closed" in page(late).text
    assert _values(j.judge, entry) == {j.criteria[0].id: 3, j.criteria[1].id: 2}
    saved = page(shown).by_id("saved-scores")[0].text
    assert shown.status_code == 200 and "Impact Level 3" in saved
    assert not page(shown).all("form", action=f"{j.base}/{entry.id}")


def test_sheet_before_judging_opens_is_read_only(client, login_as):
    j = judged_event(1)
    settings = db.session.get(JudgingSettings, j.event.id)
    settings.opens_at = now() + timedelta(hours=3)
    db.session.commit()
    login_as(j.judge)

    shown = client.get(f"{j.base}/{j.entries[0].id}")
    posted = client.post(f"{j.base}/{j.entries[0].id}", data=j.form())

    assert shown.status_code == 200 and "Judging opens at" in page(shown).text
    assert posted.status_code == 403 and "Judging opens at" in page(posted).text
    assert _count(Score) == 0


def test_save_and_next_goes_to_the_next_unscored_entry_then_the_queue(client, login_as):
    j = judged_event(3)
    a, b, c = j.entries
    score(j.judge, b, {j.criteria[0]: 3, j.criteria[1]: 3})
    login_as(j.judge)

    first = client.post(f"{j.base}/{a.id}", data=j.form(then="next"))
    last = client.post(f"{j.base}/{c.id}", data=j.form(then="next"))

    assert first.headers["Location"] == f"{j.base}/{c.id}"
    assert last.headers["Location"] == j.base
    assert "3 of 3 scored" in page(client.get(j.base)).text


def test_every_change_is_audited_with_the_values_changed(client, login_as):
    j = judged_event(1)
    entry = j.entries[0]
    login_as(j.judge)

    client.post(f"{j.base}/{entry.id}", data=j.form((4, 3)))
    client.post(f"{j.base}/{entry.id}", data=j.form((4, 1)))
    client.post(f"{j.base}/{entry.id}", data=j.form((4, 1)))  # no change: no entry

    db.session.rollback()
    entries = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "score.save").order_by(AuditEntry.id)
    ).all()
    assert [e.detail["changed"] for e in entries] == [
        {"Impact": [None, 4], "Use of data": [None, 3]},
        {"Use of data": [3, 1]},
    ]
    assert entries[0].actor_id == j.judge.id and entries[0].target_id == entry.id
    assert entries[0].detail["texts_changed"] == ["comment_for_team", "note_for_organizers"]


def test_recusing_records_a_conflict_and_removes_scores_and_assignment(client, login_as):
    j = judged_event(2)
    entry = j.entries[0]
    score(j.judge, entry, {j.criteria[0]: 4, j.criteria[1]: 4})
    login_as(j.judge)

    refused = client.post(f"{j.base}/{entry.id}/recuse", data={"reason": ""})
    done = client.post(f"{j.base}/{entry.id}/recuse", data={"reason": "I mentored them."})
    queue = page(client.get(j.base))

    assert refused.headers["Location"] == f"{j.base}/{entry.id}"
    assert done.headers["Location"] == j.base
    db.session.rollback()
    conflict = db.session.scalar(db.select(JudgeConflict))
    assert (conflict.source, conflict.team_id, conflict.reason) == (
        "recused",
        entry.team_id,
        "I mentored them.",
    )
    assert _count(Score) == 0 and _count(Review) == 0
    assert _count(Assignment, submission_id=entry.id) == 0
    assert "Entry A" not in queue.text and "0 of 1 scored" in queue.text
    recusal = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "judge.recuse"))
    assert recusal.detail["deleted_scores"] == {"Impact": 4, "Use of data": 4}


def test_judge_ids_of_another_event_are_not_found(client, login_as):
    j = judged_event(1)
    other_event = make_event()
    elsewhere = make_entry(other_event)
    login_as(j.judge)

    answers = [
        client.get(f"{j.base}/{elsewhere.id}").status_code,
        client.post(f"{j.base}/{elsewhere.id}", data=j.form()).status_code,
        client.post(f"{j.base}/{elsewhere.id}/recuse", data={"reason": "x"}).status_code,
    ]

    assert answers == [404, 404, 404]
    assert _count(JudgeConflict) == 0


def test_assigned_judge_sees_screenshots_of_the_entry_but_not_of_others(app, client, login_as):
    j = judged_event(1)
    mine = make_screenshot(j.entries[0])
    stranger_entry = make_entry(j.event)
    theirs = make_screenshot(stranger_entry)
    login_as(j.judge)

    sheet = client.get(f"{j.base}/{j.entries[0].id}").get_data(as_text=True)
    own = client.get(
        f"/events/budget-jam/projects/{j.entries[0].id}/screenshots/{mine.stored_name}"
    )
    other = client.get(
        f"/events/budget-jam/projects/{stranger_entry.id}/screenshots/{theirs.stored_name}"
    )

    assert mine.stored_name in sheet
    assert own.status_code == 200 and own.mimetype == "image/png"
    assert other.status_code == 404


def test_two_saves_at_once_leave_one_row_per_criterion(app):
    j = judged_event(1)
    entry_id, judge_id = j.entries[0].id, j.judge.id
    values = {c.id: 3 for c in j.criteria}
    start = threading.Barrier(2)
    outcomes: list = []

    def run(level):
        with app.test_request_context(method="POST"):
            writing()
            start.wait(timeout=10)
            try:
                scoring.save_sheet(
                    db.session.get(Submission, entry_id),
                    {"values": {cid: level for cid in values}, "comment": "", "note": ""},
                    actor=db.session.get(User, judge_id),
                )
                db.session.commit()
                outcomes.append("saved")
            except Exception as exc:  # reported by the assertion, not lost in a thread
                outcomes.append(repr(exc))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(level,)) for level in (2, 4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert outcomes == ["saved", "saved"]
    assert _count(Score) == 2 and _count(Review) == 1
    assert set(_values(j.judge, j.entries[0]).values()) <= {2, 4}
