"""Demo day: the running order of presentations and breaks, and which slot is on now.

Slot times are stored (recomputed from the start and the lengths whenever the order changes),
so the agenda, the printable schedule and calendar feeds read them without arithmetic; each
slot's ``sequence`` rises whenever its time or title (or its project's title) changes, for
calendar clients (calendar/sequence.py raises it).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventhub.clock import now
from eventhub.dbtypes import UTCDateTime
from eventhub.events.models import Event
from eventhub.extensions import db
from eventhub.submissions.models import Submission


class DemoDay(db.Model):
    """One per event that holds a demo day."""

    __tablename__ = "demo_days"
    __table_args__ = (CheckConstraint("slot_minutes >= 1", name="slot_minutes_positive"),)

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    slot_minutes: Mapped[int] = mapped_column(default=5)
    location: Mapped[str] = mapped_column(String(200), default="")
    # The slot on stage now (None: not started); set only by the organizer's advance.
    current_slot_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now, onupdate=now)

    event: Mapped[Event] = relationship()


class DemoSlot(db.Model):
    __tablename__ = "demo_slots"
    __table_args__ = (
        CheckConstraint("minutes >= 1", name="minutes_positive"),
        CheckConstraint("kind IN ('presentation', 'break')", name="kind_known"),
        CheckConstraint(
            "kind = 'break' OR submission_id IS NOT NULL", name="presentation_has_entry"
        ),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        Index("ix_demo_slots_event_position", "event_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(12), default="presentation")
    submission_id: Mapped[int | None] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200), default="")  # a break's name
    minutes: Mapped[int] = mapped_column(default=5)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now, onupdate=now)

    submission: Mapped[Submission | None] = relationship()

    @property
    def is_break(self) -> bool:
        return self.kind == "break"
