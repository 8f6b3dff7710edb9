"""Bad input through the challenge, prize and dataset-picker forms, as an organizer types it.

Each mistake is named beside its own field (the picked dataset travels in a hidden field, so
its refusal is told at the top of the picker), and nothing is saved or changed.
"""

import pytest

from eventhub.challenges.models import Challenge, ChallengeDataset, Prize
from eventhub.extensions import db
from tests.factories import (
    link_dataset,
    make_challenge,
    make_dataset,
    make_event,
    make_organizer,
    make_prize,
)
from tests.integration.pages import field_error, page
from tests.integration.test_challenges import CHALLENGE_FORM, PRIZE_FORM


@pytest.fixture
def event(client, login_as):
    organizer = make_organizer()
    login_as(organizer)
    return make_event(organizer=organizer, slug="health-jam")


def _links() -> list[tuple[int, int]]:
    db.session.rollback()
    return list(
        db.session.execute(db.select(ChallengeDataset.challenge_id, ChallengeDataset.dataset_id))
    )


CHALLENGE_MISTAKES = [
    pytest.param(
        {"slug": "taken"},
        "slug",
        "Another challenge of this event already uses this web address. Choose another.",
        id="duplicate-slug",
    ),
    pytest.param(
        {"slug": "new"},
        "slug",
        "“new” is reserved for a page of the site. Choose another.",
        id="reserved-slug",
    ),
    pytest.param(
        {"slug": "Flood Map!"},
        "slug",
        "Use lowercase letters, digits and single hyphens, for example flood-risk-map.",
        id="bad-slug",
    ),
    pytest.param({"title": "  "}, "title", "Enter a title.", id="missing-title"),
    pytest.param(
        {"problem_statement": "x" * 20_001},
        "problem_statement",
        "Use at most 20000 characters.",
        id="statement-too-long",
    ),
    pytest.param(
        {"sponsor": "s" * 201}, "sponsor", "Use at most 200 characters.", id="sponsor-too-long"
    ),
]


def _stored_challenges() -> list[tuple]:
    db.session.rollback()
    rows = db.session.scalars(db.select(Challenge).order_by(Challenge.id))
    return [(c.slug, c.title, c.problem_statement, c.sponsor, c.updated_at) for c in rows]


def _refused_beside(response, field: str, message: str) -> None:
    assert response.status_code == 200
    assert message in field_error(response, field)
    assert "Nothing was saved." in page(response).text


@pytest.mark.parametrize(("change", "field", "message"), CHALLENGE_MISTAKES)
def test_new_challenge_with_a_mistake_names_it_beside_its_field_and_saves_nothing(
    client, event, change, field, message
):
    make_challenge(event, slug="taken")
    before = _stored_challenges()

    response = client.post("/events/health-jam/challenges/new", data={**CHALLENGE_FORM, **change})

    _refused_beside(response, field, message)
    assert _stored_challenges() == before
    assert page(response).value("summary") == CHALLENGE_FORM["summary"]  # kept for fixing


@pytest.mark.parametrize(("change", "field", "message"), CHALLENGE_MISTAKES)
def test_challenge_edit_with_a_mistake_names_it_beside_its_field_and_changes_nothing(
    client, event, change, field, message
):
    make_challenge(event, slug="taken")
    make_challenge(event, slug="readmissions")
    before = _stored_challenges()

    response = client.post(
        "/events/health-jam/challenges/readmissions/edit",
        data={**CHALLENGE_FORM, "summary": "Changed", **change},
    )

    _refused_beside(response, field, message)
    assert _stored_challenges() == before
    assert page(response).value("summary") == "Changed"


PRIZE_MISTAKES = [
    pytest.param(
        {"name": ""}, "name", "Enter the prize's name, such as First place.", id="no-name"
    ),
    pytest.param(
        {"amount": "-100"}, "amount", "Enter a whole number of dollars from 0 up.", id="negative"
    ),
    pytest.param(
        {"amount": "12.50"}, "amount", "Enter a whole number of dollars, such as 5000.", id="cents"
    ),
    pytest.param(
        {"amount": "", "kind": ""},
        "amount",
        "Enter a cash amount in dollars, or describe the prize under “Kind of prize”.",
        id="neither-amount-nor-kind",
    ),
    pytest.param(
        {"winners": "0"}, "winners", "Enter a number of winners from 1 to 1000.", id="no-winners"
    ),
    pytest.param({"winners": ""}, "winners", "Enter the number of winners.", id="winners-empty"),
    pytest.param({"kind": "k" * 121}, "kind", "Use at most 120 characters.", id="kind-too-long"),
]


@pytest.mark.parametrize(("change", "field", "message"), PRIZE_MISTAKES)
def test_prize_with_a_mistake_names_it_beside_its_field_and_saves_nothing(
    client, event, change, field, message
):
    make_prize(make_challenge(event, slug="readmissions"), name="Existing")

    response = client.post(
        "/events/health-jam/challenges/readmissions/prizes", data={**PRIZE_FORM, **change}
    )

    _refused_beside(response, field, message)
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(Prize)) == 1


def test_linking_a_dataset_twice_is_explained_and_adds_no_row(client, event):
    challenge = make_challenge(event, slug="readmissions")
    dataset = make_dataset(title="Hospital Readmissions by County")
    link_dataset(challenge, dataset)

    response = client.post(
        "/events/health-jam/challenges/readmissions/datasets", data={"dataset_id": dataset.id}
    )

    assert response.status_code == 200
    assert page(response).by_id("dataset-error")[0].text == (
        "“Hospital Readmissions by County” is already linked to this challenge. "
        "Nothing was changed."
    )
    assert _links() == [(challenge.id, dataset.id)]


NOT_IN_CATALOG = "That dataset is not in the catalog. Search again and choose one from the results."
NOT_A_CHOICE = "Choose a dataset from the search results."


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("987654", NOT_IN_CATALOG),
        ("abc", NOT_A_CHOICE),
        ("", NOT_A_CHOICE),
        ("0", NOT_A_CHOICE),
        ("99999999999999999999", NOT_A_CHOICE),
    ],
)
def test_linking_an_unknown_dataset_is_explained_and_adds_no_row(client, event, value, message):
    make_challenge(event, slug="readmissions")
    make_dataset()

    response = client.post(
        "/events/health-jam/challenges/readmissions/datasets", data={"dataset_id": value}
    )

    assert response.status_code == 200
    assert page(response).by_id("dataset-error")[0].text == f"{message} Nothing was changed."
    assert _links() == []


def test_over_long_search_is_refused_beside_the_search_box(client, event):
    make_challenge(event, slug="readmissions")
    make_dataset(title="Hospital Readmissions by County")

    response = client.get("/events/health-jam/challenges/readmissions/datasets?q=" + "a" * 201)

    assert response.status_code == 200
    assert field_error(response, "q") == ["Use at most 200 characters."]
    assert "Add Hospital Readmissions by County" not in page(response).text
