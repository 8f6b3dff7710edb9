"""The rubric page: the starting rubric, criteria with weights (shown as shares) and anchored
levels, a challenge's own rubric replacing the event's, and the confirmation and audit that
guard a rubric once judges have scored."""

import pytest

from eventhub.core.models import AuditEntry
from eventhub.extensions import db
from eventhub.judging.models import Criterion, Rubric, Score
from eventhub.judging.queries import rubric_for, rubrics_of
from tests.factories import (
    make_challenge,
    make_entry,
    make_event,
    make_judge,
    make_organizer,
    make_rubric,
    score,
)
from tests.integration.pages import field_error, page


def _event():
    organizer = make_organizer(name="Olivia Organizer")
    event = make_event(organizer=organizer, slug="budget-jam", title="Budget Datajam")
    return organizer, event


URL = "/events/budget-jam/manage/judging/rubric"


def crit(name, weight=1, low=1, high=5, *, levels=None, id=None, ties=False, remove=False):
    return {
        "id": id,
        "name": name,
        "weight": weight,
        "low": low,
        "high": high,
        "levels": levels
        if levels is not None
        else [f"{name} at level {n}" for n in range(int(low), int(high) + 1)],
        "ties": ties,
        "remove": remove,
    }


def post_data(*criteria, confirm=False) -> dict:
    """The rubric form as a browser posts it: one row per criterion, in order."""
    data = {}
    for i, c in enumerate(criteria):
        row = f"criteria-{i}-"
        data.update(
            {
                row + "criterion_id": str(c["id"] or ""),
                row + "position": str(i + 1),
                row + "name": c["name"],
                row + "description": f"About {c['name']}",
                row + "weight": str(c["weight"]),
                row + "scale_min": str(c["low"]),
                row + "scale_max": str(c["high"]),
                row + "levels": "\n".join(c["levels"]),
            }
        )
        if c["ties"]:
            data[row + "breaks_ties"] = "y"
        if c["remove"]:
            data[row + "remove"] = "y"
    if confirm:
        data["confirm"] = "y"
    return data


def shown_form(response) -> dict:
    """Every value the rubric form shows, as the browser would send it unchanged."""
    form = next(f for f in page(response).all("form") if f.attrs.get("action", "").endswith(URL))
    data = {}
    for node in form.walk():
        name = node.attrs.get("name")
        if not name or node.tag not in ("input", "textarea"):
            continue
        if node.attrs.get("type") == "checkbox":
            if "checked" in node.attrs:
                data[name] = node.attrs.get("value", "y")
        elif node.tag == "textarea":
            data[name] = "".join(c for c in node.children if isinstance(c, str)).lstrip("\r\n")
        else:
            data[name] = node.attrs.get("value", "")
    return data


def criteria_rows(rubric_id=None):
    db.session.rollback()
    stmt = db.select(Criterion).order_by(Criterion.rubric_id, Criterion.position)
    if rubric_id is not None:
        stmt = stmt.where(Criterion.rubric_id == rubric_id)
    return [
        (c.name, c.weight, c.scale_min, c.scale_max, c.levels, c.breaks_ties)
        for c in db.session.scalars(stmt)
    ]


def actions():
    db.session.rollback()
    return [a.action for a in db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id))]


def test_rubric_page_offers_a_starting_rubric_the_organizer_saves_as_shown(client, login_as):
    organizer, event = _event()
    login_as(organizer)

    shown = client.get(URL)
    saved = client.post(URL, data=shown_form(shown))
    after = client.get(URL)

    assert "No rubric is saved yet" in page(shown).text
    names = [row[0] for row in criteria_rows()]
    assert names == ["Impact", "Use of open data", "Execution", "Presentation"]
    assert all(len(row[4]) == 5 and row[2:4] == (1, 5) for row in criteria_rows())
    assert [row[5] for row in criteria_rows()] == [True, False, False, False]
    assert saved.headers["Location"] == URL
    summary = page(after).by_id("rubric-summary")[0].text
    assert "Impact 3 30%" in summary and "Presentation 2 20%" in summary
    assert "rubric.save" in actions()


def test_rubric_saves_criteria_and_shows_each_weight_as_a_share(client, login_as):
    organizer, event = _event()
    login_as(organizer)

    client.post(URL, data=post_data(crit("Impact", 2, ties=True), crit("Use of data", 1, 0, 3)))
    shown = client.get(URL)

    assert criteria_rows() == [
        ("Impact", 2.0, 1, 5, [f"Impact at level {n}" for n in range(1, 6)], True),
        ("Use of data", 1.0, 0, 3, [f"Use of data at level {n}" for n in range(0, 4)], False),
    ]
    summary = page(shown).by_id("rubric-summary")[0].text
    assert "66.7%" in summary and "33.3%" in summary
    assert "0 to 3" in summary
    assert page(shown).by_id("criterion-1-share")[0].text == "Share of the total: 66.7%"


def test_rubric_missing_level_sentences_are_named_and_nothing_is_saved(client, login_as):
    organizer, event = _event()
    make_rubric(event)
    before = criteria_rows()
    login_as(organizer)
    rubric = db.session.scalar(db.select(Rubric))
    ids = [c.id for c in rubric.criteria]
    short = ["Poor", "Fair", "Good"]

    response = client.post(
        URL,
        data=post_data(crit("Impact", 2, id=ids[0], levels=short), crit("Use of data", id=ids[1])),
    )

    assert response.status_code == 200
    assert field_error(response, "criteria-0-levels") == [
        "Write a sentence for levels 4 and 5: one line per level, from 1 at the top to 5 "
        "at the bottom."
    ]
    assert criteria_rows() == before


def test_rubric_blank_line_in_the_middle_names_that_level(client, login_as):
    organizer, event = _event()
    login_as(organizer)

    response = client.post(URL, data=post_data(crit("Impact", levels=["a", "b", "", "d", "e"])))

    assert "Write a sentence for level 3" in field_error(response, "criteria-0-levels")[0]
    assert criteria_rows() == []


@pytest.mark.parametrize("weight", ["0", "-1", "heavy", "nan", ""])
def test_rubric_weight_that_is_not_a_positive_number_is_refused(client, login_as, weight):
    organizer, event = _event()
    make_rubric(event)
    before = criteria_rows()
    login_as(organizer)
    ids = [c.id for c in db.session.scalar(db.select(Rubric)).criteria]

    response = client.post(
        URL,
        data=post_data(crit("Impact", weight, id=ids[0]), crit("Use of data", 5, id=ids[1])),
    )

    assert response.status_code == 200
    assert "such as 1, 2 or 0.5" in field_error(response, "criteria-0-weight")[0]
    assert criteria_rows() == before


@pytest.mark.parametrize(
    ("low", "high", "field", "message"),
    [
        ("0", "11", "scale_max", "Enter a whole number from 0 to 10."),
        ("-1", "5", "scale_min", "Enter a whole number from 0 to 10."),
        ("one", "5", "scale_min", "Enter a whole number from 0 to 10."),
        ("5", "5", "scale_max", "The highest level must be above the lowest."),
        ("6", "3", "scale_max", "The highest level must be above the lowest."),
    ],
)
def test_rubric_scale_outside_0_to_10_or_upside_down_is_refused(
    client, login_as, low, high, field, message
):
    organizer, event = _event()
    make_rubric(event)
    before = criteria_rows()
    login_as(organizer)

    response = client.post(
        URL, data=post_data({**crit("Impact", levels=["x"] * 5), "low": low, "high": high})
    )

    assert field_error(response, f"criteria-0-{field}") == [message]
    assert criteria_rows() == before


def test_rubric_rows_are_removed_added_and_reordered_in_one_save(client, login_as):
    organizer, event = _event()
    make_rubric(event, (("Impact", 2.0), ("Use of data", 1.0), ("Design", 1.0)))
    login_as(organizer)
    ids = [c.id for c in db.session.scalar(db.select(Rubric)).criteria]

    client.post(
        URL,
        data=post_data(
            crit("Use of data", id=ids[1]),
            crit("Impact", 2, id=ids[0]),
            crit("Design", id=ids[2], remove=True),
            crit("Accessibility", 1, 1, 3),
        ),
    )

    assert [(row[0], row[1]) for row in criteria_rows()] == [
        ("Use of data", 1.0),
        ("Impact", 2.0),
        ("Accessibility", 1.0),
    ]
    entry = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "rubric.save"))
    detail = list(entry)[-1].detail
    assert detail["removed"] == ["Design"] and detail["added"] == ["Accessibility"]
    assert detail["reordered"] == ["Use of data", "Impact", "Accessibility"]


def test_rubric_refuses_two_tie_breakers_and_two_criteria_of_one_name(client, login_as):
    organizer, event = _event()
    login_as(organizer)

    ties = client.post(URL, data=post_data(crit("Impact", ties=True), crit("Data", ties=True)))
    twins = client.post(URL, data=post_data(crit("Impact"), crit("impact")))
    empty = client.post(URL, data={})

    assert "Mark at most one criterion as the tie-break" in page(ties).text
    assert "Two criteria are called “impact”" in page(twins).text
    assert "A rubric needs at least one criterion." in page(empty).text
    assert criteria_rows() == []


def test_challenge_rubric_is_a_copy_that_replaces_the_events_until_removed(client, login_as):
    organizer, event = _event()
    make_rubric(event, (("Impact", 2.0), ("Use of data", 1.0)))
    transit = make_challenge(event, slug="faster-buses", title="Faster Buses")
    other = make_challenge(event, slug="parks", title="Parks")
    login_as(organizer)
    base = f"{URL}/faster-buses"

    before = client.get(base)
    copied = client.post(f"{base}/copy")
    rubrics = rubrics_of(event)
    own = rubric_for(rubrics, transit.id)
    shown = client.get(base)
    event_page = client.get(URL)

    assert "judged by the event's rubric" in page(before).text
    assert copied.headers["Location"] == base
    assert own.challenge_id == transit.id and own is not rubrics[None]
    assert [c.name for c in own.criteria] == ["Impact", "Use of data"]
    assert rubric_for(rubrics, other.id) is rubrics[None]
    assert rubric_for(rubrics, None) is rubrics[None]
    assert "instead of the event's" in page(shown).text
    listing = page(event_page).by_id("challenge-rubrics")[0].text
    assert "Faster Buses: its own rubric" in listing and "Parks: the event's rubric" in listing

    client.post(base, data=post_data(crit("Speed", id=None)))  # edit the copy: all rows go
    assert [c[0] for c in criteria_rows(own.id)] == ["Speed"]
    assert [c[0] for c in criteria_rows(rubrics[None].id)] == ["Impact", "Use of data"]

    client.post(f"{base}/remove")
    db.session.rollback()
    assert rubric_for(rubrics_of(event), transit.id).challenge_id is None
    assert "rubric.challenge_create" in actions() and "rubric.challenge_remove" in actions()


def _scored_event():
    """An event rubric with a judge's scores on one entry: Impact 4, Use of data 2."""
    organizer, event = _event()
    rubric = make_rubric(event)
    judge = make_judge(event)
    entry = make_entry(event)
    impact, data = rubric.criteria
    score(judge, entry, {impact: 4, data: 2})
    return organizer, event, rubric, [impact.id, data.id]


def test_rubric_change_after_scoring_needs_confirmation_then_is_audited(client, login_as):
    organizer, event, rubric, ids = _scored_event()
    before = criteria_rows()
    login_as(organizer)

    shown = client.get(URL)
    change = {**shown_form(shown), "criteria-0-weight": "3"}
    refused = client.post(URL, data=change)
    after_refusal = criteria_rows()
    saved = client.post(URL, data={**change, "confirm": "y"})

    assert "Judging has begun: 2 scores by 1 judge exist" in page(shown).text
    assert refused.status_code == 200
    assert field_error(refused, "confirm") == [
        "2 scores by 1 judge exist for this rubric; removing a criterion deletes its scores. "
        "Nothing was changed: tick the confirmation box to go ahead."
    ]
    assert "I understand 2 scores by 1 judge exist" in page(refused).text
    assert after_refusal == before
    assert saved.status_code == 302
    assert criteria_rows()[0][1] == 3.0
    entry = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "rubric.change_after_scoring")
    ).one()
    assert entry.detail["changed"] == {"Impact": ["weight"]}
    assert entry.detail["scores"] == 2 and entry.detail["judges"] == 1
    assert entry.actor_id == organizer.id and entry.event_id == event.id


def test_removing_a_scored_criterion_after_confirmation_deletes_its_scores(client, login_as):
    organizer, event, rubric, ids = _scored_event()
    login_as(organizer)

    client.post(
        URL,
        data=post_data(
            crit("Impact", 2, id=ids[0]), crit("Use of data", id=ids[1], remove=True), confirm=True
        ),
    )

    db.session.rollback()
    assert [row[0] for row in criteria_rows()] == ["Impact"]
    assert db.session.scalars(db.select(Score.criterion_id)).all() == [ids[0]]
    entry = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "rubric.change_after_scoring")
    ).one()
    assert entry.detail["removed"] == ["Use of data"] and entry.detail["deleted_scores"] == 1


def test_scale_change_that_would_strand_a_score_is_refused_naming_the_criterion(client, login_as):
    organizer, event, rubric, ids = _scored_event()
    before = criteria_rows()
    login_as(organizer)

    response = client.post(
        URL,
        data=post_data(
            crit("Impact", 2, 1, 3, id=ids[0]), crit("Use of data", id=ids[1]), confirm=True
        ),
    )
    widened = client.post(
        URL,
        data=post_data(
            crit("Impact", 2, 0, 10, id=ids[0]), crit("Use of data", id=ids[1]), confirm=True
        ),
    )

    assert response.status_code == 200
    assert "“Impact” already has a score of 4, outside the new scale 1 to 3." in page(response).text
    assert widened.status_code == 302
    assert criteria_rows()[0][2:4] == (0, 10)
    assert len(before) == 2


def test_giving_a_scored_challenge_its_own_rubric_needs_confirmation(client, login_as):
    organizer, event = _event()
    make_rubric(event)
    challenge = make_challenge(event, slug="faster-buses", title="Faster Buses")
    judge, entry = make_judge(event), make_entry(event, challenge=challenge)
    score(judge, entry, {c: 3 for c in db.session.scalar(db.select(Rubric)).criteria})
    login_as(organizer)
    base = f"{URL}/faster-buses"

    refused = client.post(f"{base}/copy")
    rubrics_after_refusal = len(rubrics_of(event))
    done = client.post(f"{base}/copy", data={"copy-confirm": "y"})

    assert refused.status_code == 200
    assert "for entries of “Faster Buses”, given on the event's rubric" in page(refused).text
    assert rubrics_after_refusal == 1
    assert done.headers["Location"] == base
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(Score.id))) == 0
    assert "rubric.change_after_scoring" in actions()


def test_challenge_rubric_of_another_event_is_not_found(client, login_as):
    organizer, event = _event()
    elsewhere = make_event(organizer=make_organizer())
    make_challenge(elsewhere, slug="not-here")
    login_as(organizer)

    asks = [
        client.get(f"{URL}/not-here"),
        client.post(f"{URL}/not-here", data=post_data(crit("Impact"))),
        client.post(f"{URL}/not-here/copy"),
        client.post(f"{URL}/not-here/remove"),
    ]

    assert [r.status_code for r in asks] == [404, 404, 404, 404]
    assert db.session.scalar(db.select(db.func.count(Rubric.id))) == 0
