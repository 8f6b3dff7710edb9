"""Results: the organizer's recorded tie breaks, prizes awarded to entries, and the people's
choice votes (one per person per event, enforced by the database)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventhub.accounts.models import User
from eventhub.challenges.models import Prize
from eventhub.clock import now
from eventhub.dbtypes import UTCDateTime
from eventhub.extensions import db
from eventhub.submissions.models import Submission


class TieBreak(db.Model):
    """The organizer placed ``above`` before ``below`` in one ranking (a challenge's, or the
    overall one when challenge_id is NULL), for a reason kept with the results."""

    __tablename__ = "tie_breaks"
    __table_args__ = (CheckConstraint("above_id <> below_id", name="two_entries"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    challenge_id: Mapped[int | None] = mapped_column(
        ForeignKey("challenges.id", ondelete="CASCADE")
    )
    above_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    below_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(500))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    decided_by: Mapped[User | None] = relationship()


class PrizeAward(db.Model):
    __tablename__ = "prize_awards"
    __table_args__ = (UniqueConstraint("prize_id", "submission_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    prize_id: Mapped[int] = mapped_column(ForeignKey("prizes.id", ondelete="CASCADE"), index=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    awarded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    prize: Mapped[Prize] = relationship()
    submission: Mapped[Submission] = relationship()


class Vote(db.Model):
    """A participant's people's-choice vote: one row per (event, person), changed in place
    until the voting window closes."""

    __tablename__ = "votes"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id"),
        Index("ix_votes_submission_id", "submission_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now, onupdate=now)
