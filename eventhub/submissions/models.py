"""Project submissions: one per team per event, entered for a challenge, with datasets used,
screenshots and a history of every change."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventhub.accounts.models import User
from eventhub.challenges.models import Challenge
from eventhub.clock import now
from eventhub.datasets.models import Dataset
from eventhub.dbtypes import UTCDateTime
from eventhub.events.models import Event
from eventhub.extensions import db
from eventhub.teams.models import Team


class Submission(db.Model):
    __tablename__ = "submissions"
    __table_args__ = (
        UniqueConstraint("team_id", name="uq_submissions_team_id"),  # one per team (and event)
        CheckConstraint("state IN ('draft', 'submitted', 'withdrawn')", name="state_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    challenge_id: Mapped[int | None] = mapped_column(ForeignKey("challenges.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    tagline: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    repository_url: Mapped[str] = mapped_column(String(500), default="")
    demo_url: Mapped[str] = mapped_column(String(500), default="")
    video_url: Mapped[str] = mapped_column(String(500), default="")
    technologies: Mapped[str] = mapped_column(String(300), default="")
    state: Mapped[str] = mapped_column(String(12), default="draft")
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    event: Mapped[Event] = relationship()
    team: Mapped[Team] = relationship()
    challenge: Mapped[Challenge | None] = relationship()
    dataset_links: Mapped[list[SubmissionDataset]] = relationship(
        order_by="SubmissionDataset.position", cascade="all, delete-orphan"
    )
    screenshots: Mapped[list[Screenshot]] = relationship(
        order_by="Screenshot.position, Screenshot.id", cascade="all, delete-orphan"
    )
    changes: Mapped[list[SubmissionChange]] = relationship(
        order_by="SubmissionChange.at.desc(), SubmissionChange.id.desc()",
        cascade="all, delete-orphan",
    )

    @property
    def datasets(self) -> list[Dataset]:
        return [link.dataset for link in self.dataset_links]


class SubmissionDataset(db.Model):
    __tablename__ = "submission_datasets"
    __table_args__ = (Index("ix_submission_datasets_dataset_id", "dataset_id"),)

    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), primary_key=True
    )
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id"), primary_key=True)
    position: Mapped[int] = mapped_column(default=0)

    dataset: Mapped[Dataset] = relationship()


class Screenshot(db.Model):
    """An image kept under a generated name in the upload store; served with safe headers."""

    __tablename__ = "screenshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    media_type: Mapped[str] = mapped_column(String(20))  # image/png or image/jpeg
    size: Mapped[int]
    width: Mapped[int]
    height: Mapped[int]
    alt: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class SubmissionChange(db.Model):
    """History: who changed which fields of a submission, and when."""

    __tablename__ = "submission_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    action: Mapped[str] = mapped_column(String(24))  # created, edited, submitted, withdrawn...
    fields: Mapped[list] = mapped_column(JSON, default=list)

    actor: Mapped[User | None] = relationship()


class DeadlineExtension(db.Model):
    """An organizer lets one team edit its submission past the event's deadline."""

    __tablename__ = "deadline_extensions"
    __table_args__ = (UniqueConstraint("team_id", name="uq_deadline_extensions_team_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    until: Mapped[datetime] = mapped_column(UTCDateTime)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
