"""No unsafe link from stored data: an address from a catalog or a form is a link only when it
is a web (http or https) address, on every page and in every export.

A catalog built from the real DCAT-US sample carries javascript:, data:, vbscript:, file:
and relative addresses in every address field. The import leaves them out (and says so in
its report); rows stored before that rule, or by other means, are still not linked: every
page of a seeded install is read for href and src values, and data.json for its addresses.
"""

from __future__ import annotations

import copy
import json

import pytest
from wtforms.fields.core import UnboundField

from eventhub.datasets.models import Dataset, Distribution
from eventhub.events.models import Event, Partner
from eventhub.extensions import db
from eventhub.forms import http_url
from eventhub.safetext import mail_address, web_url
from eventhub.submissions.models import Submission
from tests.factories import (
    link_dataset,
    make_admin,
    make_calendar_feed,
    make_challenge,
    make_event,
    make_organizer,
)
from tests.integration.crawl import every_form_class, html_pages, open_judging
from tests.integration.datasets_support import catalog_bytes, upload
from tests.integration.pages import Page, field_error, page
from tests.integration.world import build_world

UNSAFE = [
    "javascript:alert(document.cookie)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "/relative/junk",
    "//evil.example/path",
    "evil.example/page",
    "https:evil.example",
    "http:/evil.example",
]
OUR_WEBCAL = "webcal://localhost/"  # BASE_URL's host in the tests' config
LINK_ATTRIBUTES = ("href", "src", "action", "formaction", "poster", "srcset", "data")
ADDRESS_KEYS = {"landingPage", "downloadURL", "accessURL", "license", "describedBy"}
ADDRESS_KEYS |= {"references", "conformsTo", "@id", "@context", "hasEmail", "url"}


def unsafe_links(html: str) -> list[str]:
    """Each link-bearing attribute whose value is neither a path on this site, a fragment,
    a web address nor a plain mailto: address."""
    found = []
    for node in Page(html).root.walk():
        for name in LINK_ATTRIBUTES:
            value = node.attrs.get(name)
            if value is None or _safe(value):
                continue
            found.append(f"<{node.tag} {name}={value!r}>")
    return found


def _safe(value: str) -> bool:
    if value.startswith(("#", "?")) or (value.startswith("/") and not value.startswith("//")):
        return True
    if value.startswith(OUR_WEBCAL):  # the site's own calendar subscriptions
        return True
    if value.lower().startswith("mailto:"):
        return mail_address(value[len("mailto:") :]) is not None
    return web_url(value) == value


def hostile_catalog() -> dict:
    """The real DCAT-US 1.1 sample, with one copy of its first dataset per unsafe address,
    that address in every address field the schema has."""
    doc = json.loads(catalog_bytes("dcat-us-1.1-sample.json"))
    template = doc["dataset"][0]
    for n, bad in enumerate(UNSAFE, start=1):
        record = copy.deepcopy(template)
        record["identifier"] = f"hostile-{n}"
        record["title"] = f"Hostile addresses {n}"
        record["landingPage"] = bad
        record["license"] = bad
        record["describedBy"] = bad
        record["conformsTo"] = bad
        record["references"] = [bad, "https://good.example/reference"]
        record["contactPoint"]["hasEmail"] = bad
        record["publisher"]["url"] = bad
        record["distribution"] = [
            {"downloadURL": bad, "mediaType": "text/csv", "conformsTo": bad, "describedBy": bad},
            {"accessURL": bad, "format": "API"},
            {"downloadURL": bad, "accessURL": "https://good.example/api", "title": "Kept"},
        ]
        doc["dataset"].append(record)
    return doc


def data_json_addresses(doc, key: str | None = None):
    """(key, value) for every string under an address key of the exported catalog."""
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from data_json_addresses(v, k)
    elif isinstance(doc, list):
        for item in doc:
            yield from data_json_addresses(item, key)
    elif isinstance(doc, str) and key in ADDRESS_KEYS:
        yield key, doc


def test_unsafe_addresses_in_a_catalog_are_left_out_and_reported(app, client, login_as):
    login_as(make_admin())

    response = upload(client, json.dumps(hostile_catalog()).encode(), "hostile.json")

    assert response.status_code == 200
    amended = page(response).by_id("amended")[0]
    for n in range(1, len(UNSAFE) + 1):
        row = next(r for r in amended.walk() if r.tag == "tr" and f"hostile-{n}" in r.text)
        assert "Landing page left out" in row.text
        assert "3 distribution addresses left out (not web addresses)" in row.text
        assert "2 distributions with no web address left out" in row.text
    assert "Widget Manufacturing" not in amended.text  # the clean record is not listed
    db.session.rollback()
    stored = db.session.scalars(db.select(Dataset).where(Dataset.identifier.like("hostile-%")))
    stored = list(stored)
    assert len(stored) == len(UNSAFE)
    for dataset in stored:
        assert dataset.landing_page == ""
        assert [(d.download_url, d.access_url) for d in dataset.distributions] == [
            ("", "https://good.example/api")
        ]
    assert unsafe_links(response.get_data(as_text=True)) == []


def test_unsafe_addresses_stored_are_never_links_on_dataset_pages_or_in_data_json(
    app, client, login_as
):
    login_as(make_admin())
    upload(client, json.dumps(hostile_catalog()).encode(), "hostile.json")
    event = make_event(organizer=make_organizer(), title="Hostile Data Jam")
    challenge = make_challenge(event, title="Follow no bad link")
    db.session.rollback()
    datasets = list(db.session.scalars(db.select(Dataset).order_by(Dataset.id)))
    for dataset in datasets:
        link_dataset(challenge, dataset)
    # Rows written before the rule, or by anything but the importer, carry them still.
    for dataset, bad in zip(datasets, UNSAFE * 2, strict=False):
        db.session.execute(
            db.update(Dataset)
            .where(Dataset.id == dataset.id)
            .values(landing_page=bad, license=bad, contact_email=bad)
        )
        db.session.execute(
            db.update(Distribution)
            .where(Distribution.dataset_id == dataset.id)
            .values(download_url=bad, access_url=bad)
        )
    db.session.commit()

    paths = [f"/datasets/{d.id}" for d in datasets] + [
        "/datasets",
        f"/datasets/publishers/{datasets[0].publisher_id}",
        f"/events/{event.slug}",
        f"/events/{event.slug}/challenges/{challenge.slug}",
        "/datasets/imports",
    ]
    responses = {path: client.get(path) for path in paths}
    exported = client.get("/datasets/data.json")

    assert {p: r.status_code for p, r in responses.items()} == dict.fromkeys(paths, 200)
    assert {
        p: unsafe_links(r.get_data(as_text=True)) for p, r in responses.items()
    } == dict.fromkeys(paths, [])
    shown = page(responses[f"/datasets/{datasets[0].id}"]).text
    assert UNSAFE[0] in shown  # the address is still there to read, as text
    catalog = exported.get_json()
    assert len(catalog["dataset"]) == len(datasets)
    bad = [
        (key, value)
        for key, value in data_json_addresses(catalog)
        if web_url(value) != value
        and not (key == "hasEmail" and mail_address(value.removeprefix("mailto:")))
    ]
    assert bad == []
    assert all("landingPage" not in entry for entry in catalog["dataset"])


def test_stored_addresses_are_links_only_when_web_on_every_page(app, login_as, mail):
    """Organizer-typed and participant-typed addresses stored before the rule (or written by
    anything but a form): every page every role can open links none of them."""
    world = build_world(app, mail)
    entry = open_judging(world, title="Entry with hostile links")
    bad = iter(UNSAFE * 3)
    db.session.execute(
        db.update(Event).where(Event.id == world.event_id).values(online_url=next(bad))
    )
    db.session.execute(
        db.update(Partner)
        .where(Partner.event_id == world.event_id)
        .values(url=next(bad), logo_url=next(bad))
    )
    db.session.execute(
        db.update(Submission).values(
            repository_url=next(bad), demo_url=next(bad), video_url=next(bad)
        )
    )
    db.session.execute(db.update(Dataset).values(landing_page=next(bad), license=next(bad)))
    db.session.execute(db.update(Distribution).values(download_url=next(bad)))
    db.session.commit()
    judge = login_as(world.user("judge"), on=app.test_client())
    score_page = judge.get(f"/events/{world.slug}/judging/{entry.id}")

    found = {}
    for role in ("registrant", "judge", "organizer"):
        for path, shown in html_pages(app, login_as, world, role):
            links = unsafe_links_in(shown)
            if links:
                found[f"{role} {path}"] = links

    assert score_page.status_code == 200
    assert "Entry with hostile links" in page(score_page).text
    assert unsafe_links(score_page.get_data(as_text=True)) == []
    assert found == {}
    # The exports follow the rule too: the projects CSV and the feed that shows the link.
    organizer = login_as(world.user("organizer"), on=app.test_client())
    exported = organizer.get(f"/events/{world.slug}/manage/projects.csv")
    token = make_calendar_feed(world.user("registrant"))
    feed = app.test_client().get(f"/calendar/{token}.ics").get_data(as_text=True)
    assert exported.status_code == 200 and "Entry with hostile links" in exported.text
    assert "BEGIN:VEVENT" in feed
    written = exported.text + feed.replace("\r\n ", "")
    assert [address for address in UNSAFE if address.strip() in written] == []


def unsafe_links_in(shown: Page) -> list[str]:
    return [
        f"<{node.tag} {name}={node.attrs[name]!r}>"
        for node in shown.root.walk()
        for name in LINK_ATTRIBUTES
        if name in node.attrs and not _safe(node.attrs[name])
    ]


def test_typed_addresses_follow_the_same_rule(app, client, login_as):
    organizer = make_organizer()
    event = make_event(organizer=organizer)
    login_as(organizer)
    message = ["Enter a web address starting with https:// or http://."]

    for bad in UNSAFE + ["https://", "https://exa mple.org"]:
        response = client.post(
            f"/events/{event.slug}/partners",
            data={"name": "Civic Partner", "url": bad, "logo_url": bad},
        )

        assert field_error(response, "url") == message, bad
        assert field_error(response, "logo_url") == message, bad
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(Partner)) == 0


# The import address is fetched, not linked: its stricter rule (https only, public hosts) is
# the fetcher's, tested in test_dataset_import_input.py.
FETCHED = {("UrlImportForm", "url")}


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_every_address_field_of_every_form_uses_the_one_rule(app):
    """A field for an address (its name says url) is checked by forms.http_url, which is
    safetext.web_url: what a person may type is what a page may link."""
    fields = [
        (cls.__name__, name, unbound)
        for cls in every_form_class()
        for name in dir(cls)
        if isinstance(unbound := getattr(cls, name, None), UnboundField) and "url" in name
    ]
    unchecked = [
        f"{cls}.{name}"
        for cls, name, unbound in fields
        if (cls, name) not in FETCHED
        and http_url not in (unbound.kwargs.get("validators") or (unbound.args[1:2] or [[]])[0])
    ]

    assert len(fields) >= 6  # online link, partner site and logo, three project links
    assert unchecked == []
