"""What an imported record may bring into storage, whatever importer read it.

Catalogs are other people's files: a title may carry a NUL or a line break, a landing page
may be ``javascript:``. The import keeps the record and takes out what may not be stored
(the rules are ``eventhub.safetext``'s): control characters leave every text, the raw
record included; line breaks leave single-line fields; an address that is not a web address
is dropped, and a distribution left with no address is dropped with it. ``clean_record``
says what it changed, in words for the import report.
"""

from __future__ import annotations

from dataclasses import replace

from eventhub.datasets.records import DatasetRecord, DistributionRecord, Rejection
from eventhub.safetext import has_control, strip_control, web_url

_SINGLE_LINE = (
    "identifier",
    "title",
    "contact_name",
    "contact_email",
    "license",
    "modified_raw",
    "issued_raw",
)
_LISTS = ("keywords", "themes", "publisher")
_LABELS = {
    "identifier": "identifier",
    "title": "title",
    "description": "description",
    "contact_name": "contact",
    "contact_email": "contact",
    "license": "license",
    "modified_raw": "modified date",
    "issued_raw": "issued date",
    "keywords": "keywords",
    "themes": "themes",
    "publisher": "publisher",
    "distributions": "distributions",
    "raw": "original record",
}


def line(value: str | None) -> str | None:
    """A single-line text as it may be stored."""
    return None if value is None else strip_control(value, multiline=False)


def text(value: str | None) -> str | None:
    """A multi-line text as it may be stored."""
    return None if value is None else strip_control(value, multiline=True)


def raw(value):
    """A JSON value with control characters taken out of every string, keys included."""
    if isinstance(value, str):
        return text(value)
    if isinstance(value, list):
        return [raw(item) for item in value]
    if isinstance(value, dict):
        return {text(str(key)): raw(item) for key, item in value.items()}
    return value


def clean_record(record: DatasetRecord) -> list[str]:
    """Clean ``record`` in place; the changes made, one sentence each (none when clean)."""
    touched: list[str] = []

    def note(name: str) -> None:
        if _LABELS[name] not in touched:
            touched.append(_LABELS[name])

    for name in _SINGLE_LINE:
        value = getattr(record, name)
        if value is not None and has_control(value):
            cleaned = line(value).strip()
            setattr(record, name, cleaned or ("" if name in ("identifier", "title") else None))
            note(name)
    if has_control(record.description, multiline=True):
        record.description = text(record.description)
        note("description")
    for name in _LISTS:
        values = getattr(record, name)
        if any(has_control(v) for v in values):
            setattr(record, name, [c for v in values if (c := line(v).strip())])
            note(name)
    distributions = []
    for dist in record.distributions:
        cleaned = _distribution(dist)
        if cleaned != dist:
            note("distributions")
        distributions.append(cleaned)
    cleaned_raw = raw(record.raw)
    if cleaned_raw != record.raw:
        record.raw = cleaned_raw
        note("raw")

    changes = []
    if touched:
        changes.append(f"control characters or line breaks taken out of: {', '.join(touched)}")
    if record.landing_page is not None and web_url(record.landing_page) is None:
        changes.append("landing page left out (not a web address)")
        record.landing_page = None
    elif record.landing_page is not None:
        record.landing_page = web_url(record.landing_page)
    changes.extend(_links(record, distributions))
    return changes


def _distribution(dist: DistributionRecord) -> DistributionRecord:
    return replace(
        dist,
        title=line(dist.title),
        format=line(dist.format),
        media_type=line(dist.media_type),
        description=text(dist.description),
    )


def _links(record: DatasetRecord, distributions: list[DistributionRecord]) -> list[str]:
    """Keep only web addresses; a distribution with none left is dropped."""
    kept, dropped_links, dropped = [], 0, 0
    for dist in distributions:
        download, access = web_url(dist.download_url), web_url(dist.access_url)
        dropped_links += (dist.download_url is not None and download is None) + (
            dist.access_url is not None and access is None
        )
        if download or access:
            kept.append(replace(dist, download_url=download, access_url=access))
        else:
            dropped += 1
    record.distributions = kept
    changes = []
    if dropped_links:
        what = _count(dropped_links, "distribution address")
        changes.append(
            f"{what} left out (not web addresses)"
            if dropped_links > 1
            else f"{what} left out (not a web address)"
        )
    if dropped:
        changes.append(f"{_count(dropped, 'distribution')} with no web address left out")
    return changes


def _count(n: int, what: str) -> str:
    return f"1 {what}" if n == 1 else f"{n} {what}es" if what.endswith("s") else f"{n} {what}s"


def rejection(found: Rejection) -> Rejection:
    """A rejection as the report may store it (its words can quote the source)."""
    return Rejection(
        reason=line(found.reason),
        identifier=line(found.identifier),
        title=line(found.title),
        position=found.position,
    )


def report_entry(record: DatasetRecord, changes: list[str]) -> dict:
    """The report's entry for a record imported with changes (see DatasetImport.rejections)."""
    return {
        "position": None,
        "identifier": record.identifier,
        "title": record.title[:200],
        "reason": "; ".join(changes),
        "imported": True,
    }
