"""Challenges: the problems an event asks teams to solve, each tied to open datasets."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventhub.clock import now
from eventhub.datasets.models import Dataset
from eventhub.dbtypes import UTCDateTime
from eventhub.events.models import Event
from eventhub.extensions import db


class Challenge(db.Model):
    __tablename__ = "challenges"
    __table_args__ = (UniqueConstraint("event_id", "slug", name="uq_challenges_event_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(300), default="")
    problem_statement: Mapped[str] = mapped_column(Text, default="")
    sponsor: Mapped[str] = mapped_column(String(200), default="")
    eligibility: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now, onupdate=now)

    event: Mapped[Event] = relationship()
    prizes: Mapped[list[Prize]] = relationship(
        back_populates="challenge",
        order_by="Prize.position, Prize.id",
        cascade="all, delete-orphan",
    )
    dataset_links: Mapped[list[ChallengeDataset]] = relationship(
        back_populates="challenge",
        order_by="ChallengeDataset.position, ChallengeDataset.dataset_id",
        cascade="all, delete-orphan",
    )

    @property
    def datasets(self) -> list[Dataset]:
        return [link.dataset for link in self.dataset_links]


class Prize(db.Model):
    """A prize: a cash amount in whole US dollars, or another kind (credits, mentoring...)."""

    __tablename__ = "prizes"
    __table_args__ = (
        CheckConstraint("winners >= 1", name="winners_positive"),
        CheckConstraint("amount IS NULL OR amount >= 0", name="amount_nonnegative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(
        ForeignKey("challenges.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    amount: Mapped[int | None]
    kind: Mapped[str] = mapped_column(String(120), default="")
    winners: Mapped[int] = mapped_column(default=1)

    challenge: Mapped[Challenge] = relationship(back_populates="prizes")


class ChallengeDataset(db.Model):
    __tablename__ = "challenge_datasets"
    __table_args__ = (Index("ix_challenge_datasets_dataset_id", "dataset_id"),)

    challenge_id: Mapped[int] = mapped_column(
        ForeignKey("challenges.id", ondelete="CASCADE"), primary_key=True
    )
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id"), primary_key=True)
    position: Mapped[int] = mapped_column(default=0)

    challenge: Mapped[Challenge] = relationship(back_populates="dataset_links")
    dataset: Mapped[Dataset] = relationship()
