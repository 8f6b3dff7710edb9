"""Importing datasets: from bytes, a file or a URL, into the catalog, idempotently.

An import reads the whole source first (``parse``), then writes in the caller's transaction:
new datasets are added, changed ones updated in place by (catalog, identifier), and ones whose
digest is unchanged are left alone. A rejected record never touches what is stored, and a
source that is not a catalog at all writes nothing but its failed entry in the history.
The view (or command) commits once; an error before that rolls everything back.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from urllib.parse import urlsplit

from flask import current_app

from eventhub.clock import now
from eventhub.core.audit import audit
from eventhub.database import writing
from eventhub.datasets import clean, search
from eventhub.datasets import facets as facet_index
from eventhub.datasets.fetch import FetchError, fetch
from eventhub.datasets.models import (
    Catalog,
    Dataset,
    DatasetFacet,
    DatasetImport,
    Distribution,
    Publisher,
)
from eventhub.datasets.parse import parse_bytes
from eventhub.datasets.records import DatasetRecord, NotACatalog, Parsed, Rejection
from eventhub.extensions import db

MAX_IDENTIFIER = 500
MAX_TITLE = 1000
MAX_KEYWORD = 200
SINGLE_DATASET_KINDS = {"CKAN", "Socrata", "DKAN"}

Progress = Callable[[int], None]

_MEDIA_LABELS = {
    "text/csv": "CSV",
    "application/json": "JSON",
    "application/xml": "XML",
    "text/xml": "XML",
    "application/zip": "ZIP",
    "application/pdf": "PDF",
    "text/html": "HTML",
    "text/plain": "TXT",
    "application/vnd.ms-excel": "XLS",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "application/geo+json": "GeoJSON",
    "application/vnd.geo+json": "GeoJSON",
    "application/rdf+xml": "RDF",
    "application/x-parquet": "Parquet",
    "application/vnd.apache.parquet": "Parquet",
}


def format_label(fmt: str | None, media_type: str | None) -> str:
    """The label the format filter offers: the declared format, else one from the media type."""
    fmt = (fmt or "").strip()
    if fmt and "/" not in fmt:
        return fmt.upper()[:40]
    media = (fmt or media_type or "").split(";")[0].strip().lower()
    if not media:
        return ""
    return _MEDIA_LABELS.get(media) or media.rsplit("/", 1)[-1].upper()[:40]


def _digest(record: DatasetRecord) -> str:
    extracted = {
        "title": record.title,
        "description": record.description,
        "keywords": record.keywords,
        "themes": record.themes,
        "publisher": record.publisher,
        "contact": [record.contact_name, record.contact_email],
        "access_level": record.access_level,
        "license": record.license,
        "modified": record.modified_raw,
        "issued": record.issued_raw,
        "landing_page": record.landing_page,
        "distributions": [d.__dict__ for d in record.distributions],
        "raw": record.raw,
    }
    blob = json.dumps(extracted, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def _check_record(record: DatasetRecord) -> str | None:
    if not record.identifier:
        return "missing an identifier once control characters are taken out"
    if not record.title:
        return "missing a title once control characters are taken out"
    if len(record.identifier) > MAX_IDENTIFIER:
        return f"identifier is longer than {MAX_IDENTIFIER} characters"
    if len(record.title) > MAX_TITLE:
        return f"title is longer than {MAX_TITLE} characters"
    return None


class _Publishers:
    """Publisher rows by name, created on first sight, parents linked nearest-first."""

    def __init__(self):
        self.by_name: dict[str, Publisher] = {}

    def get(self, chain: list[str]) -> Publisher | None:
        chain = [name.strip()[:300] for name in chain if name and name.strip()]
        if not chain:
            return None
        parent = None
        for name in reversed(chain):
            publisher = self.by_name.get(name)
            if publisher is None:
                publisher = db.session.scalar(db.select(Publisher).filter_by(name=name))
            if publisher is None:
                publisher = Publisher(name=name)
                db.session.add(publisher)
            # Compare objects, not ids: a publisher first seen in this import has no id yet.
            if parent is not None and publisher is not parent and publisher.parent is not parent:
                publisher.parent = parent
            self.by_name[name] = publisher
            parent = publisher
        return parent


def _apply(dataset: Dataset, record: DatasetRecord, publisher, digest: str, at) -> None:
    dataset.title = record.title
    dataset.description = record.description
    dataset.keywords = list(record.keywords)
    dataset.themes = list(record.themes)
    dataset.publisher = publisher
    dataset.contact_name = record.contact_name or ""
    dataset.contact_email = record.contact_email or ""
    dataset.access_level = record.access_level
    dataset.license = record.license or ""
    dataset.modified_raw = (record.modified_raw or "")[:100]
    dataset.modified = record.modified
    dataset.issued_raw = (record.issued_raw or "")[:100]
    dataset.landing_page = record.landing_page or ""
    dataset.raw = record.raw
    dataset.digest = digest
    dataset.fetched_at = at
    dataset.updated_at = at
    dataset.distributions = [
        Distribution(
            position=i,
            title=d.title or "",
            description=d.description or "",
            download_url=d.download_url or "",
            access_url=d.access_url or "",
            media_type=(d.media_type or "")[:200],
            format=(d.format or "")[:200],
            format_label=format_label(d.format, d.media_type),
        )
        for i, d in enumerate(record.distributions)
    ]


def _keywords(record: DatasetRecord) -> list[str]:
    seen: dict[str, None] = {}
    for keyword in record.keywords:
        key = keyword.strip().lower()[:MAX_KEYWORD]
        if key:
            seen.setdefault(key, None)
    return list(seen)


def _catalog(key: str, parsed: Parsed) -> Catalog:
    catalog = db.session.scalar(db.select(Catalog).filter_by(key=key))
    if catalog is None:
        catalog = Catalog(key=key[:500])
        db.session.add(catalog)
    if parsed.kind not in SINGLE_DATASET_KINDS:
        catalog.title = (parsed.title or catalog.title or "")[:500]
    catalog.kind = parsed.kind
    return catalog


def store(
    parsed: Parsed, *, catalog_key: str, history: DatasetImport, progress: Progress | None = None
) -> DatasetImport:
    """Write the parsed records into the catalog named ``catalog_key``; fill ``history``.

    Each record is cleaned first (``clean``): what was taken out of a record that is still
    imported is listed in the report beside the rejections, marked as imported.
    """
    _one_import_at_a_time()
    at = now()
    parsed.title = clean.line(parsed.title)
    catalog = _catalog(clean.line(catalog_key), parsed)
    db.session.flush()
    existing = {
        row.identifier: row
        for row in db.session.execute(
            db.select(Dataset.id, Dataset.identifier, Dataset.digest).where(
                Dataset.catalog_id == catalog.id
            )
        )
    }
    rejections: list[Rejection] = [clean.rejection(r) for r in parsed.rejections]
    amended: list[dict] = []
    seen: set[str] = set()
    publishers = _Publishers()
    written: list[tuple[Dataset, DatasetRecord]] = []
    unchanged: list[int] = []
    counts = {"new": 0, "updated": 0}
    with db.session.no_autoflush:  # a dataset is flushed once it is whole
        for record in parsed.records:
            changes = clean.clean_record(record)
            problem = _check_record(record)
            if problem is None and record.identifier in seen:
                problem = (
                    f"identifier {record.identifier!r} appears twice in this source "
                    f"(the first one was imported)"
                )
            if problem:
                rejections.append(Rejection(problem, record.identifier, record.title[:200]))
                if progress:
                    progress(1)
                continue
            seen.add(record.identifier)
            if changes:
                amended.append(clean.report_entry(record, changes))
            digest = _digest(record)
            known = existing.get(record.identifier)
            if known is not None and known.digest == digest:
                unchanged.append(known.id)
            else:
                if known is None:
                    dataset = Dataset(catalog=catalog, identifier=record.identifier, created_at=at)
                    db.session.add(dataset)
                    counts["new"] += 1
                else:
                    dataset = db.session.get(Dataset, known.id)
                    counts["updated"] += 1
                _apply(dataset, record, publishers.get(record.publisher), digest, at)
                written.append((dataset, record))
            if progress:
                progress(1)
    db.session.flush()
    _write_facets(written)
    if written:
        facet_index.touch()
    _reindex(written)
    if unchanged:
        db.session.execute(
            db.update(Dataset).where(Dataset.id.in_(unchanged)).values(fetched_at=at)
        )

    history.catalog = catalog
    history.kind = parsed.kind
    history.status = "completed"
    history.new_count = counts["new"]
    history.updated_count = counts["updated"]
    history.unchanged_count = len(unchanged)
    history.rejected_count = len(rejections)
    history.rejections = [
        {"position": r.position, "identifier": r.identifier, "title": r.title, "reason": r.reason}
        for r in rejections
    ] + amended
    history.finished_at = now()
    return history


def facet_rows(dataset: Dataset, record: DatasetRecord) -> list[dict]:
    values = {("keyword", k) for k in _keywords(record)}
    if dataset.publisher_id:
        values.add(("publisher", str(dataset.publisher_id)))
    if dataset.access_level:
        values.add(("access", dataset.access_level))
    values |= {("format", d.format_label) for d in dataset.distributions if d.format_label}
    return [{"dataset_id": dataset.id, "facet": f, "value": v} for f, v in sorted(values)]


IMPORT_LOCK = 7_240_301  # any constant: the key of the advisory lock imports share


def _one_import_at_a_time() -> None:
    """Imports read what is stored, then write: two at once would both insert the same new
    catalog, publisher or dataset and one would fail. PostgreSQL queues them on a lock held
    until commit; SQLite already runs one writing transaction at a time."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(db.text("SELECT pg_advisory_xact_lock(:key)"), {"key": IMPORT_LOCK})


def _write_facets(written: list[tuple[Dataset, DatasetRecord]]) -> None:
    ids = [d.id for d, _ in written]
    if not ids:
        return
    db.session.execute(db.delete(DatasetFacet).where(DatasetFacet.dataset_id.in_(ids)))
    rows = [row for d, record in written for row in facet_rows(d, record)]
    if rows:
        db.session.execute(db.insert(DatasetFacet), rows)


def _reindex(written: list[tuple[Dataset, DatasetRecord]]) -> None:
    search.reindex(
        db.session.connection(),
        ((d, " ".join(record.publisher)) for d, record in written),
    )


def _start(via: str, source: str, actor) -> DatasetImport:
    history = DatasetImport(
        via=via,
        source=clean.line(source)[:2000],
        actor_id=getattr(actor, "id", None),
        started_at=now(),
    )
    db.session.add(history)
    return history


def _failed(history: DatasetImport, message: str) -> DatasetImport:
    history.status = "failed"
    history.message = clean.text(message)
    history.finished_at = now()
    return history


def import_bytes(
    body: bytes,
    *,
    catalog_key: str,
    via: str,
    source: str,
    actor=None,
    url: str | None = None,
    content_type: str | None = None,
    progress_factory: Callable[[int], Progress] | None = None,
) -> DatasetImport:
    """Import a document already in hand. Returns the history entry (completed or failed)."""
    writing()
    history = _start(via, source, actor)
    try:
        parsed = parse_bytes(body, url=url, content_type=content_type)
    except NotACatalog as exc:
        _failed(history, exc.message)
    else:
        progress = progress_factory(len(parsed.records)) if progress_factory else None
        key = _portal_key(url) if (url and parsed.kind in SINGLE_DATASET_KINDS) else catalog_key
        store(parsed, catalog_key=key, history=history, progress=progress)
    db.session.flush()
    audit(
        actor,
        "datasets.import",
        history,
        source=history.source,
        status=history.status,
        new=history.new_count,
        updated=history.updated_count,
        unchanged=history.unchanged_count,
        rejected=history.rejected_count,
    )
    return history


def _portal_key(url: str) -> str:
    """Single datasets from a portal share the portal's catalog: its origin."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def import_url(url: str, *, actor=None, via: str = "url", progress_factory=None) -> DatasetImport:
    """Fetch and import; a fetch that fails is kept in the history with its reason."""
    writing()
    config = current_app.config
    try:
        fetched = fetch(
            url,
            max_bytes=config["IMPORT_MAX_BYTES"],
            timeout=config["IMPORT_TIMEOUT"],
            test_origin=config.get("IMPORT_TEST_ORIGIN"),
        )
    except FetchError as exc:
        history = _start(via, url, actor)
        _failed(history, exc.message)
        db.session.flush()
        audit(actor, "datasets.import", history, source=url, status="failed")
        return history
    return import_bytes(
        fetched.body,
        catalog_key=url,
        via=via,
        source=url,
        actor=actor,
        url=fetched.url,
        content_type=fetched.content_type,
        progress_factory=progress_factory,
    )
