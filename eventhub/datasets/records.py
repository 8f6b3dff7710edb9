"""What every importer produces: one shape for a dataset, whatever catalog or portal it came from.

Importers (``dcat``, ``portals``) turn a parsed JSON document into a ``Parsed`` result: the
records they could read and, for each record they could not, a ``Rejection`` naming why. A
document that is not a catalog or dataset at all raises ``NotACatalog`` and imports nothing.
The import service stores records; nothing here touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from eventhub.errors import DomainError

ACCESS_LEVELS = ("public", "restricted public", "non-public")


class NotACatalog(DomainError):
    """The document as a whole cannot be imported; the message says what it is instead."""


@dataclass(frozen=True)
class DistributionRecord:
    download_url: str | None = None
    access_url: str | None = None
    media_type: str | None = None
    format: str | None = None
    title: str | None = None
    description: str | None = None

    @property
    def url(self) -> str | None:
        return self.download_url or self.access_url


@dataclass
class DatasetRecord:
    identifier: str
    title: str
    description: str = ""
    keywords: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    # The publisher and the organizations it belongs to, nearest first:
    # ["Food and Drug Administration", "U.S. Department of Health & Human Services"].
    publisher: list[str] = field(default_factory=list)
    contact_name: str | None = None
    contact_email: str | None = None  # without "mailto:"
    access_level: str | None = None  # one of ACCESS_LEVELS, or None when not given
    license: str | None = None
    modified_raw: str | None = None  # as the source gave it
    modified: datetime | None = None  # parsed, UTC-aware; None when it cannot be read
    issued_raw: str | None = None
    landing_page: str | None = None
    distributions: list[DistributionRecord] = field(default_factory=list)
    raw: dict = field(default_factory=dict)  # the record exactly as found in the source


@dataclass(frozen=True)
class Rejection:
    reason: str
    identifier: str | None = None
    title: str | None = None
    position: int | None = None  # 1-based place in the source's list, when it had one


@dataclass
class Parsed:
    kind: str  # "DCAT-US 1.1", "DCAT-US 3.0", "CKAN", "Socrata", "DKAN"
    records: list[DatasetRecord] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    title: str | None = None  # the catalog's own title, when it has one
