"""Assigning judges through the organizer's page: coverage, even loads and no conflicts, topping
up versus starting over, pairs added and removed by hand, and a judge dropping out.

The rules of the pure planner over random events are property tests of its own module; here
the page, the rows it writes and what it tells the organizer."""

from collections import Counter
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
    Review,
    Score,
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

BASE = "/events/city-jam/manage/judging"


def setup(entries=6, judges=4, *, k=3, pairwise=False):
    organizer = make_organizer()
    event = make_event(organizer=organizer, slug="city-jam", title="City Datajam")
    db.session.add(
        JudgingSettings(
            event_id=event.id,
            judges_per_entry=k,
            pairwise=pairwise,
            opens_at=now() - timedelta(hours=1),
        )
    )
    db.session.commit()
    rubric = make_rubric(event)
    people = [make_judge(event, make_user(name=f"Judge {n}")) for n in range(1, judges + 1)]
    made = [make_entry(event, title=f"Entry {n}") for n in range(1, entries + 1)]
    return organizer, event, people, made, list(rubric.criteria)


def pairs() -> set[tuple[int, int]]:
    db.session.rollback()
    return set(db.session.execute(db.select(Assignment.judge_id, Assignment.submission_id)))


def test_assign_gives_each_entry_k_judges_even_loads_and_no_conflicted_pair(client, login_as):
    organizer, event, judges, entries, _ = setup(entries=6, judges=4, k=3)
    db.session.add(
        JudgeConflict(event_id=event.id, judge_id=judges[0].id, team_id=entries[0].team_id)
    )
    db.session.commit()
    login_as(organizer)

    done = client.post(f"{BASE}/assign")
    shown = page(client.get(f"{BASE}/assignments"))

    assert done.headers["Location"] == f"{BASE}/assignments"
    made = pairs()
    per_entry = Counter(entry for _, entry in made)
    per_judge = Counter(judge for judge, _ in made)
    assert all(per_entry[e.id] == 3 for e in entries)
    assert max(per_judge.values()) - min(per_judge.values()) <= 1
    assert (judges[0].id, entries[0].id) not in made
    assert "Assignment done: added 18 pairs." in shown.text
    row = shown.by_id(f"entry-{entries[0].id}")[0].text
    assert "3 of 3 judges" in row and "Judge 1 declared a conflict with" in row
    judge_rows = {j.name: shown.by_id(f"judge-{j.id}")[0].text for j in judges}
    assert all(f"{j.name} {per_judge[j.id]}" in judge_rows[j.name] for j in judges)


def test_page_lists_each_entry_with_its_judges(client, login_as):
    organizer, event, judges, entries, criteria = setup(entries=2, judges=2, k=2)
    assign(judges[0], entries[0])
    assign(judges[1], entries[0], how="auto")
    score(judges[0], entries[0], {criteria[0]: 3, criteria[1]: 3})
    login_as(organizer)

    shown = page(client.get(f"{BASE}/assignments"))

    first = shown.by_id(f"entry-{entries[0].id}")[0].text
    second = shown.by_id(f"entry-{entries[1].id}")[0].text
    assert "Entry 1" in first and "2 of 2 judges" in first
    assert "Judge 1 (scored) · manual" in first and "Judge 2" in first
    assert "0 of 2 judges: needs more" in second and "None yet" in second


def test_fewer_judges_than_k_gives_each_entry_all_of_them_and_says_so(client, login_as):
    organizer, _, judges, entries, _ = setup(entries=3, judges=2, k=3)
    login_as(organizer)

    client.post(f"{BASE}/assign")
    shown = page(client.get(f"{BASE}/assignments"))

    assert len(pairs()) == 6
    assert "only 2 are active: each entry gets at most 2" in shown.text


def test_assigning_again_keeps_every_pair_and_tops_up_new_entries(client, login_as):
    organizer, event, judges, entries, _ = setup(entries=4, judges=3, k=2)
    login_as(organizer)
    client.post(f"{BASE}/assign")
    before = pairs()
    late = make_entry(event, title="Late Entry")

    client.post(f"{BASE}/assign")

    after = pairs()
    assert before < after
    assert {e for _, e in after - before} == {late.id} and len(after - before) == 2


def test_start_over_needs_its_box_and_keeps_scored_pairs(client, login_as):
    organizer, event, judges, entries, criteria = setup(entries=2, judges=3, k=1)
    assign(judges[0], entries[0])
    assign(judges[1], entries[1])
    score(judges[0], entries[0], {criteria[0]: 4, criteria[1]: 4})
    login_as(organizer)

    refused = client.post(f"{BASE}/assign", data={"mode": "start_over"})
    unchanged = pairs()
    client.post(f"{BASE}/assign", data={"mode": "start_over", "start_over": "y"})

    assert "Tick the box to confirm starting over." in page(refused).text
    assert unchanged == {(judges[0].id, entries[0].id), (judges[1].id, entries[1].id)}
    after = pairs()
    assert (judges[0].id, entries[0].id) in after
    assert len(after) == 2 and {e for _, e in after} == {entries[0].id, entries[1].id}


def test_manual_pair_with_a_conflict_is_refused_with_the_reason(client, login_as):
    organizer, event, judges, entries, _ = setup(entries=1, judges=1)
    db.session.add(
        JudgeConflict(
            event_id=event.id, judge_id=judges[0].id, person_id=entries[0].team.captain_id
        )
    )
    db.session.commit()
    login_as(organizer)

    response = client.post(
        f"{BASE}/assignments/add",
        data={"judge_id": judges[0].id, "submission_id": entries[0].id},
    )

    assert response.status_code == 200
    text = page(response).text
    assert "Judge 1 cannot judge “Entry 1”: Judge 1 declared a conflict with" in text
    assert pairs() == set()


def test_manual_pair_is_added_and_audited(client, login_as):
    organizer, event, judges, entries, _ = setup(entries=1, judges=1)
    login_as(organizer)

    done = client.post(
        f"{BASE}/assignments/add",
        data={"judge_id": judges[0].id, "submission_id": entries[0].id},
    )
    again = client.post(
        f"{BASE}/assignments/add",
        data={"judge_id": judges[0].id, "submission_id": entries[0].id},
    )

    assert done.status_code == 302
    assert "already assigned" in page(again).text
    assert pairs() == {(judges[0].id, entries[0].id)}
    row = db.session.scalar(db.select(Assignment))
    assert row.how == "manual"
    assert db.session.scalar(
        db.select(AuditEntry.detail).where(AuditEntry.action == "assignment.add")
    ) == {"judge_id": judges[0].id, "submission_id": entries[0].id}


def test_manual_pair_with_another_events_entry_is_refused(client, login_as):
    organizer, event, judges, entries, _ = setup(entries=1, judges=1)
    elsewhere = make_entry(make_event())
    login_as(organizer)

    response = client.post(
        f"{BASE}/assignments/add",
        data={"judge_id": judges[0].id, "submission_id": elsewhere.id},
    )

    assert "Choose one of this event's submitted entries." in page(response).text
    assert pairs() == set()


def test_removing_a_scored_pair_needs_confirmation_and_then_takes_the_scores(client, login_as):
    organizer, event, judges, entries, criteria = setup(entries=1, judges=2)
    scored = assign(judges[0], entries[0])
    plain = assign(judges[1], entries[0])
    score(judges[0], entries[0], {criteria[0]: 4, criteria[1]: 4})
    login_as(organizer)

    client.post(f"{BASE}/assignments/{plain.id}/remove")
    refused = client.post(f"{BASE}/assignments/{scored.id}/remove", follow_redirects=True)
    still = pairs()
    client.post(f"{BASE}/assignments/{scored.id}/remove", data={"confirm": "y"})

    assert "Judge 1 has already scored “Entry 1”" in page(refused).text
    assert still == {(judges[0].id, entries[0].id)}
    assert pairs() == set()
    assert db.session.scalar(db.select(db.func.count(Score.id))) == 0
    assert db.session.scalar(db.select(db.func.count(Review.id))) == 0
    removal = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "assignment.remove")
    ).all()
    assert [r.detail["deleted_scores"] for r in removal] == [{}, {"Impact": 4, "Use of data": 4}]


def test_dropping_a_judge_hands_their_unscored_entries_to_others(client, login_as):
    organizer, event, judges, entries, criteria = setup(entries=4, judges=3, k=2)
    login_as(organizer)
    client.post(f"{BASE}/assign")
    leaving = judges[0]
    theirs = sorted(e for j, e in pairs() if j == leaving.id)
    score(leaving, db.session.get(type(entries[0]), theirs[0]), {criteria[0]: 3, criteria[1]: 3})

    done = client.post(f"{BASE}/judges/{leaving.id}/drop", follow_redirects=True)

    after = pairs()
    assert (leaving.id, theirs[0]) in after  # scored: kept, for the record
    assert all((leaving.id, e) not in after for e in theirs[1:])
    per_entry = Counter(e for j, e in after if j != leaving.id)
    assert all(per_entry[e] == 2 for e in theirs[1:])
    profile = db.session.scalar(db.select(JudgeProfile).where(JudgeProfile.user_id == leaving.id))
    assert profile.dropped_at is not None
    text = page(done).text
    assert f"{leaving.name} is off judging; {len(theirs) - 1} unscored" in text
    moved = [e for e in entries if e.id in theirs[1:]]
    assert all(f"Moved: “{e.title}” to " in text for e in moved)
    reassigned = db.session.scalars(db.select(Assignment).where(Assignment.how == "reassigned"))
    assert {row.submission_id for row in reassigned} == set(theirs[1:])
    assert db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "judge.drop"))


def test_dropping_a_judge_without_a_profile_makes_one(client, login_as):
    organizer, event, judges, entries, _ = setup(entries=1, judges=1)
    db.session.execute(db.delete(JudgeProfile))
    db.session.commit()
    login_as(organizer)

    client.post(f"{BASE}/judges/{judges[0].id}/drop")
    again = client.post(f"{BASE}/judges/{judges[0].id}/drop", follow_redirects=True)

    db.session.rollback()
    assert db.session.scalar(db.select(JudgeProfile.dropped_at)) is not None
    assert "was already taken off judging" in page(again).text


def test_pairwise_event_assigns_finalists_only(client, login_as):
    organizer, event, judges, entries, _ = setup(entries=4, judges=3, k=2, pairwise=True)
    login_as(organizer)

    none_yet = client.post(f"{BASE}/assign")
    db.session.add_all(
        Finalist(event_id=event.id, submission_id=e.id, rank=n)
        for n, e in enumerate(entries[:2], start=1)
    )
    db.session.commit()
    client.post(f"{BASE}/assign")

    assert "the final round has no finalists yet" in page(none_yet).text
    assert {e for _, e in pairs()} == {entries[0].id, entries[1].id}


def test_assignment_runs_are_audited_with_their_pairs(client, login_as):
    organizer, event, judges, entries, _ = setup(entries=2, judges=2, k=1)
    login_as(organizer)

    client.post(f"{BASE}/assign")

    db.session.rollback()
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "assignment.run"))
    assert entry.actor_id == organizer.id and entry.event_id == event.id
    assert {tuple(p) for p in entry.detail["added"]} == pairs()


def test_rows_of_another_event_are_not_found(client, login_as):
    organizer, event, judges, entries, _ = setup(entries=1, judges=1)
    other = make_event(slug="elsewhere")
    other_judge = make_judge(other)
    other_row = assign(other_judge, make_entry(other))
    login_as(organizer)

    answers = [
        client.post(f"{BASE}/assignments/{other_row.id}/remove").status_code,
        client.post(f"{BASE}/judges/{other_judge.id}/drop").status_code,
        client.post(f"{BASE}/judges/{organizer.id}/drop").status_code,
    ]

    assert answers == [404, 404, 404]
    db.session.rollback()
    assert db.session.get(Assignment, other_row.id) is not None
    assert (
        db.session.scalar(
            db.select(JudgeProfile.dropped_at).where(JudgeProfile.user_id == other_judge.id)
        )
        is None
    )
