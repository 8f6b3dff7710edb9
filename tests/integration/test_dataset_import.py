"""Importing datasets as an organizer or admin does it on the import page: a file or an address.

Every source kind (DCAT-US 1.1 and 3.0 catalogs, CKAN, Socrata and DKAN single datasets) goes
through the page against a stand-in portal on 127.0.0.1 and is checked by what the report,
the history and the dataset pages show. Bad input and refused addresses are in
test_dataset_import_input.py, the command line in test_dataset_import_cli.py, the real
catalogs' contents in test_dataset_pages.py.
"""

from __future__ import annotations

import json

import pytest

from eventhub.datasets.models import Dataset, DatasetImport, Distribution
from eventhub.extensions import db
from tests.factories import make_admin, make_dataset, make_organizer, make_user
from tests.integration.datasets_support import (
    CKAN_COVID,
    CKAN_FLOOD,
    CKAN_PATH,
    COVID_TITLE,
    DKAN_PATH,
    SOCRATA_PATH,
    catalog_bytes,
    dataset_id,
    distributions,
    facts,
    history_rows,
    import_url,
    keywords,
    report,
    result_titles,
    stored_count,
    upload,
)
from tests.integration.pages import page

SAMPLE = "dcat-us-1.1-sample.json"
WIDGETS = "U.S. Widget Manufacturing Statistics"


@pytest.fixture
def config_overrides(portal):
    return {"IMPORT_TEST_ORIGIN": portal.origin}


@pytest.fixture
def organizer(client, login_as):
    person = make_organizer(name="Olive Organizer")
    login_as(person)
    return person


# --- who may import ----------------------------------------------------------------------


def test_import_page_anonymous_is_sent_to_sign_in(client):
    shown = client.get("/datasets/import")
    sent = client.post("/datasets/import", data={"via": "url", "url": "https://x.example/"})

    assert shown.status_code == 302
    assert shown.headers["Location"].startswith("/login?next=")
    assert "Sign in" in page(client.get(shown.headers["Location"])).text
    assert sent.status_code == 302
    assert stored_count(DatasetImport) == 0


def test_import_page_person_without_organize_right_is_forbidden(client, login_as):
    earlier = make_dataset().catalog_id  # stored through an import, so there is a report
    report_id = db.session.scalar(db.select(DatasetImport.id).filter_by(catalog_id=earlier))
    login_as(make_user())

    shown = client.get("/datasets/import")
    sent = upload(client, catalog_bytes(SAMPLE), SAMPLE)
    history = client.get("/datasets/imports")
    one = client.get(f"/datasets/imports/{report_id}")

    assert [r.status_code for r in (shown, sent, history, one)] == [403, 403, 403, 403]
    assert stored_count(Dataset) == 1
    assert "Import datasets" not in client.get("/datasets").get_data(as_text=True)


@pytest.mark.parametrize("make", [make_organizer, make_admin], ids=["organizer", "admin"])
def test_import_page_organizer_or_admin_imports_a_file(client, login_as, make):
    login_as(make())

    listing = client.get("/datasets")
    done = upload(client, catalog_bytes(SAMPLE), SAMPLE)

    assert "Import datasets" in listing.get_data(as_text=True)
    assert done.status_code == 200
    assert "3 new, 0 updated, 0 unchanged, 0 rejected." in report(done)


# --- catalogs ---------------------------------------------------------------------------


def test_upload_dcat_11_catalog_reports_counts_and_keeps_history(client, organizer):
    done = upload(client, catalog_bytes("fda-data.json"), "fda-data.json")

    about = facts(done)
    assert "86 new, 0 updated, 0 unchanged, 0 rejected." in report(done)
    assert about["Source"] == "fda-data.json (DCAT-US 1.1)"
    assert about["Started by"] == "Olive Organizer, 2026-03-02 15:00 UTC"
    assert "86 datasets in the catalog." in page(client.get("/datasets")).text
    [row] = history_rows(client)
    assert row[:7] == ["2026-03-02 15:00", "fda-data.json", "Olive Organizer", "86", "0", "0", "0"]
    [link] = [
        a for a in page(client.get("/datasets/imports")).all("a") if a.text.startswith("Report")
    ]
    kept = client.get(link.attrs["href"])
    assert "86 new, 0 updated, 0 unchanged, 0 rejected." in report(kept)


def test_reimport_same_catalog_name_updates_in_place_and_adds_new(client, organizer):
    first = upload(client, catalog_bytes(SAMPLE), "agency.json", catalog="Widget agency")
    widgets_id = dataset_id(WIDGETS)
    changed = json.loads(catalog_bytes(SAMPLE))
    changed["dataset"][0]["title"] = "U.S. Widget Manufacturing Statistics, Revised"
    changed["dataset"][0]["distribution"] = changed["dataset"][0]["distribution"][:1]
    changed["dataset"].append(
        {
            "identifier": "widgets-4",
            "title": "Widget Exports",
            "publisher": {"name": "Widget Services"},
        }
    )

    again = upload(client, json.dumps(changed).encode(), "agency-v2.json", catalog="Widget agency")
    shown = client.get(f"/datasets/{widgets_id}")

    assert "3 new" in report(first)
    assert "1 new, 1 updated, 2 unchanged, 0 rejected." in report(again)
    assert stored_count(Dataset) == 4
    assert dataset_id("U.S. Widget Manufacturing Statistics, Revised") == widgets_id
    assert [d["href"] for d in distributions(shown)] == [
        "https://data.agency.gov/datasets/widgets-statistics/widgets.csv"
    ]
    assert stored_count(Distribution) == 2  # the revised dataset's one and the 2011 ranges' one
    assert result_titles(client.get("/datasets?q=revised")) == [
        "U.S. Widget Manufacturing Statistics, Revised"
    ]
    assert "Widget Exports" in result_titles(client.get("/datasets?q=exports"))


def test_reimport_unchanged_catalog_changes_nothing(client, organizer):
    upload(client, catalog_bytes(SAMPLE), SAMPLE)
    before = db.session.scalars(db.select(Dataset.updated_at).order_by(Dataset.id)).all()

    again = upload(client, catalog_bytes(SAMPLE), SAMPLE)

    assert "0 new, 0 updated, 3 unchanged, 0 rejected." in report(again)
    db.session.rollback()
    assert db.session.scalars(db.select(Dataset.updated_at).order_by(Dataset.id)).all() == before
    assert [r[3:7] for r in history_rows(client)] == [["0", "0", "3", "0"], ["3", "0", "0", "0"]]


def test_upload_under_another_catalog_name_keeps_its_own_copies(client, organizer):
    upload(client, catalog_bytes(SAMPLE), SAMPLE, catalog="Agency mirror A")
    other = upload(client, catalog_bytes(SAMPLE), SAMPLE, catalog="Agency mirror B")

    assert "3 new" in report(other)
    assert stored_count(Dataset) == 6


def test_upload_with_bad_records_imports_the_good_ones_and_names_each_reason(client, organizer):
    good = {"identifier": "clinics", "title": "Clinic Locations", "keyword": ["clinics"]}
    body = json.dumps(
        {
            "conformsTo": "https://project-open-data.cio.gov/v1.1/schema",
            "dataset": [
                {"identifier": "no-title", "description": "A dataset without a name"},
                good,
                {"title": "Nameless Numbers"},
                {"identifier": "kw", "title": "Keyword Text", "keyword": "health, clinics"},
                {"identifier": "pub", "title": "Publisher Text", "publisher": "Health Office"},
                {**good, "identifier": "clinics-2", "title": "Clinic Hours"},
            ],
        }
    ).encode()

    done = upload(client, body, "mixed.json")

    assert "2 new, 0 updated, 0 unchanged, 4 rejected." in report(done)
    rows = [
        [cell.text for cell in row.walk() if cell.tag == "td"]
        for row in page(done).all("tbody")[0].walk()
        if row.tag == "tr"
    ]
    assert rows == [
        ["1", "no-title", "—", "missing a title"],
        ["3", "—", "Nameless Numbers", "missing an identifier"],
        ["4", "kw", "Keyword Text", "keyword must be a list of strings, not a string"],
        ["5", "pub", "Publisher Text", "publisher must be an object with a name, not a string"],
    ]
    assert sorted(db.session.scalars(db.select(Dataset.title))) == [
        "Clinic Hours",
        "Clinic Locations",
    ]


def test_import_dcat_11_catalog_from_url(client, organizer, portal):
    done = import_url(client, portal.url(f"/catalogs/{SAMPLE}"))

    assert "3 new, 0 updated, 0 unchanged, 0 rejected." in report(done)
    assert f"{portal.url('/catalogs/' + SAMPLE)} (DCAT-US 1.1)" in page(done).text


def test_import_dcat_30_catalog_from_url_includes_nested_catalogs(client, organizer, portal):
    done = import_url(client, portal.url("/catalogs/dcat-us-3.0-complete.json"))

    assert "4 new, 0 updated, 0 unchanged, 0 rejected." in report(done)
    assert "(DCAT-US 3.0)" in page(done).text
    assert facts(done)["Kept under"] == "Federal Data Catalog"
    assert sorted(db.session.scalars(db.select(Dataset.title))) == [
        "Annual Budget Data",
        "Employment Statistics",
        "Partner Dataset",
        "Quarterly Budget Reports",
    ]  # the catalog's DataService ("Federal Data API") is not a dataset


# --- single datasets from portals ---------------------------------------------------------


def test_import_ckan_package_show_url_maps_onto_a_dataset(client, organizer, portal):
    url = portal.url(f"{CKAN_PATH}?id={CKAN_FLOOD}")

    done = import_url(client, url)
    shown = client.get(
        f"/datasets/{dataset_id('Flood Map for Planning (Rivers and Sea)- Flood Zone 2')}"
    )

    assert "1 new, 0 updated, 0 unchanged, 0 rejected." in report(done)
    assert "(CKAN)" in page(done).text
    about = facts(shown)
    assert about["Publisher"] == "Environment Agency"
    assert about["Contact"] == "data.info@environment-agency.gov.uk"
    assert (
        about["License"]
        == "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
    )
    assert about["Last modified"] == "5 June 2018"
    assert about["Access level"] == "public"
    assert about["Landing page"] == portal.url(f"/dataset/{CKAN_FLOOD}")
    assert about["Identifier"] == "cf494c44-05cd-4060-a029-35937970c9c6"
    assert keywords(shown) == [
        "flood",
        "flood-protection",
        "flooding",
        "opendata",
        "risk-management",
    ]
    assert [(d["format"], d["link"]) for d in distributions(shown)] == [
        ("—", "Open"),
        ("WMS", "Open"),
        ("WMS", "Open"),
    ]
    assert "Flood Zone 2" in page(shown).text


def test_import_ckan_compatible_dkan7_answer_maps_onto_a_dataset(client, organizer, portal):
    done = import_url(client, portal.url(f"{CKAN_PATH}?id={CKAN_COVID}"))
    shown = client.get(f"/datasets/{dataset_id(COVID_TITLE)}")

    assert "1 new" in report(done)
    about = facts(shown)
    assert about["Contact"] == "HealthData.gov HealthData@hhs.gov"
    assert about["License"] == "https://opendatacommons.org/licenses/odbl/1.0/"
    assert about["Last modified"] == "16 November 2020"
    [csv] = distributions(shown)
    assert (csv["format"], csv["media_type"], csv["link"]) == ("csv", "text/csv", "Download")
    assert csv["href"].endswith("reported_hospital_utilization_timeseries_20201115_2134.csv")


def test_import_socrata_view_url_maps_onto_a_dataset(client, organizer, portal):
    done = import_url(client, portal.url(SOCRATA_PATH))
    shown = client.get(f"/datasets/{dataset_id('Seattle Police Department 911 Incident Response')}")

    assert "1 new, 0 updated, 0 unchanged, 0 rejected." in report(done)
    assert "(Socrata)" in page(done).text
    about = facts(shown)
    assert about["Publisher"] == (
        "City of Seattle, Department of Information Technology, Seattle Police Department"
    )
    assert about["License"] == "http://creativecommons.org/publicdomain/zero/1.0/legalcode"
    assert about["Access level"] == "public"
    assert about["Themes"] == "Public Safety"
    host = portal.origin.split("://")[1]
    assert about["Landing page"] == f"https://{host}/d/3k2p-39jp"
    assert keywords(shown) == ["911", "police", "crime", "incident response"]
    assert [(d["format"], d["media_type"], d["href"]) for d in distributions(shown)] == [
        ("CSV", "text/csv", f"https://{host}/api/views/3k2p-39jp/rows.csv?accessType=DOWNLOAD"),
        (
            "JSON",
            "application/json",
            f"https://{host}/api/views/3k2p-39jp/rows.json?accessType=DOWNLOAD",
        ),
    ]


def test_import_dkan_metastore_url_maps_onto_a_dataset(client, organizer, portal):
    done = import_url(client, portal.url(DKAN_PATH))
    title = (
        "Product Data for Newly Reported Drugs in the Medicaid Drug Rebate Program "
        "2024-01-08-to-2024-01-14"
    )
    shown = client.get(f"/datasets/{dataset_id(title)}")

    assert "1 new, 0 updated, 0 unchanged, 0 rejected." in report(done)
    assert "(DKAN)" in page(done).text
    about = facts(shown)
    assert about["Publisher"] == "data.medicaid.gov"
    assert about["Contact"] == "Medicaid.gov Medicaid.gov@cms.hhs.gov"
    assert about["License"] == "http://www.usa.gov/publicdomain/label/1.0/"
    assert about["Last modified"] == "16 January 2024"
    assert keywords(shown) == ["drug rebate program"]
    [csv] = distributions(shown)
    assert (csv["format"], csv["link"]) == ("csv", "Download")
    assert csv["href"] == (
        "https://data.medicaid.gov/sites/default/files/uploaded_resources/"
        "mdrp-newly-rprt-drug-01-08-2024-to-01-14-2024.csv"
    )


def test_portal_datasets_share_the_portal_catalog_and_reimport_unchanged(client, organizer, portal):
    import_url(client, portal.url(SOCRATA_PATH))
    import_url(client, portal.url(f"{CKAN_PATH}?id={CKAN_FLOOD}"))

    again = import_url(client, portal.url(SOCRATA_PATH))

    assert "0 new, 0 updated, 1 unchanged, 0 rejected." in report(again)
    assert facts(again)["Kept under"] == portal.origin
    assert stored_count(Dataset) == 2
