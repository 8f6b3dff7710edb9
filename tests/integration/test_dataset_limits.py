"""Web imports are limited per person: each may hold a worker for up to the import timeout."""

import io

import pytest

from tests.factories import make_organizer


@pytest.fixture
def config_overrides():
    return {"IMPORT_RATE_LIMIT": "2 per hour"}


def _upload(client, name: str):
    body = b'{"conformsTo": "https://project-open-data.cio.gov/v1.1/schema", "dataset": []}'
    return client.post(
        "/datasets/import",
        data={"via": "file", "file": (io.BytesIO(body), name), "catalog": ""},
        content_type="multipart/form-data",
    )


def test_import_past_the_limit_is_refused_with_429(client, login_as):
    login_as(make_organizer())

    answers = [_upload(client, f"catalog-{n}.json").status_code for n in range(3)]

    assert answers == [302, 302, 429]


def test_import_limit_counts_each_person_alone(app, login_as):
    first, second = app.test_client(), app.test_client()
    login_as(make_organizer(), on=first)
    login_as(make_organizer(), on=second)
    for n in range(2):
        _upload(first, f"catalog-{n}.json")

    assert _upload(first, "one-more.json").status_code == 429
    assert _upload(second, "mine.json").status_code == 302


def test_catalog_larger_than_the_site_request_limit_imports_with_csrf_checked(
    app, client, login_as
):
    """CSRF reads the form before any view runs: the import's own limit must already apply."""
    from tests.integration.pages import page
    from tests.support.fixtures import CATALOGS

    app.config["WTF_CSRF_ENABLED"] = True
    body = (CATALOGS / "cms-data.json").read_bytes()
    login_as(make_organizer())
    token = page(client.get("/datasets/import")).csrf_token()

    response = client.post(
        "/datasets/import",
        data={
            "via": "file",
            "file": (io.BytesIO(body), "cms-data.json"),
            "catalog": "",
            "csrf_token": token,
        },
        content_type="multipart/form-data",
        follow_redirects=True,
    )

    assert len(body) > app.config["MAX_CONTENT_LENGTH"]
    assert "139 new, 0 updated, 0 unchanged, 0 rejected." in response.text
