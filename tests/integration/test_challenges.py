"""Challenges as organizers build them and the public reads them.

The dataset picker is driven the way a browser without JavaScript drives it: a GET search,
then the "Add" form found on the results page, posted as it stands. Bad input through these
forms is in test_challenge_input.py.
"""

import pytest

from eventhub.challenges.models import Challenge, ChallengeDataset, Prize
from eventhub.core.models import AuditEntry
from eventhub.enums import EventStatus
from eventhub.extensions import db
from tests.factories import (
    link_dataset,
    make_challenge,
    make_dataset,
    make_event,
    make_organizer,
    make_prize,
    make_user,
)
from tests.integration.pages import page
from tests.support.queries import queries_for as _queries_for

CHALLENGE_FORM = {
    "title": "Fewer Hospital Readmissions",
    "slug": "readmissions",
    "sponsor": "Centers for Medicare & Medicaid Services",
    "summary": "Help hospitals see who comes back, and why.",
    "problem_statement": "Readmissions cost **billions** a year.",
    "eligibility": "Teams of up to five.",
}
PRIZE_FORM = {"name": "First place", "amount": "$5,000", "kind": "", "winners": "1"}


@pytest.fixture
def organizer(client, login_as):
    person = make_organizer()
    login_as(person)
    return person


@pytest.fixture
def event(organizer):
    return make_event(organizer=organizer, slug="health-jam", title="Health Datajam")


def _count(model) -> int:
    db.session.rollback()
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def _add_buttons(response) -> dict[str, tuple[str, dict]]:
    """The picker's "Add" forms by button label: (action, fields) as a browser would post."""
    found = {}
    for form in page(response).all("form"):
        button = next((n for n in form.walk() if n.tag == "button"), None)
        fields = {
            n.attrs["name"]: n.attrs.get("value", "") for n in form.walk() if n.tag == "input"
        }
        if button is not None and "dataset_id" in fields:
            found[button.text] = (form.attrs["action"], fields)
    return found


def _pick(client, event_slug: str, challenge_slug: str, words: str, title: str):
    results = client.get(f"/events/{event_slug}/challenges/{challenge_slug}/datasets?q={words}")
    action, fields = _add_buttons(results)[f"Add {title}"]
    return client.post(action, data=fields)


def test_organizer_creates_challenge_with_prize_and_two_datasets_without_javascript(client, event):
    readmissions = make_dataset(title="Hospital Readmissions by County", keywords=["hospitals"])
    air = make_dataset(title="Air Quality Monitoring Stations", keywords=["environment"])
    make_dataset(title="Bus Stop Inventory", keywords=["transit"])

    created = client.post("/events/health-jam/challenges/new", data=CHALLENGE_FORM)
    prize = client.post("/events/health-jam/challenges/readmissions/prizes", data=PRIZE_FORM)
    found = client.get("/events/health-jam/challenges/readmissions/datasets?q=readmissions")
    first = _pick(client, "health-jam", "readmissions", "readmissions", readmissions.title)
    second = _pick(client, "health-jam", "readmissions", "quality", air.title)

    assert created.headers["Location"] == "/events/health-jam/challenges/readmissions"
    assert prize.status_code == 302
    assert list(_add_buttons(found)) == ["Add Hospital Readmissions by County"]
    assert first.headers["Location"].endswith("/challenges/readmissions/datasets?q=readmissions")
    assert second.status_code == 302
    db.session.rollback()
    challenge = db.session.scalar(db.select(Challenge))
    assert challenge.sponsor == "Centers for Medicare & Medicaid Services"
    assert [(p.name, p.amount, p.kind, p.winners) for p in challenge.prizes] == [
        ("First place", 5000, "", 1)
    ]
    assert [d.title for d in challenge.datasets] == [readmissions.title, air.title]
    actions = set(db.session.scalars(db.select(AuditEntry.action)))
    assert {"challenge.create", "challenge.prize_add", "challenge.dataset_link"} <= actions


def test_picker_marks_linked_datasets_and_lists_nothing_before_a_search(client, event):
    challenge = make_challenge(event, slug="air")
    air = make_dataset(title="Air Quality Monitoring Stations")
    link_dataset(challenge, air)

    empty = client.get("/events/health-jam/challenges/air/datasets")
    searched = client.get("/events/health-jam/challenges/air/datasets?q=air")

    assert _add_buttons(empty) == {} and "match" not in page(empty).text
    assert _add_buttons(searched) == {}  # already linked: no second "Add"
    assert "1 dataset match “air”" in page(searched).text


def test_challenge_page_shows_statement_sponsor_eligibility_prizes_and_datasets(client):
    event = make_event(slug="health-jam")
    challenge = make_challenge(
        event,
        slug="readmissions",
        title="Fewer Readmissions",
        sponsor="CMS Innovation Center",
        problem_statement="Cut **readmissions**.\n\n<script>alert('x')</script>\n\n"
        "[bad](javascript:alert(1))",
        eligibility="Open to **US residents**.",
    )
    make_prize(challenge, name="Grand prize", amount=10000, winners=2)
    make_prize(challenge, name="Runner-up", amount=None, kind="Cloud credits")
    dataset = make_dataset(title="Hospital Readmissions by County", publisher=["CMS"])
    link_dataset(challenge, dataset)

    response = client.get("/events/health-jam/challenges/readmissions")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<strong>readmissions</strong>" in html
    assert "<strong>US residents</strong>" in html
    assert "<script>alert" not in html and 'href="javascript' not in html
    text = page(response).text
    assert "Sponsored by CMS Innovation Center" in text
    assert "Grand prize: $10,000 × 2 winners" in text
    assert "Runner-up: Cloud credits" in text
    assert f'<a href="/datasets/{dataset.id}">Hospital Readmissions by County</a>' in html


def test_event_page_lists_challenges_with_their_datasets(client):
    event = make_event(slug="health-jam")
    first = make_challenge(event, title="Fewer Readmissions", position=0)
    second = make_challenge(event, title="Cleaner Air", position=1, sponsor="EPA")
    make_prize(first, name="Grand prize", amount=2500)
    link_dataset(first, make_dataset(title="Hospital Readmissions by County"))
    air = make_dataset(title="Air Quality Monitoring Stations")
    link_dataset(second, air)

    response = client.get("/events/health-jam")

    html = response.get_data(as_text=True)
    section = page(response).by_id("challenges-heading")[0].parent.text
    assert section.index("Fewer Readmissions") < section.index("Cleaner Air")
    assert "Grand prize ($2,500)" in section and "Sponsored by EPA" in section
    assert f'href="/events/health-jam/challenges/{second.slug}">Cleaner Air</a>' in html
    assert f'<a href="/datasets/{air.id}">Air Quality Monitoring Stations</a>' in html


def _challenge_with_details(event):
    challenge = make_challenge(event)
    make_prize(challenge)
    make_prize(challenge, amount=None, kind="Mentoring")
    link_dataset(challenge, make_dataset(publisher=[f"Publisher {challenge.id}"]))
    link_dataset(challenge, make_dataset())


def test_event_and_challenge_pages_make_as_many_queries_for_one_challenge_as_for_four(client):
    event = make_event(slug="health-jam")
    _challenge_with_details(event)
    one = _queries_for(client, "/events/health-jam")
    one_list = _queries_for(client, "/events/health-jam/challenges")
    for _ in range(3):
        _challenge_with_details(event)

    assert _queries_for(client, "/events/health-jam") == one
    assert _queries_for(client, "/events/health-jam/challenges") == one_list


def test_challenges_of_a_draft_event_are_not_found_by_the_public(client, login_as):
    organizer = make_organizer()
    event = make_event(organizer=organizer, slug="draft-jam", status=EventStatus.DRAFT.value)
    make_challenge(event, slug="secret", title="Secret Challenge")
    path = "/events/draft-jam/challenges/secret"

    anonymous = client.get(path)
    login_as(make_user())
    stranger = client.get(path)
    login_as(organizer)
    own = client.get(path)

    assert (anonymous.status_code, stranger.status_code, own.status_code) == (404, 404, 200)
    assert "Secret Challenge" not in client.get("/events").text


def test_same_slug_in_another_event_is_allowed_and_edit_may_keep_its_own(client, event):
    make_challenge(make_event(), slug="readmissions")
    make_challenge(event, slug="readmissions", title="Old title")

    response = client.post(
        "/events/health-jam/challenges/readmissions/edit",
        data={**CHALLENGE_FORM, "title": "New title"},
    )

    assert response.headers["Location"] == "/events/health-jam/challenges/readmissions"
    assert _count(Challenge) == 2


def test_challenge_edit_to_a_new_slug_moves_its_page(client, event):
    make_challenge(event, slug="readmissions")

    response = client.post(
        "/events/health-jam/challenges/readmissions/edit",
        data={**CHALLENGE_FORM, "slug": "hospital-returns"},
    )

    assert response.headers["Location"] == "/events/health-jam/challenges/hospital-returns"
    assert client.get("/events/health-jam/challenges/hospital-returns").status_code == 200
    assert client.get("/events/health-jam/challenges/readmissions").status_code == 404


def test_prize_of_another_kind_needs_no_amount_and_can_be_removed(client, event):
    make_challenge(event, slug="readmissions")

    client.post(
        "/events/health-jam/challenges/readmissions/prizes",
        data={"name": "Mentoring", "amount": "", "kind": "Six weeks with CMS", "winners": "3"},
    )
    db.session.rollback()
    prize = db.session.scalar(db.select(Prize))
    assert (prize.amount, prize.kind, prize.winners) == (None, "Six weeks with CMS", 3)
    removed = client.post(f"/events/health-jam/challenges/readmissions/prizes/{prize.id}/remove")

    assert removed.headers["Location"] == "/events/health-jam/challenges/readmissions/prizes"
    assert _count(Prize) == 0


def _links() -> list[tuple[int, int]]:
    db.session.rollback()
    return list(
        db.session.execute(db.select(ChallengeDataset.challenge_id, ChallengeDataset.dataset_id))
    )


def test_unlinking_a_dataset_keeps_it_in_the_catalog(client, event):
    challenge = make_challenge(event, slug="readmissions")
    dataset = make_dataset()
    link_dataset(challenge, dataset)

    response = client.post(
        f"/events/health-jam/challenges/readmissions/datasets/{dataset.id}/remove"
    )

    assert response.headers["Location"] == "/events/health-jam/challenges/readmissions/datasets"
    assert _links() == []
    assert client.get(f"/datasets/{dataset.id}").status_code == 200


def test_rows_of_another_event_or_challenge_are_not_found_here(client, event):
    mine = make_challenge(event, slug="mine")
    sibling = make_challenge(event, slug="sibling")
    other = make_challenge(make_event(slug="other-jam"), slug="theirs")
    their_prize, sibling_prize = make_prize(other), make_prize(sibling)
    dataset = make_dataset()
    link_dataset(other, dataset)
    under = "/events/health-jam/challenges"

    answers = {
        path: client.open(
            path, method=method, data={**CHALLENGE_FORM, "dataset_id": dataset.id}
        ).status_code
        for method, path in [
            ("GET", f"{under}/theirs"),
            ("GET", f"{under}/theirs/edit"),
            ("POST", f"{under}/theirs/edit"),
            ("GET", f"{under}/theirs/prizes"),
            ("GET", f"{under}/theirs/datasets"),
            ("POST", f"{under}/theirs/datasets/{dataset.id}/remove"),
            ("POST", f"{under}/mine/prizes/{their_prize.id}/remove"),
            ("POST", f"{under}/mine/prizes/{sibling_prize.id}/remove"),
            ("POST", f"{under}/mine/datasets/{dataset.id}/remove"),
        ]
    }

    assert set(answers.values()) == {404}, answers
    assert _count(Prize) == 2
    assert _links() == [(other.id, dataset.id)]
    db.session.rollback()
    assert db.session.get(Challenge, other.id).title == other.title
    assert db.session.get(Challenge, mine.id).dataset_links == []


def test_managing_a_challenge_takes_an_organizer_of_this_event(client, login_as):
    event = make_event(slug="health-jam")
    make_challenge(event, slug="readmissions")
    login_as(make_organizer())  # organizes nothing here

    answers = [
        client.get("/events/health-jam/challenges/new").status_code,
        client.post("/events/health-jam/challenges/new", data=CHALLENGE_FORM).status_code,
        client.get("/events/health-jam/challenges/readmissions/edit").status_code,
    ]

    assert answers == [403, 403, 403]
    assert _count(Challenge) == 1
