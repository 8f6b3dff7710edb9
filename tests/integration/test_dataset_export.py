"""/datasets/data.json: the datasets our published challenges feature, as DCAT-US 1.1.

The catalog is checked against the 1.1 JSON Schemas themselves (draft-04, the five files
tied together by their ids), with datasets from every kind of source featured, so each
stand-in the exporter writes for a field its source lacked is validated too.
"""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from eventhub.enums import EventStatus
from tests.factories import link_dataset, make_challenge, make_dataset, make_event, make_organizer
from tests.integration.datasets_support import (
    CKAN_COVID,
    CKAN_FLOOD,
    CKAN_PATH,
    COVID_TITLE,
    DKAN_PATH,
    SOCRATA_PATH,
    catalog_bytes,
    dataset_id,
    import_url,
    report,
    upload,
)
from tests.support.fixtures import FIXTURES

SCHEMAS = FIXTURES / "dcat-us-1.1-schema"
SCHEMA = "https://project-open-data.cio.gov/v1.1/schema"


@pytest.fixture(scope="module")
def validator() -> Draft4Validator:
    registry = Registry()
    for path in sorted(SCHEMAS.glob("*.json")):
        contents = json.loads(path.read_text())
        resource = Resource.from_contents(contents, default_specification=DRAFT4)
        registry = registry.with_resource(contents["id"].rstrip("#"), resource)
    catalog = json.loads((SCHEMAS / "catalog.json").read_text())
    return Draft4Validator(
        catalog, registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER
    )


@pytest.fixture
def config_overrides(portal):
    return {"IMPORT_TEST_ORIGIN": portal.origin}


def _errors(validator: Draft4Validator, document: dict) -> list[str]:
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    ]


def _catalog(client) -> dict:
    response = client.get("/datasets/data.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_json()


def _by_identifier(document: dict) -> dict[str, dict]:
    return {entry["identifier"]: entry for entry in document["dataset"]}


@pytest.fixture
def featured(client, login_as, portal):
    """One dataset from each kind of source, each featured in a published event's challenge;
    one more featured only in a draft's. Returns the titles by source kind."""
    login_as(make_organizer())
    assert "3 new" in report(upload(client, catalog_bytes("dcat-us-1.1-sample.json")))
    assert "4 new" in report(upload(client, catalog_bytes("dcat-us-3.0-complete.json")))
    for path in (
        f"{CKAN_PATH}?id={CKAN_FLOOD}",
        f"{CKAN_PATH}?id={CKAN_COVID}",
        SOCRATA_PATH,
        DKAN_PATH,
    ):
        assert "1 new" in report(import_url(client, portal.url(path)))
    titles = {
        "DCAT-US 1.1": "U.S. Widget Manufacturing Statistics",
        "DCAT-US 3.0": "Annual Budget Data",
        "CKAN": "Flood Map for Planning (Rivers and Sea)- Flood Zone 2",
        "CKAN (DKAN 7)": COVID_TITLE,
        "Socrata": "Seattle Police Department 911 Incident Response",
        "DKAN": "Product Data for Newly Reported Drugs in the Medicaid Drug Rebate Program "
        "2024-01-08-to-2024-01-14",
    }
    public = make_challenge(make_event(title="Health Datajam"))
    second = make_challenge(make_event(title="Safety Sprint"))
    draft = make_challenge(make_event(status=EventStatus.DRAFT.value))
    for title in titles.values():
        link_dataset(public, _dataset(title))
    link_dataset(second, _dataset(titles["Socrata"]))  # featured twice: listed once
    link_dataset(draft, _dataset("Partner Dataset"))  # a draft's only: not listed
    link_dataset(draft, _dataset(titles["DCAT-US 1.1"]))
    return titles


def _dataset(title: str):
    from eventhub.datasets.models import Dataset
    from eventhub.extensions import db

    return db.session.get(Dataset, dataset_id(title))


def test_data_json_lists_datasets_of_published_challenges_and_validates(
    client, featured, validator
):
    document = _catalog(client)

    titles = [entry["title"] for entry in document["dataset"]]
    assert _errors(validator, document) == []
    assert document["conformsTo"] == SCHEMA
    assert document["describedBy"] == f"{SCHEMA}/catalog.json"
    assert sorted(titles) == sorted(featured.values())  # each once, however often featured
    assert "Partner Dataset" not in titles  # featured only by a draft event's challenge
    assert "U.S. Widget Phase Modulation Ranges" not in titles  # imported, never featured


def test_data_json_keeps_what_the_source_said(client, featured):
    entries = _by_identifier(_catalog(client))

    widgets = entries["http://dx.doi.org/10.7927/H45X26V8"]
    assert widgets["keyword"] == ["widget", "manufacturing", "factory"]
    assert widgets["bureauCode"] == ["018:10"] and widgets["programCode"] == ["018:001"]
    assert widgets["modified"] == "2011-11-19T12:00:00Z"
    assert widgets["contactPoint"] == {
        "@type": "vcard:Contact",
        "fn": "Jane Doe",
        "hasEmail": "mailto:jane.doe@agency.gov",
    }
    assert widgets["publisher"]["subOrganizationOf"]["subOrganizationOf"] == {
        "@type": "org:Organization",
        "name": "General Services Administration",
        "subOrganizationOf": {"@type": "org:Organization", "name": "U.S. Government"},
    }
    assert [d.get("downloadURL") or d.get("accessURL") for d in widgets["distribution"]] == [
        "https://data.agency.gov/datasets/widgets-statistics/widgets.csv",
        "https://data.agency.gov/datasets/widgets-statistics/widgets-all.zip",
        "http://www.agency.gov/feeds/widgets-all.json",
        "https://data.agency.gov/api/widgets-statistics/",
    ]
    socrata = entries["3k2p-39jp"]
    assert socrata["license"] == "http://creativecommons.org/publicdomain/zero/1.0/legalcode"
    assert socrata["keyword"] == ["911", "police", "crime", "incident response"]
    assert socrata["theme"] == ["Public Safety"]


def test_data_json_fills_required_fields_the_source_lacked_with_stand_ins(client, featured):
    entries = _by_identifier(_catalog(client))

    budget = entries["https://example.gov/datasets/catalog-complete-001"]  # 3.0: no keywords
    assert budget["keyword"] == ["Office of Management and Budget"]
    assert budget["bureauCode"] == ["000:00"] and budget["programCode"] == ["000:000"]
    assert budget["accessLevel"] == "public"
    assert budget["contactPoint"]["hasEmail"] == "mailto:budget@example.gov"
    assert "distribution" not in budget
    socrata = entries["3k2p-39jp"]  # no contact in a Socrata view: the site's own address
    assert socrata["contactPoint"] == {
        "@type": "vcard:Contact",
        "fn": "EventHub catalog",
        "hasEmail": "mailto:noreply@eventhub.localhost",
    }
    covid = entries["83b4a668-9321-4d8c-bc4f-2bef66c49050"]  # "private": true is not believed
    assert covid["accessLevel"] == "public"
    flood = entries["cf494c44-05cd-4060-a029-35937970c9c6"]
    assert flood["modified"].startswith("2018-06-05T12:40:12")


def test_data_json_without_featured_datasets_is_an_empty_valid_catalog(client, validator):
    make_dataset(title="Hospital Readmissions")  # in the catalog, featured nowhere
    draft = make_event(status=EventStatus.DRAFT.value)
    link_dataset(make_challenge(draft), make_dataset(title="Draft-only Dataset"))

    response = client.get("/datasets/data.json")

    assert response.get_json()["dataset"] == []
    assert _errors(validator, response.get_json()) == []
    assert response.headers["Cache-Control"] == "public, max-age=300"


def test_data_json_of_the_whole_fda_catalog_featured_validates(client, login_as, validator):
    login_as(make_organizer())
    upload(client, catalog_bytes("fda-data.json"), "fda-data.json")
    challenge = make_challenge(make_event())
    from eventhub.datasets.models import Dataset
    from eventhub.extensions import db

    for dataset in db.session.scalars(db.select(Dataset).order_by(Dataset.id)).all():
        link_dataset(challenge, dataset)

    document = _catalog(client)

    assert len(document["dataset"]) == 86
    assert _errors(validator, document) == []
    drugs = next(e for e in document["dataset"] if e["title"] == "Drugs@FDA Database")
    assert drugs["modified"] == "R/P1D"
    assert "license" not in drugs
