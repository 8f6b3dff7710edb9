"""/datasets/data.json: the datasets our published challenges feature, as a DCAT-US 1.1 catalog.

Each dataset is written from what we stored, so the output follows the 1.1 schema whatever
the source was (1.1, 3.0, CKAN, Socrata, DKAN). Where the schema requires a field the source
did not give, a stand-in is used, chosen so nothing false is claimed:
  keyword       the dataset's themes, else its publisher's name
  bureauCode    the source's codes, else "000:00" (no federal bureau: the publisher is not
  programCode   a federal agency or did not say), else "000:000"
  contactPoint  the source's contact, else this site's sender address
  accessLevel   "public" when the source did not say (every importer reads public portals)
Addresses are given only when they are web addresses (``safetext.web_url``), as on the pages.
"""

from __future__ import annotations

import re
from email.utils import parseaddr

from flask import current_app, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from eventhub.challenges.models import Challenge, ChallengeDataset
from eventhub.datasets.models import Dataset, Publisher
from eventhub.enums import EventStatus
from eventhub.events.models import Event
from eventhub.extensions import db
from eventhub.safetext import mail_address, web_url

SCHEMA = "https://project-open-data.cio.gov/v1.1/schema"
_MEDIA_TYPE = re.compile(r"^[-\w]+/[-\w]+(\.[-\w]+)*([+][-\w]+)?$")
_BUREAU = re.compile(r"^\d{3}:\d{2}$")
_PROGRAM = re.compile(r"^\d{3}:\d{3}$")
_ISO_DATE = re.compile(
    r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$"
)
_DURATION = re.compile(r"^(R\d*/)?P(\d+(\.\d+)?[YMWD])*(T(\d+(\.\d+)?[HMS])+)?$")


def featured_datasets() -> list[Dataset]:
    published = (
        select(ChallengeDataset.dataset_id)
        .join(Challenge, Challenge.id == ChallengeDataset.challenge_id)
        .join(Event, Event.id == Challenge.event_id)
        .where(Event.status == EventStatus.PUBLISHED.value)
    )
    return list(
        db.session.scalars(
            select(Dataset)
            .where(Dataset.id.in_(published))
            .options(
                joinedload(Dataset.publisher).joinedload(Publisher.parent),
                selectinload(Dataset.distributions),
            )
            .order_by(Dataset.id)
        ).unique()
    )


def catalog() -> dict:
    return {
        "@context": f"{SCHEMA}/catalog.jsonld",
        "@id": url_for("datasets.catalog_json", _external=True),
        "@type": "dcat:Catalog",
        "conformsTo": SCHEMA,
        "describedBy": f"{SCHEMA}/catalog.json",
        "dataset": [dataset_entry(d) for d in featured_datasets()],
    }


def _organization(publisher: Publisher | None) -> dict:
    if publisher is None:
        return {"@type": "org:Organization", "name": "Unknown publisher"}
    chain = publisher.chain
    node: dict | None = None
    for org in reversed(chain):
        entry = {"@type": "org:Organization", "name": org.name}
        if node is not None:
            entry["subOrganizationOf"] = node
        node = entry
    return node


def _contact(dataset: Dataset) -> dict:
    email = mail_address(dataset.contact_email) or ""
    name = dataset.contact_name.strip()
    if not email:
        email = parseaddr(current_app.config["MAIL_SENDER"])[1]
        name = name or "EventHub catalog"
    publisher = dataset.publisher.name if dataset.publisher else ""
    return {
        "@type": "vcard:Contact",
        "fn": name or publisher or "Data contact",
        "hasEmail": f"mailto:{email}",
    }


def _codes(dataset: Dataset, key: str, pattern: re.Pattern, stand_in: str) -> list[str]:
    given = dataset.raw.get(key) if isinstance(dataset.raw, dict) else None
    if isinstance(given, list):
        codes = list(dict.fromkeys(c for c in given if isinstance(c, str) and pattern.match(c)))
        if codes:
            return codes
    return [stand_in]


def _modified(dataset: Dataset) -> str:
    raw = dataset.modified_raw.strip()
    if raw and (_ISO_DATE.match(raw) or _DURATION.match(raw)):
        return raw
    when = dataset.modified or dataset.fetched_at
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _distribution(dist) -> dict:
    entry: dict = {"@type": "dcat:Distribution"}
    download, access = web_url(dist.download_url), web_url(dist.access_url)
    if download and _MEDIA_TYPE.match(dist.media_type):
        entry["downloadURL"] = download
        entry["mediaType"] = dist.media_type
    elif download:
        entry["accessURL"] = download  # no usable media type: offered as a link
    if access and "accessURL" not in entry:
        entry["accessURL"] = access
    for key, value in (
        ("format", dist.format),
        ("title", dist.title),
        ("description", dist.description),
    ):
        if value.strip():
            entry[key] = value.strip()
    return entry


def dataset_entry(dataset: Dataset) -> dict:
    publisher = dataset.publisher
    keywords = [k for k in (dataset.keywords or dataset.themes) if k.strip()]
    entry = {
        "@type": "dcat:Dataset",
        "identifier": dataset.identifier,
        "title": dataset.title,
        "description": dataset.description.strip() or dataset.title,
        "keyword": keywords or [publisher.name if publisher else "open data"],
        "modified": _modified(dataset),
        "publisher": _organization(publisher),
        "contactPoint": _contact(dataset),
        "accessLevel": dataset.access_level or "public",
        "bureauCode": _codes(dataset, "bureauCode", _BUREAU, "000:00"),
        "programCode": _codes(dataset, "programCode", _PROGRAM, "000:000"),
    }
    if license := web_url(dataset.license):
        entry["license"] = license
    if landing_page := web_url(dataset.landing_page):
        entry["landingPage"] = landing_page
    if dataset.themes:
        entry["theme"] = list(dataset.themes)
    distributions = [_distribution(d) for d in dataset.distributions]
    distributions = [d for d in distributions if len(d) > 1]
    if distributions:
        entry["distribution"] = distributions
    return entry
