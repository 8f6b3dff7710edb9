from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventhub.accounts.models import User
from eventhub.clock import now
from eventhub.dbtypes import UTCDateTime
from eventhub.enums import EventKind, EventStatus, RegistrationStatus, SessionKind, SessionStatus
from eventhub.extensions import db

# Enum columns hold the enum values as strings; forms and services keep them in the set.


class Event(db.Model):
    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_nonnegative"),
        CheckConstraint("seats_taken >= 0", name="seats_nonnegative"),
        CheckConstraint("team_min_size >= 1", name="team_min_positive"),
        CheckConstraint("team_max_size >= team_min_size", name="team_max_at_least_min"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(24))
    summary: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    timezone: Mapped[str] = mapped_column(String(64))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    venue_name: Mapped[str] = mapped_column(String(200), default="")
    venue_address: Mapped[str] = mapped_column(String(300), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # None means unlimited. seats_taken is only ever changed by conditional UPDATEs.
    capacity: Mapped[int | None]
    seats_taken: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(24), default=EventStatus.DRAFT.value)
    # Teams and submissions: formation closes (default: the submission deadline), work is due.
    team_formation_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submission_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    team_min_size: Mapped[int] = mapped_column(default=1)
    team_max_size: Mapped[int] = mapped_column(default=5)
    gallery_open: Mapped[bool] = mapped_column(default=False)
    # Bumped on every change a calendar client would show (title, time, place, status).
    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now, onupdate=now)

    partners: Mapped[list[Partner]] = relationship(
        back_populates="event",
        order_by="Partner.position, Partner.id",
        cascade="all, delete-orphan",
    )
    sessions: Mapped[list[AgendaSession]] = relationship(
        back_populates="event",
        order_by="AgendaSession.starts_at, AgendaSession.id",
        cascade="all, delete-orphan",
    )

    @property
    def kind_enum(self) -> EventKind:
        return EventKind(self.kind)

    @property
    def is_published(self) -> bool:
        return self.status == EventStatus.PUBLISHED

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    @property
    def is_visible(self) -> bool:
        """Seen by the public: published, or cancelled after publication."""
        return self.status != EventStatus.DRAFT

    @property
    def seats_left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.seats_taken, 0)

    def __repr__(self) -> str:
        return f"<Event {self.slug}>"


class EventRole(db.Model):
    """An appointment in one event: organizer or judge."""

    __tablename__ = "event_roles"
    __table_args__ = (UniqueConstraint("event_id", "user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(24))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    user: Mapped[User] = relationship()
    event: Mapped[Event] = relationship()


class Partner(db.Model):
    """An agency or organization behind an event."""

    __tablename__ = "partners"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(500), default="")
    logo_url: Mapped[str] = mapped_column(String(500), default="")
    position: Mapped[int] = mapped_column(default=0)

    event: Mapped[Event] = relationship(back_populates="partners")


class AgendaSession(db.Model):
    __tablename__ = "agenda_sessions"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(24), default=SessionKind.TALK.value)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    location: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(24), default=SessionStatus.SCHEDULED.value)
    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now, onupdate=now)

    event: Mapped[Event] = relationship(back_populates="sessions")

    @property
    def kind_enum(self) -> SessionKind:
        return SessionKind(self.kind)

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED


class Registration(db.Model):
    """One row per (event, person) for life; cancelling and registering again reuse it."""

    __tablename__ = "registrations"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id"),
        Index("ix_registrations_event_status", "event_id", "status", "queued_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(24))
    # When the person last joined the queue: waitlist order is (queued_at, id).
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now, onupdate=now)

    user: Mapped[User] = relationship()
    event: Mapped[Event] = relationship()

    @property
    def is_confirmed(self) -> bool:
        return self.status == RegistrationStatus.CONFIRMED

    @property
    def is_waitlisted(self) -> bool:
        return self.status == RegistrationStatus.WAITLISTED
