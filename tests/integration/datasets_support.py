"""What the dataset tests share: a stand-in portal on 127.0.0.1 and the pages read as a person.

The portal serves the real fixtures under the paths the real services use (CKAN's
``package_show``, Socrata's ``/api/views``, DKAN's metastore), so an import from it goes
through the same fetcher, parser and pages as one from the internet. Only its origin is
exempt from the https and public-address rules (``IMPORT_TEST_ORIGIN``).
"""

from __future__ import annotations

import io
import json
import re
from urllib.parse import parse_qs

from eventhub.datasets.models import Dataset
from eventhub.extensions import db
from tests.integration.pages import page
from tests.support.fixtures import CATALOGS, FIXTURES, REMOTE
from tests.support.httpserver import LocalHTTPServer, Reply, Request, content

CKAN_PATH = "/api/3/action/package_show"
CKAN_FLOOD = "flood-map-for-planning-rivers-and-sea-flood-zone-2"
CKAN_COVID = "covid-19-reported-patient-impact-and-hospital-capacity-state-timeseries"
SOCRATA_PATH = "/api/views/3k2p-39jp.json"
COVID_TITLE = "COVID-19 Reported Patient Impact and Hospital Capacity by State Timeseries"
DKAN_ID = "4eaa5ebe-62f7-402e-a407-963cd380688b"
DKAN_PATH = f"/api/1/metastore/schemas/dataset/items/{DKAN_ID}"

_CKAN_FILES = {
    CKAN_FLOOD: f"ckan-package_show-data.gov.uk-{CKAN_FLOOD}.json",
    CKAN_COVID: f"ckan-api-package_show-healthdata.gov-dkan7-{CKAN_COVID}.json",
}


def _package_show(request: Request) -> Reply:
    """CKAN answers by ``id``; an unknown one gets CKAN's own error envelope and a 404."""
    wanted = parse_qs(request.query).get("id", [""])[0]
    name = _CKAN_FILES.get(wanted)
    if name is None:
        error = {"help": "", "success": False, "error": {"__type": "Not Found Error"}}
        return Reply(404, json.dumps(error).encode(), {"Content-Type": "application/json"})
    return content((REMOTE / name).read_bytes())


def start_portal() -> LocalHTTPServer:
    server = LocalHTTPServer(root=FIXTURES).start()
    server.route(CKAN_PATH, _package_show)
    server.route(
        SOCRATA_PATH,
        content((REMOTE / "socrata-view-data.seattle.gov-3k2p-39jp.json").read_bytes()),
    )
    server.route(
        DKAN_PATH,
        content((REMOTE / f"dkan-metastore-data.medicaid.gov-{DKAN_ID}.json").read_bytes()),
    )
    return server


def catalog_bytes(name: str) -> bytes:
    return (CATALOGS / name).read_bytes()


def upload(client, body: bytes, filename: str = "data.json", catalog: str = ""):
    """The "From a file" form, sent as a browser sends it; follows to the report."""
    return client.post(
        "/datasets/import",
        data={"via": "file", "file": (io.BytesIO(body), filename), "catalog": catalog},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def import_url(client, url: str):
    """The "From an address" form; follows to the report."""
    return client.post("/datasets/import", data={"via": "url", "url": url}, follow_redirects=True)


def report(response) -> str:
    """The outcome the import report announces: the counts, or why nothing was imported."""
    alerts = [n for n in page(response).all("div") if "usa-alert" in n.attrs.get("class", "")]
    assert alerts, "no import outcome on the page"
    return alerts[0].text


def dataset_id(title: str) -> int:
    db.session.rollback()
    found = db.session.scalars(db.select(Dataset.id).filter_by(title=title)).all()
    assert len(found) == 1, f"{len(found)} datasets titled {title!r}"
    return found[0]


def shown(node) -> str:
    """What a sighted reader sees of ``node``: line breaks as spaces, screen-reader-only text
    left out."""
    parts = []
    for child in node.children:
        if isinstance(child, str):
            parts.append(child)
        elif child.tag == "br":
            parts.append(" ")
        elif "usa-sr-only" not in child.attrs.get("class", "").split():
            parts.append(shown(child))
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def facts(response) -> dict[str, str]:
    """The "About this dataset" panel as label -> text; publishers above are "part of" lines."""
    panel = page(response).all("dl", class_="eh-facts")[0]
    out, label = {}, None
    for node in panel.children:
        if getattr(node, "tag", None) == "dt":
            label = shown(node)
        elif getattr(node, "tag", None) == "dd":
            out[label] = shown(node)
    return out


def distributions(response) -> list[dict[str, str]]:
    """Each row of the distributions table: name, format, media type, link text and href."""
    rows = []
    for row in page(response).all("tr"):
        cells = [n for n in row.children if getattr(n, "tag", None) in ("th", "td")]
        if len(cells) != 4 or cells[0].tag != "th" or row.parent.tag == "thead":
            continue
        links = [n for n in cells[3].walk() if n.tag == "a"]
        rows.append(
            {
                "name": shown(cells[0]),
                "format": shown(cells[1]),
                "media_type": shown(cells[2]),
                "link": shown(links[0]) if links else "",
                "href": links[0].attrs["href"] if links else "",
            }
        )
    return rows


def keywords(response) -> list[str]:
    tags = page(response).all("ul", class_="eh-tags")
    return [n.text for n in tags[0].walk() if n.tag == "a"] if tags else []


def result_titles(response) -> list[str]:
    """The titles a search lists, in the order shown."""
    return [n.text for n in page(response).all("h2", class_="eh-result__title")]


def history_rows(client) -> list[list[str]]:
    """The import history table's rows, newest first, as the cells read."""
    table = page(client.get("/datasets/imports")).all("tbody")[0]
    return [
        [cell.text for cell in row.walk() if cell.tag == "td"]
        for row in table.walk()
        if row.tag == "tr"
    ]


def stored_count(model) -> int:
    db.session.rollback()
    return db.session.scalar(db.select(db.func.count()).select_from(model))
