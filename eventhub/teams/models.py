"""Teams, memberships, the looking-for-team board and join requests.

A membership row is kept for life: leaving or moving sets ``left_at``, so a person's history
in an event survives. The database allows one *current* membership per (event, person) with
a partial unique index, and a team's seats are counted in ``teams.member_count``, changed
only by conditional UPDATEs, so concurrent joins can never overfill a team.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventhub.accounts.models import User
from eventhub.clock import now
from eventhub.dbtypes import UTCDateTime
from eventhub.events.models import Event
from eventhub.extensions import db

CURRENT = text("left_at IS NULL")


class Team(db.Model):
    __tablename__ = "teams"
    __table_args__ = (
        # Names are unique per event among teams that exist (a dissolved team frees its name).
        Index(
            "uq_teams_event_name",
            "event_id",
            "name_key",
            unique=True,
            sqlite_where=text("dissolved_at IS NULL"),
            postgresql_where=text("dissolved_at IS NULL"),
        ),
        CheckConstraint("member_count >= 0", name="members_nonnegative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    name_key: Mapped[str] = mapped_column(String(80))  # casefolded, spaces collapsed
    invite_code: Mapped[str] = mapped_column(String(32), unique=True)
    captain_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    needs_skills: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(String(500), default="")
    member_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    dissolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    event: Mapped[Event] = relationship()
    captain: Mapped[User | None] = relationship()
    memberships: Mapped[list[TeamMembership]] = relationship(
        back_populates="team", order_by="TeamMembership.joined_at, TeamMembership.id"
    )

    @property
    def current_members(self) -> list[TeamMembership]:
        return [m for m in self.memberships if m.left_at is None]

    @property
    def is_dissolved(self) -> bool:
        return self.dissolved_at is not None


class TeamMembership(db.Model):
    __tablename__ = "team_memberships"
    __table_args__ = (
        Index(
            "uq_team_memberships_current",
            "event_id",
            "user_id",
            unique=True,
            sqlite_where=CURRENT,
            postgresql_where=CURRENT,
        ),
        Index("ix_team_memberships_team_id", "team_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    # Repeated from the team so the database can hold one current team per person per event.
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # How the membership ended: "left", "removed", "moved", "dissolved", "cancelled" (the
    # registration was).
    left_how: Mapped[str] = mapped_column(String(12), default="")

    team: Mapped[Team] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()


class BoardEntry(db.Model):
    """A participant on an event's looking-for-team board: what they bring and want."""

    __tablename__ = "board_entries"
    __table_args__ = (UniqueConstraint("event_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    looking: Mapped[bool] = mapped_column(default=True)
    skills: Mapped[str] = mapped_column(String(300), default="")
    interests: Mapped[str] = mapped_column(String(300), default="")
    line: Mapped[str] = mapped_column(String(200), default="")  # a line about themselves
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now, onupdate=now)

    user: Mapped[User] = relationship()


class JoinRequest(db.Model):
    """A participant asks a team to take them; the captain accepts or declines."""

    __tablename__ = "join_requests"
    __table_args__ = (
        Index(
            "uq_join_requests_pending",
            "team_id",
            "user_id",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(
        String(12), default="pending"
    )  # accepted, declined, withdrawn
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    team: Mapped[Team] = relationship()
    user: Mapped[User] = relationship()
