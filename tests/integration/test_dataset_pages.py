"""Dataset pages as the public reads them, after real catalogs were imported as they are.

The catalogs go through the import page (the FDA's, CMS's, the 1.1 schema's sample and GSA's
3.0 example); each test then reads named records the way a visitor does: publisher and the
bodies above it, contact, license, dates, access level, landing page, every distribution,
keywords, and the challenges that feature the dataset.
"""

from __future__ import annotations

import json

import pytest

from eventhub.enums import EventStatus
from tests.factories import link_dataset, make_challenge, make_dataset, make_event, make_organizer
from tests.integration.datasets_support import (
    CKAN_COVID,
    CKAN_PATH,
    COVID_TITLE,
    catalog_bytes,
    dataset_id,
    distributions,
    facts,
    import_url,
    keywords,
    report,
    result_titles,
    upload,
)
from tests.integration.pages import page


@pytest.fixture
def config_overrides(portal):
    return {"IMPORT_TEST_ORIGIN": portal.origin}


@pytest.fixture
def importer(client, login_as):
    """Signed in as an organizer; returns a function that uploads a fixture catalog."""
    login_as(make_organizer())

    def run(name: str) -> str:
        return report(upload(client, catalog_bytes(name), name))

    return run


def _show(client, title: str):
    response = client.get(f"/datasets/{dataset_id(title)}")
    assert response.status_code == 200
    return response


def test_fda_catalog_pages_show_publisher_chain_contact_and_distributions(client, importer):
    assert "86 new" in importer("fda-data.json")

    drugs = _show(client, "Drugs@FDA Database")
    orange = _show(client, "Orange Book")
    no_files = _show(client, "CFSAN Knowledge Management System")
    [by_cder] = [
        a for a in page(drugs).all("a") if a.text == "Center for Drug Evaluation and Research"
    ]
    same_publisher = client.get(by_cder.attrs["href"])

    about = facts(drugs)
    assert about["Publisher"] == (
        "Center for Drug Evaluation and Research part of U.S. Food and Drug Administration"
    )
    assert about["Contact"] == (
        "FDA Enterprise Data Inventory FDA_Enterprise_Data_Inventory@fda.hhs.gov"
    )
    assert about["License"] == "Not given"  # the FDA's 2015 file names no license at all
    assert about["Last modified"] == "R/P1D"  # a repeat interval, shown as the FDA wrote it
    assert about["Access level"] == "public"
    assert about["Landing page"] == "http://www.fda.gov/Drugs/InformationOnDrugs/ucm135821.htm"
    assert about["Identifier"] == "f22c9b6a-e68a-445a-ae44-1441b2f698ab"
    assert about["Source"] == "fda-data.json (DCAT-US 1.1)"
    assert keywords(drugs) == ["cder"]
    assert distributions(drugs) == [
        {
            "name": "Distribution 1",
            "format": "ZIP",
            "media_type": "application/zip",
            "link": "Download",
            "href": "http://www.fda.gov/downloads/Drugs/InformationOnDrugs/UCM054599.zip",
        }
    ]
    assert facts(orange)["Last modified"] == "8 January 2014"
    assert keywords(orange) == [
        "Orange Book",
        "Approved Drug Products with Therapuetic Equivalence Evaluations",
    ]
    assert [
        (d["format"], d["media_type"], d["link"], d["href"]) for d in distributions(orange)
    ] == [("HTML", "text/html", "Open", "http://www.accessdata.fda.gov/scripts/cder/ob/")]
    assert "The catalog lists no distributions for this dataset." in page(no_files).text
    assert (
        "14 datasets published by Center for Drug Evaluation and Research."
        in page(same_publisher).text
    )
    assert "Drugs@FDA Database" in result_titles(same_publisher)
    assert "Orange Book" not in result_titles(same_publisher)  # "Food and Drug Administration"


def test_cms_catalog_pages_show_api_and_file_distributions(client, importer):
    assert "139 new, 0 updated, 0 unchanged, 0 rejected." in importer("cms-data.json")

    aco = _show(client, "Accountable Care Organization Participants")
    covid = _show(client, "COVID-19 Nursing Home Data")

    about = facts(aco)
    assert about["Publisher"] == "Centers for Medicare & Medicaid Services"
    assert about["Contact"] == "Shared Savings Program - CM SharedSavingsProgram@cms.hhs.gov"
    assert about["License"] == "https://www.usa.gov/government-works"
    assert about["Last modified"] == "15 January 2025"
    assert about["Landing page"] == (
        "https://data.cms.gov/medicare-shared-savings-program/"
        "accountable-care-organization-participants"
    )
    assert about["Themes"] == "Medicare"
    assert keywords(aco) == [
        "Medicare",
        "Value-Based Care",
        "Coordinated Care",
        "Payment Models",
        "Accountable Care Organizations",
    ]
    files = distributions(aco)
    assert len(files) == 27
    assert files[0] == {
        "name": "Accountable Care Organization Participants : 2025-01-15 latest",
        "format": "API",
        "media_type": "—",
        "link": "Open",
        "href": "https://data.cms.gov/data-api/v1/dataset/9767cb68-8ea9-4f0b-8179-9431abc89f11/data",
    }
    assert (files[1]["format"], files[1]["media_type"], files[1]["link"]) == (
        "CSV",
        "text/csv",
        "Download",
    )
    assert facts(covid)["Publisher"] == "Centers for Disease Control and Prevention"
    assert "DISCLAIMER: This information is current" in page(aco).text
    assert "139 datasets in the catalog." in page(client.get("/datasets")).text


def test_dcat_11_sample_page_shows_every_level_of_the_publisher(client, importer):
    importer("dcat-us-1.1-sample.json")

    widgets = _show(client, "U.S. Widget Manufacturing Statistics")

    about = facts(widgets)
    assert about["Publisher"] == (
        "Widget Services part of Office of Citizen Services and Innovative Technologies "
        "part of General Services Administration part of U.S. Government"
    )
    assert about["Contact"] == "Jane Doe jane.doe@agency.gov"
    assert about["Last modified"] == "19 November 2011"
    assert about["Identifier"] == "http://dx.doi.org/10.7927/H45X26V8"
    assert "Landing page" not in about
    mail = [a for a in page(widgets).all("a") if a.attrs.get("href", "").startswith("mailto:")]
    assert [a.attrs["href"] for a in mail] == ["mailto:jane.doe@agency.gov"]
    assert [
        (d["format"], d["media_type"], d["link"], d["href"]) for d in distributions(widgets)
    ] == [
        (
            "CSV",
            "text/csv",
            "Download",
            "https://data.agency.gov/datasets/widgets-statistics/widgets.csv",
        ),
        (
            "ZIP",
            "application/zip",
            "Download",
            "https://data.agency.gov/datasets/widgets-statistics/widgets-all.zip",
        ),
        ("JSON", "application/json", "Download", "http://www.agency.gov/feeds/widgets-all.json"),
        ("—", "—", "Open", "https://data.agency.gov/api/widgets-statistics/"),
    ]


def test_dcat_30_nested_catalog_datasets_have_their_own_pages(client, importer):
    importer("dcat-us-3.0-complete.json")

    partner = _show(client, "Partner Dataset")
    quarterly = _show(client, "Quarterly Budget Reports")
    budget = _show(client, "Annual Budget Data")

    assert facts(partner)["Publisher"] == "Partner Agency"
    assert facts(partner)["Contact"] == "Partner Support partner@example.gov"
    assert facts(partner)["Source"] == "Federal Data Catalog (DCAT-US 3.0)"
    assert facts(quarterly)["Publisher"] == "Treasury Department"
    assert facts(budget)["Identifier"] == "https://example.gov/datasets/catalog-complete-001"
    assert "Federal budget allocations and expenditures" in page(budget).text
    assert "The catalog lists no distributions for this dataset." in page(budget).text


# --- descriptions from outside ----------------------------------------------------------------


def _catalog(*datasets) -> bytes:
    return json.dumps(
        {"conformsTo": "https://project-open-data.cio.gov/v1.1/schema", "dataset": list(datasets)}
    ).encode()


def test_dataset_page_renders_html_description_sanitized(client, importer, login_as):
    description = (
        '<p>Beds by <strong>county</strong>, see <a href="https://example.gov/beds">the notes'
        '</a>.</p><script>alert("owned")</script><img src="x" onerror="alert(1)">'
        '<a href="javascript:alert(2)">click</a>'
    )
    upload(
        client,
        _catalog({"identifier": "beds", "title": "Hospital Beds", "description": description}),
    )

    html = _show(client, "Hospital Beds").get_data(as_text=True)
    listing = client.get("/datasets").get_data(as_text=True)

    assert "Beds by <strong>county</strong>" in html
    assert (
        '<a href="https://example.gov/beds" rel="nofollow noopener noreferrer">the notes</a>'
        in html
    )
    for unsafe in ("<script>alert", 'alert("owned")', "onerror", "<img", "javascript:"):
        assert unsafe not in html
        assert unsafe not in listing


def test_dataset_page_renders_markdown_description_with_script_inert(client, importer):
    description = 'Counts **by week**.\n\n<script>alert("owned")</script>'
    upload(
        client, _catalog({"identifier": "wk", "title": "Weekly Counts", "description": description})
    )

    html = _show(client, "Weekly Counts").get_data(as_text=True)

    assert "<strong>by week</strong>" in html
    assert "<script>alert" not in html


def test_ckan_html_notes_render_as_formatted_text(client, importer, portal):
    import_url(client, portal.url(f"{CKAN_PATH}?id={CKAN_COVID}"))

    shown = _show(client, COVID_TITLE)

    html = shown.get_data(as_text=True)
    assert "<strong>in a timeseries format</strong>" in html
    assert "&lt;p&gt;" not in html
    [link] = [a for a in page(shown).all("a") if "Data Dictionary" in a.text]
    assert link.attrs["href"] == (
        "https://healthdata.gov/covid-19-reported-patient-impact-and-hospital-capacity-state-data-dictionary"
    )


# --- featured in -----------------------------------------------------------------------------


def test_dataset_page_lists_challenges_of_published_events_only(client):
    dataset = make_dataset(title="Hospital Readmissions by County")
    public = make_event(slug="health-jam", title="Health Datajam")
    draft = make_event(slug="secret-jam", title="Secret Datajam", status=EventStatus.DRAFT.value)
    shown = make_challenge(public, slug="readmissions", title="Fewer Readmissions")
    hidden = make_challenge(draft, slug="hidden", title="Hidden Challenge")
    link_dataset(shown, dataset)
    link_dataset(hidden, dataset)

    response = client.get(f"/datasets/{dataset.id}")

    text = page(response).text
    assert "Fewer Readmissions, a challenge of Health Datajam" in text
    assert "Hidden Challenge" not in text and "Secret Datajam" not in text
    hrefs = {a.text: a.attrs["href"] for a in page(response).all("a")}
    assert hrefs["Fewer Readmissions"] == "/events/health-jam/challenges/readmissions"
    assert hrefs["Health Datajam"] == "/events/health-jam"


def test_dataset_page_without_challenges_says_so(client):
    dataset = make_dataset(title="Bus Stop Inventory")
    draft = make_event(status=EventStatus.DRAFT.value)
    link_dataset(make_challenge(draft), dataset)

    response = client.get(f"/datasets/{dataset.id}")

    assert "No challenge features this dataset yet." in page(response).text


def test_dataset_page_unknown_id_is_not_found(client):
    assert client.get("/datasets/999999").status_code == 404
