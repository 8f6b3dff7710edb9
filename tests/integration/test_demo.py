"""flask seed-demo: a first look at EventHub, with accounts that can sign in, challenges and
the open health datasets they feature."""

import re

from eventhub.accounts.models import User
from eventhub.challenges.models import Challenge, Prize
from eventhub.datasets.models import Dataset
from eventhub.events.models import AgendaSession, Event, Registration
from eventhub.extensions import db
from tests.integration.datasets_support import facts
from tests.integration.pages import page

EVENT = "/events/health-datapalooza-demo"


def _counts() -> dict[str, int]:
    db.session.rollback()
    return {
        model.__name__: db.session.scalar(db.select(db.func.count(model.id)))
        for model in (User, Event, AgendaSession, Registration, Dataset, Challenge, Prize)
    }


def _accounts(output: str) -> dict[str, tuple[str, str]]:
    """email -> (password, role), as the command prints them."""
    rows = re.findall(r"^\s+(\S+@\S+)\s+(\S+)\s+(\S+)\s*$", output, flags=re.MULTILINE)
    return {email: (password, role) for email, password, role in rows}


def test_seed_demo_prints_accounts_that_sign_in_through_the_login_form(app):
    """One test, because seeding hashes nine passwords: the accounts and the public event."""
    result = app.test_cli_runner().invoke(args=["seed-demo"])

    assert result.exit_code == 0, result.output
    accounts = _accounts(result.output)
    assert sorted(role for _, role in accounts.values()) == [
        "admin",
        "judge",
        "organizer",
        "participant",
    ]
    for email, (password, role) in accounts.items():
        client = app.test_client()
        signed_in = client.post("/login", data={"email": email, "password": password})
        assert signed_in.status_code == 302, f"{role} {email} could not sign in"
        assert email in client.get("/account").text
    assert "/events/health-datapalooza-demo" in result.output
    agenda = app.test_client().get("/events/health-datapalooza-demo/agenda")
    assert agenda.status_code == 200 and "Demo day: team presentations" in agenda.text


def test_seed_demo_if_empty_adds_nothing_the_second_time(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["seed-demo"])
    before = _counts()

    again = runner.invoke(args=["seed-demo", "--if-empty"])

    assert again.exit_code == 0, again.output
    assert "The database already has events; no demo data added." in again.output
    assert _counts() == before
    assert before["Event"] == 2 and before["User"] == 11  # two more judges for the sprint
    assert before["Dataset"] == 7 and before["Challenge"] == 2


PRESCRIBING = "Medicare prescribing patterns"
COMMUNITY = "Care close to home"
FEATURED = {
    PRESCRIBING: [
        "Medicare Part D Prescribers - by Provider and Drug",
        "Medicare Part D Spending by Drug",
        "FDA Adverse Event Reporting System (FAERS) Quarterly Data Files",
    ],
    COMMUNITY: [
        "PLACES: Local Data for Better Health, County Data",
        "Health Center Service Delivery and Look-Alike Sites",
        "Hospital General Information",
    ],
}
NOT_FEATURED = ["Medicare Part D Prescribers - by Provider"]
HHS = "U.S. Department of Health & Human Services"


def _seeded(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return app.test_client()


def _listed_challenges(response) -> dict[str, list[str]]:
    """The event page's challenges as a reader meets them: title -> the datasets under it."""
    listed = {}
    for item in page(response).all("li", class_="eh-challenge"):
        title = next(n.text for n in item.walk() if n.tag == "h3")
        listed[title] = [
            n.text for n in item.walk() if n.tag == "a" and n.attrs["href"].startswith("/datasets/")
        ]
    return listed


def test_seed_demo_event_page_lists_two_challenges_with_prizes_and_datasets(app):
    client = _seeded(app)

    event = client.get(EVENT)
    challenge = client.get(f"{EVENT}/challenges/medicare-prescribing-patterns")

    assert _listed_challenges(event) == FEATURED
    section = page(event).by_id("challenges-heading")[0].parent.text
    assert "Sponsored by Centers for Medicare & Medicaid Services" in section
    assert "Sponsored by Health Resources and Services Administration" in section
    assert "First place ($10,000); Runner-up ($5,000)" in section
    assert "People's choice (Cloud credits and a year of mentoring)" in section
    assert challenge.status_code == 200
    statement = page(challenge)
    assert "opioid or antibiotic prescribing far from others of the same specialty" in [
        item.text for item in statement.all("li")
    ]
    assert "Federal employees may take part" in statement.text


def test_seed_demo_catalog_lists_the_datasets_and_data_json_the_featured_ones(app):
    client = _seeded(app)

    catalog = client.get("/datasets")
    shown = client.get(_link(catalog, FEATURED[PRESCRIBING][2]))
    exported = client.get("/datasets/data.json").get_json()

    titles = [n.text for n in page(catalog).all("h2", class_="eh-result__title")]
    assert sorted(titles) == sorted([*FEATURED[PRESCRIBING], *FEATURED[COMMUNITY], *NOT_FEATURED])
    assert "7 datasets in the catalog." in page(catalog).text
    assert facts(shown)["Publisher"] == (
        "Center for Drug Evaluation and Research part of U.S. Food and Drug Administration "
        f"part of {HHS}"
    )
    assert f"{PRESCRIBING}, a challenge of Health Datapalooza (demo)" in page(shown).text
    entries = {d["title"]: d for d in exported["dataset"]}
    assert sorted(entries) == sorted([*FEATURED[PRESCRIBING], *FEATURED[COMMUNITY]])
    faers = entries[FEATURED[PRESCRIBING][2]]
    assert faers["publisher"]["subOrganizationOf"]["subOrganizationOf"]["name"] == HHS
    assert faers["bureauCode"] == ["009:10"]
    assert faers["license"] == "https://www.usa.gov/government-works"
    assert faers["landingPage"].startswith("https://")
    assert all(len(e["distribution"]) in (1, 2) for e in entries.values())


def _link(response, text: str) -> str:
    return next(a.attrs["href"] for a in page(response).all("a") if a.text == text)


def test_seed_demo_past_sprint_shows_published_bias_corrected_results(app, client):
    app.test_cli_runner().invoke(args=["seed-demo"])

    page = client.get("/events/census-tech-sprint-demo/results")
    schedule = client.get("/events/census-tech-sprint-demo/demo-day")

    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Commute Lens" in text and "Aging in Place" in text
    assert "Quality ± SE" in text and "Raw mean" in text
    assert "Priya Patel" not in text and "Tom Okafor" not in text  # never who scored what
    assert schedule.status_code == 200 and "Rent Burden Map" in schedule.get_data(as_text=True)
