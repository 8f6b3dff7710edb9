"""Single datasets from data portals (CKAN, Socrata, DKAN) mapped onto ``DatasetRecord``.

A user pastes the address of one dataset; the fetcher hands us the body and that address.
Portals leave out what the address already says (a Socrata view has no domain, a DKAN item
often no landing page), so the request ``url`` is part of the input, not a convenience.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import quote, urlsplit

from eventhub.datasets import dcat
from eventhub.datasets.records import (
    DatasetRecord,
    DistributionRecord,
    NotACatalog,
    Parsed,
    Rejection,
)

SOCRATA_ID = re.compile(r"[a-z0-9]{4}-[a-z0-9]{4}")
# DKAN 7's CKAN-compatible API writes its site-local display format, without a zone.
_DKAN7_WHEN = re.compile(r"(?:[A-Za-z]{3}, )?(\d{1,2})/(\d{1,2})/(\d{4}) - (\d{1,2}):(\d{2})")
_DKAN_PLACEHOLDER_HOST = "h-o.st"
_DCAT_DATASET_TYPES = ("dcat:Dataset", "Dataset")


# -- CKAN package_show ------------------------------------------------------------------------


def is_ckan_envelope(doc: dict) -> bool:
    return ("result" in doc or "error" in doc) and ("success" in doc or "help" in doc)


def parse_ckan(doc: dict, *, url: str | None = None) -> Parsed:
    """``result`` is a package (CKAN), a list of packages (healthdata.gov's DKAN 7) or a
    ``package_search`` page; each package becomes one record."""
    if doc.get("success") is False:
        raise NotACatalog(
            f"The CKAN portal answered with an error: {_ckan_error(doc.get('error'))}."
        )
    result = doc.get("result")
    if isinstance(result, dict) and isinstance(result.get("results"), list):
        packages = result["results"]
    elif isinstance(result, dict):
        packages = [result]
    else:
        packages = result if isinstance(result, list) else []
    if not any(isinstance(package, dict) for package in packages):
        if not packages:
            found = "nothing"
        elif all(isinstance(package, str) for package in packages):
            found = "a list of names"  # package_list
        else:
            found = "a list of values"
        raise NotACatalog(
            f"The CKAN answer holds {found}, not a dataset. Use the address of one dataset, "
            "such as …/api/3/action/package_show?id=<name>."
        )
    parsed = Parsed(kind="CKAN")
    many = len(packages) > 1
    for position, package in enumerate(packages, start=1):
        place = position if many else None
        if isinstance(package, dict):
            _collect(parsed, _ckan_record(package, url=url, position=place))
        else:
            reason = f"each dataset must be an object, not {dcat.describe(package)}"
            parsed.rejections.append(Rejection(reason=reason, position=place))
    return parsed


def _ckan_record(package: dict, *, url: str | None, position: int | None):
    name = dcat.text(package.get("name"))
    identifier = dcat.text(package.get("id")) or name
    title = dcat.text(package.get("title")) or name
    if identifier is None or title is None:
        return Rejection(
            reason="missing an id or name" if identifier is None else "missing a title",
            identifier=identifier,
            title=title,
            position=position,
        )
    extras = _ckan_extras(package.get("extras"))
    organization = package.get("organization")
    groups = [group for group in _list(package.get("groups")) if isinstance(group, dict)]
    publisher = _ckan_title(organization) or next(filter(None, map(_ckan_title, groups)), None)
    themes = [_ckan_title(group) for group in groups] if _ckan_title(organization) else []
    contact_name = dcat.text(package.get("maintainer")) or dcat.text(package.get("author"))
    contact_email = (
        dcat.email(package.get("maintainer_email"))
        or dcat.email(package.get("author_email"))
        or dcat.email(package.get("contact-email"))
        or dcat.email(extras.get("contact-email"))
    )
    modified = package.get("metadata_modified")
    return DatasetRecord(
        identifier=identifier,
        title=title,
        description=dcat.text(package.get("notes")) or "",
        keywords=dcat.unique(map(_ckan_tag, _list(package.get("tags")))),
        themes=dcat.unique([*themes, package.get("theme-primary")]),
        publisher=[publisher] if publisher else [],
        contact_name=contact_name,
        contact_email=contact_email,
        # healthdata.gov marks public datasets ``private: true``: only ``false`` is believed.
        access_level="public" if package.get("private") is False else None,
        license=_ckan_license(package),
        modified_raw=dcat.text(modified),
        modified=dcat.parse_when(modified) or _dkan7_when(modified),
        issued_raw=dcat.text(package.get("metadata_created")),
        landing_page=_ckan_landing_page(url, name or identifier) or _http(package.get("url")),
        distributions=[
            dist
            for resource in _list(package.get("resources"))
            if isinstance(resource, dict) and (dist := _ckan_resource(resource))
        ],
        raw=package,
    )


def _ckan_resource(resource: dict) -> DistributionRecord | None:
    """A resource with a media type or an upload is a file; the rest (WMS, web pages,
    APIs) are places to access the data, not downloads."""
    address = dcat.text(resource.get("url"))
    if address is None:
        return None
    media_type = dcat.text(resource.get("mimetype"))
    is_file = media_type is not None or resource.get("url_type") == "upload"
    return DistributionRecord(
        download_url=address if is_file else None,
        access_url=None if is_file else address,
        media_type=media_type,
        format=dcat.text(resource.get("format")),
        title=dcat.text(resource.get("name")),
        description=dcat.text(resource.get("description")),
    )


def _ckan_license(package: dict) -> str | None:
    title = dcat.text(package.get("license_title"))
    url = dcat.text(package.get("license_url")) or (title if _http(title) else None)
    return url or title or dcat.text(package.get("license_id"))


def _ckan_landing_page(url: str | None, name: str) -> str | None:
    """``https://host[/prefix]/dataset/<name>``, the prefix being wherever the API is mounted."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    path = parts.path
    cut = min((i for i in (path.find("/api/"), path.find("/dataset/")) if i >= 0), default=0)
    return f"{parts.scheme}://{parts.netloc}{path[:cut]}/dataset/{quote(name)}"


def _ckan_title(entry) -> str | None:
    if not isinstance(entry, dict):
        return None
    return dcat.text(entry.get("title")) or dcat.text(entry.get("display_name"))


def _ckan_tag(tag) -> str | None:
    if isinstance(tag, dict):
        return dcat.text(tag.get("display_name")) or dcat.text(tag.get("name"))
    return dcat.text(tag)


def _ckan_extras(extras) -> dict:
    if not isinstance(extras, list):
        return {}
    return {e.get("key"): e.get("value") for e in extras if isinstance(e, dict) and "key" in e}


def _ckan_error(error) -> str:
    if isinstance(error, dict):
        parts = [dcat.text(error.get("__type")), dcat.text(error.get("message"))]
        return ": ".join(part for part in parts if part) or "no reason given"
    return dcat.text(error) or "no reason given"


def _dkan7_when(value) -> datetime | None:
    """Read as UTC: the site's zone is not in the answer, so the time may be hours off."""
    match = _DKAN7_WHEN.fullmatch(dcat.text(value) or "")
    if not match:
        return None
    month, day, year, hour, minute = map(int, match.groups())
    try:
        return datetime(year, month, day, hour, minute, tzinfo=UTC)
    except ValueError:
        return None


# -- Socrata /api/views/<id>.json -------------------------------------------------------------


def is_socrata_view(doc: dict) -> bool:
    identifier = doc.get("id")
    return (
        isinstance(identifier, str)
        and SOCRATA_ID.fullmatch(identifier) is not None
        and "name" in doc
        and any(key in doc for key in ("viewType", "columns", "displayType"))
    )


def parse_socrata(doc: dict, *, url: str | None = None) -> Parsed:
    domain = urlsplit(url or "").netloc
    if not domain:
        raise NotACatalog(
            "A Socrata view does not say which portal it comes from: import it from its "
            "address, such as https://data.example.gov/api/views/abcd-1234.json."
        )
    parsed = Parsed(kind="Socrata")
    identifier, title = doc["id"], dcat.text(doc.get("name"))
    if title is None:
        parsed.rejections.append(Rejection(reason="missing a title", identifier=identifier))
        return parsed
    base = f"https://{domain}/api/views/{identifier}"
    # Only tables export rows; maps, files and links have no rows.csv.
    tabular = doc.get("viewType") in (None, "tabular")
    exports = [("csv", "text/csv"), ("json", "application/json")] if tabular else []
    changed = max(
        (doc[key] for key in ("rowsUpdatedAt", "viewLastModified") if _is_epoch(doc.get(key))),
        default=None,
    )
    issued = next((doc[k] for k in ("publicationDate", "createdAt") if _is_epoch(doc.get(k))), None)
    owner = doc.get("owner") if isinstance(doc.get("owner"), dict) else {}
    publisher = dcat.text(doc.get("attribution")) or dcat.text(owner.get("displayName"))
    parsed.records.append(
        DatasetRecord(
            identifier=identifier,
            title=title,
            description=dcat.text(doc.get("description")) or "",
            keywords=dcat.unique(_list(doc.get("tags"))),
            themes=dcat.unique([doc.get("category")]),
            publisher=[publisher] if publisher else [],
            access_level="public" if _socrata_is_public(doc) else None,
            license=_socrata_license(doc),
            modified_raw=None if changed is None else str(changed),
            modified=None if changed is None else datetime.fromtimestamp(changed, UTC),
            issued_raw=None if issued is None else str(issued),
            landing_page=f"https://{domain}/d/{identifier}",
            distributions=[
                DistributionRecord(
                    download_url=f"{base}/rows.{ext}?accessType=DOWNLOAD",
                    media_type=media_type,
                    format=ext.upper(),
                )
                for ext, media_type in exports
            ],
            raw=doc,
        )
    )
    return parsed


def _socrata_license(doc: dict) -> str | None:
    """The terms' address when given (as DCAT and CKAN licenses are), else the name."""
    terms = doc.get("license") if isinstance(doc.get("license"), dict) else {}
    return (
        _http(terms.get("termsLink"))
        or dcat.text(terms.get("name"))
        or dcat.text(doc.get("licenseId"))
    )


def _socrata_is_public(doc: dict) -> bool:
    return any(
        isinstance(grant, dict) and "public" in _list(grant.get("flags"))
        for grant in _list(doc.get("grants"))
    )


def _is_epoch(value) -> bool:
    """Seconds since 1970 up to the year 9999: beyond that ``fromtimestamp`` cannot go."""
    number = isinstance(value, int | float) and not isinstance(value, bool)
    return number and 0 < value < 253402300800


# -- DKAN metastore ---------------------------------------------------------------------------


def is_dkan_item(doc: dict) -> bool:
    named = "identifier" in doc or "title" in doc
    dcat_ish = (
        "accessLevel" in doc
        or "distribution" in doc
        or doc.get("@type") in _DCAT_DATASET_TYPES
        or ("keyword" in doc and "publisher" in doc)
    )
    return named and dcat_ish and "dataset" not in doc


def is_dkan_list(doc: list) -> bool:
    return any(isinstance(item, dict) and is_dkan_item(item) for item in doc)


def parse_dkan_item(doc: dict, *, url: str | None = None) -> Parsed:
    parsed = Parsed(kind="DKAN")
    _collect(parsed, _dkan_record(doc, url=url, position=None))
    return parsed


def parse_dkan_list(doc: list, *, url: str | None = None) -> Parsed:
    parsed = Parsed(kind="DKAN")
    for position, item in enumerate(doc, start=1):
        if isinstance(item, dict):
            _collect(parsed, _dkan_record(item, url=url, position=position))
        else:
            reason = f"each dataset must be an object, not {dcat.describe(item)}"
            parsed.rejections.append(Rejection(reason=reason, position=position))
    return parsed


def _dkan_record(item: dict, *, url: str | None, position: int | None):
    result = dcat.read_dataset(_dkan_unwrap(item, url), position=position, raw=item)
    if isinstance(result, DatasetRecord) and result.landing_page is None:
        result.landing_page = _dkan_landing_page(url, result.identifier)
    return result


def _dkan_unwrap(item: dict, url: str | None) -> dict:
    """Undo ``?show-reference-ids``: entries come wrapped as ``{"identifier", "data"}``."""
    out = dict(item)
    for key in ("keyword", "theme", "distribution"):
        if isinstance(out.get(key), list):
            out[key] = [_unwrapped(entry) for entry in out[key]]
    for key in ("publisher", "contactPoint"):
        if key in out:
            out[key] = _unwrapped(out[key])
    if isinstance(out.get("distribution"), list):
        out["distribution"] = [_dkan_distribution(entry, url) for entry in out["distribution"]]
    return out


def _unwrapped(value):
    if isinstance(value, dict) and "data" in value and set(value) <= {"identifier", "data"}:
        return value["data"]
    return value


def _dkan_distribution(entry, url: str | None):
    """A real ``downloadURL`` wins; DKAN's file reference only fills gaps, and its
    placeholder host is swapped for the host the item was fetched from."""
    if not isinstance(entry, dict):
        return entry
    refs = entry.get("%Ref:downloadURL")
    ref = _unwrapped(refs[0]) if isinstance(refs, list) and refs else None
    if not isinstance(ref, dict):
        return entry
    entry = dict(entry)
    if not dcat.text(entry.get("downloadURL")):
        entry["downloadURL"] = _real_host(ref.get("filePath"), url)
    if not dcat.text(entry.get("mediaType")):
        entry["mediaType"] = ref.get("mimeType")
    return entry


def _real_host(address, url: str | None) -> str | None:
    address = dcat.text(address)
    if address is None:
        return None
    parts = urlsplit(address)
    if parts.netloc != _DKAN_PLACEHOLDER_HOST:
        return address
    source = urlsplit(url or "")
    if not source.netloc:
        return None
    return parts._replace(scheme=source.scheme or "https", netloc=source.netloc).geturl()


def _dkan_landing_page(url: str | None, identifier: str) -> str | None:
    """DKAN 2 shows an item at ``/dataset/<id>`` under wherever its API is mounted."""
    parts = urlsplit(url or "")
    cut = parts.path.find("/api/1/")
    if parts.scheme not in ("http", "https") or not parts.netloc or cut < 0:
        return None
    return f"{parts.scheme}://{parts.netloc}{parts.path[:cut]}/dataset/{quote(identifier)}"


# -- shared -----------------------------------------------------------------------------------


def _collect(parsed: Parsed, result: DatasetRecord | Rejection) -> None:
    if isinstance(result, Rejection):
        parsed.rejections.append(result)
    else:
        parsed.records.append(result)


def _http(value) -> str | None:
    value = dcat.text(value)
    return value if value and value.lower().startswith(("http://", "https://")) else None


def _list(value) -> list:
    return value if isinstance(value, list) else []
