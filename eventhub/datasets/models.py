"""The dataset catalog: metadata only, never the data itself.

A dataset is identified by (catalog, identifier): re-importing the same catalog updates its
datasets in place. ``raw`` keeps the record exactly as the source gave it; the other columns
are what we extracted from it. The full-text index lives beside these tables (see
``search.py``), outside the ORM, because SQLite and PostgreSQL build it differently.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventhub.clock import now
from eventhub.dbtypes import UTCDateTime
from eventhub.extensions import db


class Catalog(db.Model):
    """Where datasets came from: a data.json URL, an uploaded file's name, or a portal."""

    __tablename__ = "catalogs"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(500), unique=True)
    title: Mapped[str] = mapped_column(String(500), default="")
    kind: Mapped[str] = mapped_column(String(24), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class Publisher(db.Model):
    """An organization that publishes datasets; ``parent`` is the body it belongs to."""

    __tablename__ = "publishers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("publishers.id"))

    parent: Mapped[Publisher | None] = relationship(remote_side=[id])

    @property
    def chain(self) -> list[Publisher]:
        """This publisher and the bodies above it, nearest first (cycles cut)."""
        seen, out, node = set(), [], self
        while node is not None and node.id not in seen:
            seen.add(node.id)
            out.append(node)
            node = node.parent
        return out


class Dataset(db.Model):
    __tablename__ = "datasets"
    __table_args__ = (
        UniqueConstraint("catalog_id", "identifier", name="uq_datasets_catalog_identifier"),
        Index("ix_datasets_publisher_id", "publisher_id"),
        Index("ix_datasets_modified", "modified"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    catalog_id: Mapped[int] = mapped_column(ForeignKey("catalogs.id"))
    identifier: Mapped[str] = mapped_column(String(500))
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    keywords: Mapped[list] = mapped_column(JSON, default=list)
    themes: Mapped[list] = mapped_column(JSON, default=list)
    publisher_id: Mapped[int | None] = mapped_column(ForeignKey("publishers.id"))
    contact_name: Mapped[str] = mapped_column(Text, default="")
    contact_email: Mapped[str] = mapped_column(Text, default="")
    access_level: Mapped[str | None] = mapped_column(String(24))
    license: Mapped[str] = mapped_column(Text, default="")
    modified_raw: Mapped[str] = mapped_column(String(100), default="")
    modified: Mapped[datetime | None] = mapped_column(UTCDateTime)
    issued_raw: Mapped[str] = mapped_column(String(100), default="")
    landing_page: Mapped[str] = mapped_column(Text, default="")
    raw: Mapped[dict] = mapped_column(JSON, default=dict)
    # A digest of everything extracted; an import that finds the same digest changes nothing.
    digest: Mapped[str] = mapped_column(String(64))
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    catalog: Mapped[Catalog] = relationship()
    publisher: Mapped[Publisher | None] = relationship()
    distributions: Mapped[list[Distribution]] = relationship(
        back_populates="dataset",
        order_by="Distribution.position",
        cascade="all, delete-orphan",
    )

    def __repr__(self) -> str:
        return f"<Dataset {self.id} {self.identifier!r}>"


class Distribution(db.Model):
    __tablename__ = "distributions"
    __table_args__ = (Index("ix_distributions_dataset_id", "dataset_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    download_url: Mapped[str] = mapped_column(Text, default="")
    access_url: Mapped[str] = mapped_column(Text, default="")
    media_type: Mapped[str] = mapped_column(String(200), default="")
    format: Mapped[str] = mapped_column(String(200), default="")
    # What the format filter offers: "CSV", "JSON", "API"...: from format, else media type.
    format_label: Mapped[str] = mapped_column(String(40), default="")

    dataset: Mapped[Dataset] = relationship(back_populates="distributions")

    @property
    def url(self) -> str:
        return self.download_url or self.access_url


class DatasetFacet(db.Model):
    """What the catalog's filters offer, one row per (dataset, facet, value): its keywords
    (lowercased), publisher (id), formats (labels) and access level. Filtering and counting
    are then the same indexed lookup for every facet."""

    __tablename__ = "dataset_facets"
    __table_args__ = (Index("ix_dataset_facets_facet_value", "facet", "value"),)

    dataset_id: Mapped[int] = mapped_column(
        ForeignKey("datasets.id", ondelete="CASCADE"), primary_key=True
    )
    facet: Mapped[str] = mapped_column(String(12), primary_key=True)
    value: Mapped[str] = mapped_column(String(200), primary_key=True)


class DatasetImport(db.Model):
    """One import, kept as history: who, when, from where, and what came of it."""

    __tablename__ = "dataset_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    via: Mapped[str] = mapped_column(String(8))  # "file", "url" or "cli"
    source: Mapped[str] = mapped_column(Text)
    catalog_id: Mapped[int | None] = mapped_column(ForeignKey("catalogs.id"))
    kind: Mapped[str] = mapped_column(String(24), default="")
    status: Mapped[str] = mapped_column(String(12), default="completed")  # or "failed"
    message: Mapped[str] = mapped_column(Text, default="")
    new_count: Mapped[int] = mapped_column(default=0)
    updated_count: Mapped[int] = mapped_column(default=0)
    unchanged_count: Mapped[int] = mapped_column(default=0)
    rejected_count: Mapped[int] = mapped_column(default=0)
    # [{"position", "identifier", "title", "reason"}] for every rejected record, then
    # {..., "imported": true} for every record imported with something taken out of it
    # (control characters, an address that is not a web address): see ``datasets.clean``.
    rejections: Mapped[list] = mapped_column(JSON, default=list)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    actor = relationship("User")
    catalog: Mapped[Catalog | None] = relationship()

    @property
    def rejected(self) -> list[dict]:
        return [r for r in self.rejections or [] if not r.get("imported")]

    @property
    def amended(self) -> list[dict]:
        return [r for r in self.rejections or [] if r.get("imported")]


class CatalogRevision(db.Model):
    """One row whose token changes with every write to the catalog, in the same transaction:
    a process that cached something derived from the catalog (the facet index) compares
    tokens to know whether it is still current, whichever process or host wrote."""

    __tablename__ = "catalog_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
