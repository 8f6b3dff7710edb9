"""The one door into the importers: bytes from a file or a fetch in, ``Parsed`` out.

What a person pastes is often not what they think it is (a portal's web page, an error
page, a list of dataset names), so a document that cannot be imported says what it turned
out to be instead of failing with a parser's traceback. Dispatch is by the document's shape,
not by its address: the same data.json is served from many kinds of host.
"""

from __future__ import annotations

import codecs
import json

from eventhub.datasets import dcat, portals
from eventhub.datasets.records import NotACatalog, Parsed

_MAX_KEYS_NAMED = 8


def parse_bytes(body: bytes, *, url: str | None = None, content_type: str | None = None) -> Parsed:
    """Decode, refuse markup, parse JSON and hand the document to ``parse_document``.

    ``content_type`` may name a charset, used only when the body is not UTF-8. A body
    labelled text/html that is in fact JSON is read as JSON: portals mislabel their APIs.
    """
    it = "The response" if url else "The file"  # fetched from an address, or uploaded
    text = _decode(body, content_type, it)
    start = text.lstrip()[:1024].lower()
    if not start:
        raise NotACatalog(f"{it} is empty: there is no catalog in it.")
    if start.startswith("<"):
        if "<html" in start or start.startswith("<!doctype html"):
            raise _web_page(url)
        raise NotACatalog(f"{it} is XML, not a JSON catalog. {_advice(url)}")
    if _is_html(content_type) and not start.startswith(("{", "[")):
        raise _web_page(url)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotACatalog(
            f"{it} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."
        ) from None
    except RecursionError:
        raise NotACatalog(f"{it} nests JSON too deeply to be a catalog.") from None
    except ValueError:  # Python reads integers of at most 4,300 digits
        raise NotACatalog(f"{it} holds a number too long to be read.") from None
    return parse_document(doc, url=url)


def _advice(url: str | None) -> str:
    if url:
        return "Use the catalog's data.json address or the dataset's JSON API address."
    return "Upload the catalog's data.json, or one dataset's JSON from its portal's API."


def parse_document(doc, *, url: str | None = None) -> Parsed:
    """Dispatch already-decoded JSON to the importer its shape belongs to.

    ``url`` is the address the document came from: Socrata views need it for their domain,
    CKAN and DKAN items use it to build a landing page.
    """
    if isinstance(doc, dict):
        if portals.is_ckan_envelope(doc):
            return portals.parse_ckan(doc, url=url)
        if portals.is_socrata_view(doc):
            return portals.parse_socrata(doc, url=url)
        if dcat.is_catalog(doc):
            return dcat.parse_catalog(doc)
        if portals.is_dkan_item(doc):
            return portals.parse_dkan_item(doc, url=url)
        if _claims_dcat(doc):
            return dcat.parse_catalog(doc)  # raises, naming the missing "dataset" list
    elif isinstance(doc, list) and portals.is_dkan_list(doc):
        return portals.parse_dkan_list(doc, url=url)
    raise NotACatalog(
        "This is not a DCAT-US catalog or a CKAN, Socrata or DKAN dataset: "
        f"it is {describe_document(doc)}."
    )


def describe_document(doc) -> str:
    """What a JSON document looks like, in words a person can check against the address."""
    if isinstance(doc, dict):
        if not doc:
            return "an empty JSON object"
        return f"a JSON object with keys {_name_some(list(doc))}"
    if isinstance(doc, list):
        if not doc:
            return "an empty JSON list"
        kinds = {dcat.describe(item) for item in doc}
        if kinds == {"an object"}:
            keys = list(dict.fromkeys(key for item in doc[:50] for key in item))
            return (
                f"a JSON list of objects with keys {_name_some(keys)}"
                if keys
                else ("a JSON list of empty objects")
            )
        if len(kinds) == 1:
            plural = {"a number": "numbers", "a string": "strings", "a list": "lists"}
            return f"a JSON list of {plural.get(kinds.pop(), 'true/false values or nulls')}"
        return "a JSON list of mixed values"
    if doc is None:
        return "JSON null"
    return f"{dcat.describe(doc)} in JSON"


def _name_some(keys: list[str]) -> str:
    shown = ", ".join(str(key) for key in keys[:_MAX_KEYS_NAMED])
    more = len(keys) - _MAX_KEYS_NAMED
    return f"{shown} and {more} more" if more > 0 else shown


def _claims_dcat(doc: dict) -> bool:
    conforms = doc.get("conformsTo")
    marker = json.dumps(conforms) if isinstance(conforms, dict) else str(conforms or "")
    return "project-open-data" in marker or "dcat-us" in marker.lower()


def _decode(body: bytes, content_type: str | None, it: str) -> str:
    """UTF-8 first, whatever the header says: JSON is UTF-8 by definition and servers often
    label it ISO-8859-1. A declared charset is the fallback for bodies that are not UTF-8."""
    if isinstance(body, str):
        return body
    body = bytes(body)
    encoding = json.detect_encoding(body)  # honours byte-order marks, UTF-16 and UTF-32
    try:
        return body.decode(encoding)
    except UnicodeDecodeError as exc:
        declared = _charset(content_type)
        if declared and encoding == "utf-8" and declared != "utf-8":
            return body.decode(declared, errors="replace")
        raise NotACatalog(
            f"{it} is not UTF-8 text (an undecodable byte at position {exc.start + 1}); "
            "a JSON catalog must be UTF-8."
        ) from None


def _charset(content_type: str | None) -> str | None:
    for param in (content_type or "").split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            try:
                return codecs.lookup(value.strip().strip('"')).name
            except LookupError:
                return None
    return None


def _is_html(content_type: str | None) -> bool:
    media = (content_type or "").split(";")[0].strip().lower()
    return media in ("text/html", "application/xhtml+xml")


def _web_page(url: str | None) -> NotACatalog:
    if url:
        return NotACatalog(
            "The address returned a web page (HTML), not a JSON catalog. Use the catalog's "
            "data.json address or the dataset's JSON API address, not the page people read."
        )
    return NotACatalog(
        "The file is a web page (HTML), not a JSON catalog. Upload the catalog's data.json, "
        "not a page saved from a browser."
    )
