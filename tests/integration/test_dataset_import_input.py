"""Bad input and refused addresses on the import page: each says what went wrong, and what
was stored before is exactly as it was (titles, distributions, keywords, search).

A good catalog is imported first under the name the bad one then uses, so a bad import
that wrote anything, or half-updated a dataset, shows up in the comparison.
"""

from __future__ import annotations

import json

import pytest

from eventhub.datasets.models import Catalog, Dataset, DatasetFacet, DatasetImport
from eventhub.extensions import db
from tests.factories import make_organizer
from tests.integration.datasets_support import (
    CKAN_PATH,
    catalog_bytes,
    import_url,
    report,
    upload,
)
from tests.integration.pages import field_error, page
from tests.support.httpserver import MEGABYTE, content, redirect, status, stream, trickle

SAMPLE = "dcat-us-1.1-sample.json"
CATALOG = "Widget agency"
LIMIT = {"IMPORT_MAX_BYTES": MEGABYTE}


@pytest.fixture
def config_overrides(request, portal):
    """The portal's origin and a one-second fetch deadline; a test may add more."""
    return {
        "IMPORT_TEST_ORIGIN": portal.origin,
        "IMPORT_TIMEOUT": 1.0,
        **getattr(request, "param", {}),
    }


@pytest.fixture
def stored(client, login_as):
    """The sample catalog imported by an organizer (signed in); returns what it looks like."""
    login_as(make_organizer())
    assert "3 new" in report(upload(client, catalog_bytes(SAMPLE), SAMPLE, catalog=CATALOG))
    return snapshot(client)


def snapshot(client) -> dict:
    """Everything a bad import could have touched, as rows and as search finds it."""
    db.session.rollback()
    datasets = db.session.scalars(db.select(Dataset).order_by(Dataset.identifier)).all()
    return {
        "catalogs": db.session.scalars(db.select(Catalog.key).order_by(Catalog.key)).all(),
        "datasets": [
            (
                d.identifier,
                d.title,
                d.description,
                d.keywords,
                d.publisher.name if d.publisher else None,
                d.updated_at,
                d.digest,
                [(x.download_url, x.access_url, x.media_type, x.format) for x in d.distributions],
            )
            for d in datasets
        ],
        "facets": db.session.execute(
            db.select(DatasetFacet.dataset_id, DatasetFacet.facet, DatasetFacet.value).order_by(
                DatasetFacet.dataset_id, DatasetFacet.facet, DatasetFacet.value
            )
        ).all(),
        "found": [
            a.text
            for a in page(client.get("/datasets?q=widget+modulation")).all("a")
            if a.attrs.get("href", "").startswith("/datasets/") and a.text.startswith("U.S.")
        ],
    }


def _imports(status_: str) -> int:
    db.session.rollback()
    return db.session.scalar(
        db.select(db.func.count()).select_from(DatasetImport).filter_by(status=status_)
    )


def _refused(response) -> str:
    """The failed-import report: its heading must say so; returns the reason given."""
    text = report(response)
    assert text.startswith("Nothing was imported "), text
    return text.removeprefix("Nothing was imported ")


# --- addresses the fetcher refuses ----------------------------------------------------------


def test_url_import_refused_address_is_named_beside_the_field(client, stored):
    expected = {
        "http://data.example.org/data.json": "http://data.example.org/data.json cannot be "
        "imported: only https:// addresses are fetched, for a secure connection.",
        "https://127.0.0.1/data.json": "https://127.0.0.1/data.json cannot be imported: "
        "127.0.0.1 is a loopback address; only public internet addresses are fetched.",
        "https://10.20.30.40/data.json": "https://10.20.30.40/data.json cannot be imported: "
        "10.20.30.40 is a private network address; only public internet addresses are fetched.",
    }

    responses = {url: import_url(client, url) for url in expected}

    assert {url: field_error(r, "url") for url, r in responses.items()} == {
        url: [message] for url, message in expected.items()
    }
    assert all(page(r).value("url") == url for url, r in responses.items())
    assert _imports("failed") == 0
    assert snapshot(client) == stored


def test_url_import_name_resolving_to_loopback_is_refused_after_lookup(client, stored):
    response = import_url(client, "https://localhost/data.json")

    assert _refused(response) == (
        "https://localhost/data.json cannot be imported: localhost points to a loopback "
        "address; only public internet addresses are fetched."
    )
    assert snapshot(client) == stored


def test_url_import_redirect_to_a_refused_address_is_refused(client, stored, portal):
    reasons = {
        "http://data.example.org/data.json": "only https:// addresses are fetched, for a "
        "secure connection",
        "https://127.0.0.1:9/data.json": "127.0.0.1 is a loopback address; only public "
        "internet addresses are fetched",
        "https://192.168.1.10/data.json": "192.168.1.10 is a private network address; only "
        "public internet addresses are fetched",
    }
    starts = {
        target: portal.route(f"/moved/{n}/data.json", redirect(target))
        for n, target in enumerate(reasons)
    }

    refused = {target: _refused(import_url(client, start)) for target, start in starts.items()}

    assert refused == {
        target: f"The address redirected to {target}, which cannot be imported: {reason}."
        for target, reason in reasons.items()
    }
    assert _imports("failed") == 3
    assert snapshot(client) == stored


def test_url_import_that_times_out_says_so(client, stored, portal):
    slow = portal.route("/slow/data.json", trickle(4.0))

    response = import_url(client, slow)

    assert _refused(response) == (
        "The server 127.0.0.1 took too long: the import stopped after 1 second. Try again later."
    )
    assert snapshot(client) == stored


# --- documents that are not catalogs --------------------------------------------------------


BAD_DOCUMENTS = {
    "malformed": (
        b'{"dataset": [\n  {"title": "A"\n  {"title": "B"}\n]}',
        "The file is not valid JSON: Expecting ',' delimiter at line 3, column 3.",
    ),
    "not-a-catalog": (
        b'{"name": "clinics", "rows": [[1, 2], [3, 4]]}',
        "This is not a DCAT-US catalog or a CKAN, Socrata or DKAN dataset: it is a JSON object "
        "with keys name, rows.",
    ),
    "dataset-not-a-list": (
        b'{"conformsTo": "https://project-open-data.cio.gov/v1.1/schema", "dataset": "none"}',
        'The catalog\'s "dataset" must be a list of datasets, but it is a string.',
    ),
    "html": (
        b"<!DOCTYPE html>\n<html><head><title>Open Data</title></head><body></body></html>",
        "The file is a web page (HTML), not a JSON catalog. Upload the catalog's data.json, "
        "not a page saved from a browser.",
    ),
    "empty": (b"", "The file is empty: there is no catalog in it."),
}


def test_upload_of_a_file_that_is_not_a_catalog_imports_nothing_and_says_why(client, stored):
    refused = {
        kind: _refused(upload(client, body, "data.json", catalog=CATALOG))
        for kind, (body, _) in BAD_DOCUMENTS.items()
    }
    history = page(client.get("/datasets/imports")).text

    assert refused == {kind: message for kind, (_, message) in BAD_DOCUMENTS.items()}
    assert all(f"Failed: {message}" in history for _, message in BAD_DOCUMENTS.values())
    assert snapshot(client) == stored


def test_url_import_of_a_web_page_served_as_json_says_it_is_a_web_page(client, stored, portal):
    body = b"\n<!doctype html>\n<html lang='en'><title>Data portal</title><p>Welcome</p></html>"
    url = portal.route("/portal/data.json", content(body, "application/json"))

    response = import_url(client, url)

    assert _refused(response).startswith("The address returned a web page (HTML), not a JSON")
    assert snapshot(client) == stored


def test_url_import_of_a_ckan_name_list_asks_for_one_dataset(client, stored, portal):
    names = {"help": "package_list", "success": True, "result": ["clinics", "hospitals"]}
    url = portal.route("/api/3/action/package_list", content(json.dumps(names).encode()))

    response = import_url(client, url)

    assert _refused(response) == (
        "The CKAN answer holds a list of names, not a dataset. Use the address of one dataset, "
        "such as …/api/3/action/package_show?id=<name>."
    )
    assert snapshot(client) == stored


def test_url_import_of_an_unknown_ckan_dataset_names_the_status(client, stored, portal):
    response = import_url(client, portal.url(f"{CKAN_PATH}?id=no-such-dataset"))

    assert _refused(response) == "The server answered 404 Not Found."
    assert snapshot(client) == stored


def test_url_import_server_error_names_the_status(client, stored, portal):
    url = portal.route("/broken/data.json", status(500, b"oops"))

    response = import_url(client, url)

    assert _refused(response) == "The server answered 500 Internal Server Error."
    assert snapshot(client) == stored


# --- records that cannot be stored ----------------------------------------------------------


def test_reimport_with_bad_records_leaves_their_stored_versions_whole(client, stored):
    catalog = json.loads(catalog_bytes(SAMPLE))
    widgets, modulation, ranges_2011 = catalog["dataset"]
    widgets["keyword"] = "widget, manufacturing"  # a string: the words are a guess
    widgets["title"] = "Widgets, renamed by a broken export"
    modulation["publisher"] = "Widget Modulation Program"  # a string, not an organization
    del ranges_2011["title"]

    response = upload(client, json.dumps(catalog).encode(), "data.json", catalog=CATALOG)

    assert "0 new, 0 updated, 0 unchanged, 3 rejected." in report(response)
    reasons = page(response).text
    assert "keyword must be a list of strings, not a string" in reasons
    assert "publisher must be an object with a name, not a string" in reasons
    assert "missing a title" in reasons
    assert snapshot(client) == stored


# --- sizes ----------------------------------------------------------------------------------


@pytest.mark.parametrize("config_overrides", [LIMIT], indirect=True)
def test_upload_over_the_limit_is_refused_and_one_at_the_limit_imports(client, stored):
    body = catalog_bytes(SAMPLE)
    at_limit = body + b" " * (MEGABYTE - len(body))

    over = upload(client, at_limit + b" ", "big.json", catalog=CATALOG)
    exact = upload(client, at_limit, "big.json", catalog=CATALOG)

    assert field_error(over, "file") == ["The file is larger than 1 MB; nothing was imported."]
    assert "Files and downloads are limited to 1 MB." in page(over).text
    assert "0 new, 0 updated, 3 unchanged, 0 rejected." in report(exact)
    assert _imports("failed") == 0


@pytest.mark.parametrize("config_overrides", [LIMIT], indirect=True)
def test_upload_far_over_the_limit_is_refused_before_it_is_read(client, stored):
    response = upload(client, b" " * (3 * MEGABYTE), "huge.json", catalog=CATALOG)

    assert response.status_code == 413
    assert "The file is larger than 1 MB; nothing was imported." in page(response).text
    assert snapshot(client) == stored


def test_upload_one_byte_over_the_default_20_mb_is_refused(client, stored):
    response = upload(client, b" " * (20 * MEGABYTE + 1), "huge.json", catalog=CATALOG)

    assert field_error(response, "file") == ["The file is larger than 20 MB; nothing was imported."]
    assert _imports("failed") == 0
    assert snapshot(client) == stored


@pytest.mark.parametrize("config_overrides", [LIMIT], indirect=True)
def test_url_import_over_the_limit_is_refused(client, stored, portal):
    url = portal.route("/huge/data.json", stream(MEGABYTE + 1, framing="close"))

    response = import_url(client, url)

    assert _refused(response) == (
        "The file is larger than 1 MB, the most an import reads. "
        "Import a smaller catalog, or one dataset at a time."
    )
    assert snapshot(client) == stored


# --- empty forms ----------------------------------------------------------------------------


def test_import_forms_sent_empty_name_what_is_missing(client, stored):
    no_file = client.post("/datasets/import", data={"via": "file", "catalog": ""})
    no_url = client.post("/datasets/import", data={"via": "url", "url": "  "})

    assert field_error(no_file, "file") == ["Choose a data.json file to upload."]
    assert field_error(no_url, "url") == ["Enter the https:// address of a catalog or dataset."]
    assert _imports("failed") + _imports("completed") == 1  # the stored catalog's own
