"""DCAT-US 1.1 and 3.0 catalogs (``data.json``) read into ``DatasetRecord``s.

Real catalogs bend the schema: FDA's 2015 file puts accrual periods ("R/P1D") in
``modified`` and has a distribution with no address, CMS's has distributions that are only
APIs, 3.0 nests catalogs and turns strings into objects. The rule is to keep every record
that can be stored and to reject, with a reason a person can fix, only what cannot: a record
without a title or identifier, or fields whose type makes their meaning a guess (a keyword
string that may or may not be a comma list, a publisher that is only a string).

The small readers at the top are shared with ``portals``, which maps other shapes onto the
same fields.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from eventhub.datasets.records import (
    DatasetRecord,
    DistributionRecord,
    NotACatalog,
    Parsed,
    Rejection,
)

KIND_11 = "DCAT-US 1.1"
KIND_30 = "DCAT-US 3.0"

_MAX_DEPTH = 12  # publisher chains and nested catalogs: deeper than any real one, finite on cycles
_YEAR = re.compile(r"\d{4}")
_YEAR_MONTH = re.compile(r"(\d{4})-(\d{2})")
_ACCESS_WORDS = {
    "public": "public",
    "restrictedpublic": "restricted public",
    "restricted": "restricted public",
    "nonpublic": "non-public",
    "private": "non-public",
}  # values are exactly records.ACCESS_LEVELS


# -- shared readers ---------------------------------------------------------------------------


def describe(value) -> str:
    """Name a JSON value's type the way a rejection reason needs it ("not a string")."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a true/false value"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, dict):
        return "an object"
    return "a list"


def text(value) -> str | None:
    """A non-blank string, stripped; anything else is treated as absent."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return None


def _first_text(value, keys: tuple[str, ...], again) -> str | None:
    """Text given directly, under the first of ``keys`` of an object, or in a list of either."""
    if isinstance(value, dict):
        return next((found for key in keys if (found := text(value.get(key)))), None)
    if isinstance(value, list):
        flat = (item for item in value if not isinstance(item, list))  # bounded recursion
        return next((found for item in flat if (found := again(item))), None)
    return text(value)


def label(value) -> str | None:
    """Text from a string or from the objects 3.0 uses in its place (Concept, Document...)."""
    return _first_text(value, ("prefLabel", "title", "name", "notation", "@id"), label)


def link(value) -> str | None:
    """A URL given directly, in a list, or inside a 3.0 Document object."""
    return _first_text(value, ("accessURL", "downloadURL", "url", "@id"), link)


def unique(values) -> list[str]:
    """Trimmed, non-blank, first spelling kept when the same word repeats in another case."""
    seen: set[str] = set()
    out = []
    for value in values:
        value = text(value)
        if value and value.casefold() not in seen:
            seen.add(value.casefold())
            out.append(value)
    return out


def parse_when(value) -> datetime | None:
    """ISO 8601 date or date-time as UTC. Intervals, durations and repeats are not a moment.

    A date without a zone is taken as UTC: catalogs publish dates, not local wall times, and
    CKAN's naive timestamps are UTC. YYYY and YYYY-MM (allowed by 3.0) mean their first day.
    """
    value = text(value)
    if value is None or "/" in value or value[0] in "PR":
        return None
    if _YEAR.fullmatch(value):
        return datetime(int(value), 1, 1, tzinfo=UTC)
    if match := _YEAR_MONTH.fullmatch(value):
        year, month = int(match[1]), int(match[2])
        return datetime(year, month, 1, tzinfo=UTC) if 1 <= month <= 12 else None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def access_level(value) -> str | None:
    """One of ACCESS_LEVELS from the spellings and vocabulary URIs seen in the wild."""
    word = text(value)
    if word is None:
        return None
    word = re.sub(r"[^a-z]", "", word.rsplit("/", 1)[-1].lower())
    return _ACCESS_WORDS.get(word)


def publisher_chain(value) -> list[str]:
    """The publisher and the organizations above it, nearest first."""
    names: list[str] = []
    node = value
    while isinstance(node, dict) and len(names) < _MAX_DEPTH:
        name = text(node.get("name")) or label(node.get("prefLabel")) or text(node.get("title"))
        if name and name not in names:
            names.append(name)
        node = node.get("subOrganizationOf")
        if isinstance(node, list):
            node = node[0] if node else None
    return names


def email(value) -> str | None:
    address = text(value[0] if isinstance(value, list) and value else value)
    if address and address.lower().startswith("mailto:"):
        address = address[len("mailto:") :].strip()
    return address or None


def contact(value) -> tuple[str | None, str | None]:
    """Name and e-mail of the first usable contact; 3.0 allows a list of them."""
    for candidate in value if isinstance(value, list) else [value]:
        if isinstance(candidate, dict):
            name, address = text(candidate.get("fn")), email(candidate.get("hasEmail"))
            if name or address:
                return name, address
    return None, None


# -- one dataset ------------------------------------------------------------------------------


def read_dataset(
    item: dict, *, version: str = KIND_11, position: int | None = None, raw: dict | None = None
) -> DatasetRecord | Rejection:
    """A record, or the reasons it cannot be stored; ``raw`` defaults to ``item`` itself."""
    problems: list[str] = []
    identifier = _identifier(item, version)
    title = item.get("title")
    if identifier is None:
        problems.append("missing an identifier")
    if title is None or (isinstance(title, str) and not title.strip()):
        problems.append("missing a title")
    elif not isinstance(title, str):
        problems.append(f"title must be text, not {describe(title)}")
    keywords, problem = _keywords(item.get("keyword"))
    if problem:
        problems.append(problem)
    publisher = item.get("publisher")
    if publisher is not None and not isinstance(publisher, dict):
        problems.append(f"publisher must be an object with a name, not {describe(publisher)}")
    if problems:
        return Rejection(
            reason="; ".join(problems),
            identifier=identifier,
            title=text(title),
            position=position,
        )
    name, address = contact(item.get("contactPoint"))
    modified = item.get("modified")
    return DatasetRecord(
        identifier=identifier,
        title=title.strip(),
        description=text(item.get("description")) or "",
        keywords=keywords,
        themes=_themes(item.get("theme")),
        publisher=publisher_chain(publisher),
        contact_name=name,
        contact_email=address,
        access_level=access_level(item.get("accessLevel"))
        or access_level(item.get("accessRights")),
        license=link(item.get("license")),
        modified_raw=_raw_text(modified),
        modified=parse_when(modified),
        issued_raw=_raw_text(item.get("issued")),
        landing_page=link(item.get("landingPage")),
        distributions=distributions(item.get("distribution")),
        raw=item if raw is None else raw,
    )


def distributions(value) -> list[DistributionRecord]:
    """Every distribution with an address; one without any gives a reader nothing to follow."""
    if isinstance(value, dict):
        value = [value]
    out = []
    for entry in value if isinstance(value, list) else []:
        if not isinstance(entry, dict):
            continue
        record = DistributionRecord(
            download_url=link(entry.get("downloadURL")),
            access_url=link(entry.get("accessURL")) or _service_url(entry.get("accessService")),
            media_type=label(entry.get("mediaType")),
            format=label(entry.get("format")),
            title=text(entry.get("title")),
            description=text(entry.get("description")),
        )
        if record.url:
            out.append(record)
    return out


def _identifier(item: dict, version: str) -> str | None:
    """3.0 may give an Identifier object: its ``notation`` is the identifier the publisher
    assigned, so it wins over the object's ``@id``; a 3.0 dataset with no identifier but an
    ``@id`` is still uniquely named by that IRI."""
    value = item.get("identifier")
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = text(value.get("notation")) or text(value.get("@id"))
    elif isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    found = text(value)
    if found is None and version == KIND_30:
        found = text(item.get("@id"))
    return found


def _keywords(value) -> tuple[list[str], str | None]:
    if value is None:
        return [], None
    if not isinstance(value, list):
        return [], f"keyword must be a list of strings, not {describe(value)}"
    odd = next((entry for entry in value if isinstance(entry, dict | list)), None)
    if odd is not None:
        return [], f"keyword must be a list of strings, not a list holding {describe(odd)}"
    words = [
        entry if isinstance(entry, str) else str(entry) for entry in value if entry is not None
    ]
    return unique(words), None


def _themes(value) -> list[str]:
    if not isinstance(value, list):
        value = [value]
    return unique(label(entry) for entry in value)


def _service_url(value) -> str | None:
    services = value if isinstance(value, list) else [value]
    for service in services:
        if isinstance(service, dict) and (found := link(service.get("endpointURL"))):
            return found
    return None


def _raw_text(value) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    return value if isinstance(value, str) else str(value)


# -- the catalog ------------------------------------------------------------------------------


def is_catalog(doc: dict) -> bool:
    kind = doc.get("@type")
    return "dataset" in doc or kind in ("dcat:Catalog", "Catalog") or _nested(doc) != []


def catalog_version(doc: dict) -> str:
    conforms = doc.get("conformsTo")
    if isinstance(conforms, dict):
        return KIND_30
    marker = " ".join(str(doc.get(key) or "") for key in ("conformsTo", "@context", "describedBy"))
    if "v1.1" in marker:
        return KIND_11
    if re.search(r"dcat-us/v?3|3\.0", marker) or _nested(doc) or doc.get("@type") == "Catalog":
        return KIND_30
    return KIND_11


def parse_catalog(doc: dict) -> Parsed:
    """All datasets of a catalog and, in 3.0, of the catalogs nested in it."""
    datasets = doc.get("dataset")
    nested = _nested(doc)
    if datasets is None and not nested:
        raise NotACatalog(
            'This looks like a DCAT-US catalog but has no "dataset" list, '
            "so there is nothing to import."
        )
    if datasets is not None and not isinstance(datasets, list):
        raise NotACatalog(
            f'The catalog\'s "dataset" must be a list of datasets, but it is {describe(datasets)}.'
        )
    version = catalog_version(doc)
    parsed = Parsed(kind=version, title=text(doc.get("title")))
    _read_catalog(doc, parsed, version, where=None, depth=0)
    return parsed


def _read_catalog(doc: dict, parsed: Parsed, version: str, *, where: str | None, depth: int):
    datasets = doc.get("dataset")
    if datasets is not None and not isinstance(datasets, list):
        parsed.rejections.append(
            Rejection(reason=f"{where}: dataset must be a list, not {describe(datasets)}")
        )
        datasets = None
    for position, item in enumerate(datasets or [], start=1):
        if isinstance(item, dict):
            result = read_dataset(item, version=version, position=position)
        else:
            result = Rejection(
                reason=f"each dataset must be an object, not {describe(item)}", position=position
            )
        if isinstance(result, Rejection):
            if where:
                result = Rejection(
                    reason=f"{where}: {result.reason}",
                    identifier=result.identifier,
                    title=result.title,
                    position=result.position,
                )
            parsed.rejections.append(result)
        else:
            parsed.records.append(result)
    if depth < _MAX_DEPTH:
        for place, child in enumerate(_nested(doc), start=1):
            name = text(child.get("title")) or f"number {place}"
            inner = f"nested catalog “{name}”"
            _read_catalog(
                child,
                parsed,
                version,
                where=f"{where}, {inner}" if where else inner,
                depth=depth + 1,
            )


def _nested(doc: dict) -> list[dict]:
    """Catalogs under ``catalog`` and ``hasPart`` that hold datasets or catalogs of their own.

    ``service`` entries are DataServices, not datasets, and are never read.
    """
    found = []
    for key in ("catalog", "hasPart"):
        value = doc.get(key)
        for entry in value if isinstance(value, list) else [value]:
            if isinstance(entry, dict) and any(
                k in entry for k in ("dataset", "catalog", "hasPart")
            ):
                found.append(entry)
    return found
