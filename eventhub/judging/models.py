"""Judging: settings, rubrics and their criteria, judges (invitations, profiles, conflicts),
assignments, the judges' score sheets, and pairwise comparisons for an expo-hall first round.

A score is one row per (judge, submission, criterion): the unique constraint makes saving twice
one row, and the CHECK bounds every value whatever the criterion's scale (the service checks the
criterion's own scale). A judge is a person with the event's judge role (events.EventRole);
their profile here holds what judging needs about them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventhub.accounts.models import User
from eventhub.challenges.models import Challenge
from eventhub.clock import now
from eventhub.dbtypes import UTCDateTime
from eventhub.events.models import Event
from eventhub.extensions import db
from eventhub.submissions.models import Submission
from eventhub.teams.models import Team

SCORE_FLOOR, SCORE_CEILING = 0, 10  # the widest scale a criterion may have


class JudgingSettings(db.Model):
    """One row per event, made when an organizer first saves judging settings; an event
    without one judges with the defaults (k = 3, no pairwise round, no vote, unpublished)."""

    __tablename__ = "judging_settings"
    __table_args__ = (
        CheckConstraint("judges_per_entry >= 1", name="judges_per_entry_positive"),
        CheckConstraint("finalists >= 1", name="finalists_positive"),
    )

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    judges_per_entry: Mapped[int] = mapped_column(default=3)
    # Judging opens at opens_at (default: the submission deadline) and closes at closes_at
    # (default: when results are published).
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    pairwise: Mapped[bool] = mapped_column(default=False)
    finalists: Mapped[int] = mapped_column(default=10)
    voting_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    voting_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    results_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now, onupdate=now)

    event: Mapped[Event] = relationship()


class Rubric(db.Model):
    """The event's rubric (challenge_id NULL) or one challenge's replacement for it."""

    __tablename__ = "rubrics"
    __table_args__ = (
        Index(
            "uq_rubrics_event_default",
            "event_id",
            unique=True,
            sqlite_where=text("challenge_id IS NULL"),
            postgresql_where=text("challenge_id IS NULL"),
        ),
        UniqueConstraint("challenge_id", name="uq_rubrics_challenge_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    challenge_id: Mapped[int | None] = mapped_column(
        ForeignKey("challenges.id", ondelete="CASCADE")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now, onupdate=now)

    challenge: Mapped[Challenge | None] = relationship()
    criteria: Mapped[list[Criterion]] = relationship(
        back_populates="rubric",
        order_by="Criterion.position, Criterion.id",
        cascade="all, delete-orphan",
    )


class Criterion(db.Model):
    """A criterion on an anchored integer scale: ``levels`` holds one sentence per level,
    from scale_min up to scale_max. Weights are stored as entered and normalized when used."""

    __tablename__ = "rubric_criteria"
    __table_args__ = (
        CheckConstraint("weight > 0", name="weight_positive"),
        CheckConstraint(
            f"scale_min >= {SCORE_FLOOR} AND scale_max <= {SCORE_CEILING} "
            "AND scale_max > scale_min",
            name="scale_in_bounds",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rubric_id: Mapped[int] = mapped_column(ForeignKey("rubrics.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    scale_min: Mapped[int] = mapped_column(default=1)
    scale_max: Mapped[int] = mapped_column(default=5)
    levels: Mapped[list] = mapped_column(JSON, default=list)
    # The pre-declared criterion that breaks ties (at most one per rubric).
    breaks_ties: Mapped[bool] = mapped_column(default=False)

    rubric: Mapped[Rubric] = relationship(back_populates="criteria")


class JudgeInvitation(db.Model):
    """An emailed invitation to judge; only the token's hash is stored."""

    __tablename__ = "judge_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class JudgeProfile(db.Model):
    """What judging needs to know about one judge of one event. A judge who drops out keeps
    the profile (and their scores, for the record) with dropped_at set."""

    __tablename__ = "judge_profiles"
    __table_args__ = (UniqueConstraint("event_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # Organizations the judge works for or with, one per line (matched against members').
    affiliations: Mapped[str] = mapped_column(Text, default="")
    dropped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Pairwise round: the entry seen last and the one shown now (Gavel's prev/next).
    pair_prev_id: Mapped[int | None] = mapped_column(
        ForeignKey("submissions.id", ondelete="SET NULL")
    )
    pair_next_id: Mapped[int | None] = mapped_column(
        ForeignKey("submissions.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now, onupdate=now)

    user: Mapped[User] = relationship()

    @property
    def affiliation_list(self) -> list[str]:
        return [line.strip() for line in self.affiliations.splitlines() if line.strip()]


class JudgeConflict(db.Model):
    """A conflict a judge declared (or created by recusing): with a team or with a person."""

    __tablename__ = "judge_conflicts"
    __table_args__ = (
        CheckConstraint("team_id IS NOT NULL OR person_id IS NOT NULL", name="names_someone"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(300), default="")
    source: Mapped[str] = mapped_column(String(12), default="declared")  # or "recused"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    team: Mapped[Team | None] = relationship()
    person: Mapped[User | None] = relationship(foreign_keys=[person_id])


class Assignment(db.Model):
    """A judge is to score a submission (rubric round)."""

    __tablename__ = "judge_assignments"
    __table_args__ = (
        UniqueConstraint("judge_id", "submission_id"),
        Index("ix_judge_assignments_event_id", "event_id"),
        Index("ix_judge_assignments_submission_id", "submission_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    how: Mapped[str] = mapped_column(String(12), default="auto")  # auto, manual, reassigned
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    judge: Mapped[User] = relationship()
    submission: Mapped[Submission] = relationship()


class Review(db.Model):
    """A judge's sheet for one entry, beside its per-criterion scores: the comment meant for
    the team and the note meant only for organizers."""

    __tablename__ = "judge_reviews"
    __table_args__ = (
        UniqueConstraint("judge_id", "submission_id"),
        Index("ix_judge_reviews_event_id", "event_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    comment_for_team: Mapped[str] = mapped_column(Text, default="")
    note_for_organizers: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now, onupdate=now)


class Score(db.Model):
    __tablename__ = "scores"
    __table_args__ = (
        UniqueConstraint("judge_id", "submission_id", "criterion_id"),
        CheckConstraint(
            f"value >= {SCORE_FLOOR} AND value <= {SCORE_CEILING}", name="value_in_bounds"
        ),
        Index("ix_scores_event_id", "event_id"),
        Index("ix_scores_submission_id", "submission_id"),
        Index("ix_scores_criterion_id", "criterion_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    criterion_id: Mapped[int] = mapped_column(ForeignKey("rubric_criteria.id", ondelete="CASCADE"))
    value: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now, onupdate=now)


class PairwiseComparison(db.Model):
    """One judgement of the pairwise round: the judge preferred winner over loser."""

    __tablename__ = "pairwise_comparisons"
    __table_args__ = (CheckConstraint("winner_id <> loser_id", name="two_entries"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    winner_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    loser_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class Finalist(db.Model):
    """An entry the pairwise round sent on to the rubric final."""

    __tablename__ = "judging_finalists"

    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), primary_key=True
    )
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    rank: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
