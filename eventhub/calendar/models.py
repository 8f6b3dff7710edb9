"""A person's private calendar feed, and feed parts as last written.

A person has one feed, found by the hash of its secret token. The token itself is shown
once, when it is made, and never stored: the URL is the only key a calendar client can
carry, so a database leak must not hand out working feed addresses. Replacing the token (a
new row value) makes the old URL a 404 at once.

A part (an event's VEVENTs, a zone's VTIMEZONE) is derived data: see calendar/store.py.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from eventhub.clock import now
from eventhub.dbtypes import UTCDateTime
from eventhub.extensions import db

REMINDERS = ("none", "1h", "1d")


class CalendarToken(db.Model):
    __tablename__ = "calendar_tokens"
    __table_args__ = (CheckConstraint("reminder IN ('none', '1h', '1d')", name="reminder_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    reminder: Mapped[str] = mapped_column(String(4), default="none")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    # Moves when the token or the reminder changes: part of the feed's validator.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now, onupdate=now)


class CalendarPart(db.Model):
    """Bytes of a feed part under the fingerprint of what they were written from. Any row
    may be deleted at any time: the next feed that needs it writes it again."""

    __tablename__ = "calendar_parts"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    body: Mapped[bytes] = mapped_column(LargeBinary)
