"""Reads for team pages. Teams, memberships and join requests are only ever found through
the event (``g.event``), so another event's id or invite code is a 404 or "no such code"
under this one, never a leak."""

from __future__ import annotations

import re

from flask import abort
from sqlalchemy.orm import selectinload

from eventhub.events.models import Event
from eventhub.extensions import db
from eventhub.teams.models import BoardEntry, JoinRequest, Team, TeamMembership


def _live(event: Event):
    return db.select(Team).where(Team.event_id == event.id, Team.dissolved_at.is_(None))


def get_team(event: Event, team_id: int) -> Team:
    """The event's team with this id; another event's team, or a dissolved one, is a 404."""
    team = db.session.scalar(
        _live(event)
        .where(Team.id == team_id)
        .options(selectinload(Team.memberships).joinedload(TeamMembership.user))
    )
    if team is None:
        abort(404)
    return team


CODE_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,32}")


def team_by_code(event: Event, code: str) -> Team | None:
    """Codes are URL-safe tokens; anything else (a NUL byte, 300 characters) finds nothing
    without asking the database."""
    code = (code or "").strip()
    if not CODE_SHAPE.fullmatch(code):
        return None
    return db.session.scalar(_live(event).where(Team.invite_code == code))


def team_by_name_key(event: Event, key: str) -> Team | None:
    return db.session.scalar(_live(event).where(Team.name_key == key))


def teams_of(event: Event) -> list[Team]:
    """Live teams, oldest first, with their members in one more query."""
    stmt = (
        _live(event)
        .options(selectinload(Team.memberships).joinedload(TeamMembership.user))
        .order_by(Team.created_at, Team.id)
    )
    return list(db.session.scalars(stmt))


def membership_of(event: Event, user) -> TeamMembership | None:
    """The person's current membership in the event (the database allows at most one)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        db.select(TeamMembership).where(
            TeamMembership.event_id == event.id,
            TeamMembership.user_id == user.id,
            TeamMembership.left_at.is_(None),
        )
    )


def team_of(event: Event, user) -> Team | None:
    membership = membership_of(event, user)
    return membership.team if membership is not None else None


def current_teams_by_user(event: Event, user_ids: list[int]) -> dict[int, Team]:
    if not user_ids:
        return {}
    rows = db.session.execute(
        db.select(TeamMembership.user_id, Team)
        .join(Team, Team.id == TeamMembership.team_id)
        .where(
            TeamMembership.event_id == event.id,
            TeamMembership.left_at.is_(None),
            TeamMembership.user_id.in_(user_ids),
        )
    ).all()
    return {user_id: team for user_id, team in rows}


def get_request(team: Team, request_id: int) -> JoinRequest:
    found = db.session.scalar(
        db.select(JoinRequest).where(JoinRequest.id == request_id, JoinRequest.team_id == team.id)
    )
    if found is None:
        abort(404)
    return found


def pending_requests(team: Team) -> list[JoinRequest]:
    return list(
        db.session.scalars(
            db.select(JoinRequest)
            .where(JoinRequest.team_id == team.id, JoinRequest.status == "pending")
            .options(db.joinedload(JoinRequest.user))
            .order_by(JoinRequest.created_at, JoinRequest.id)
        )
    )


def pending_request_of(team: Team, user) -> JoinRequest | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        db.select(JoinRequest).where(
            JoinRequest.team_id == team.id,
            JoinRequest.user_id == user.id,
            JoinRequest.status == "pending",
        )
    )


def board_entry_of(event: Event, user) -> BoardEntry | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        db.select(BoardEntry).where(BoardEntry.event_id == event.id, BoardEntry.user_id == user.id)
    )


def _contains(column, skill: str):
    return db.func.lower(column).contains(skill.lower(), autoescape=True)


def board_people(event: Event, skill: str = "") -> list[BoardEntry]:
    """People marked as looking, newest first; ``skill`` matches part of their skills."""
    stmt = db.select(BoardEntry).where(BoardEntry.event_id == event.id, BoardEntry.looking)
    if skill:
        stmt = stmt.where(_contains(BoardEntry.skills, skill))
    stmt = stmt.options(db.joinedload(BoardEntry.user))
    return list(db.session.scalars(stmt.order_by(BoardEntry.updated_at.desc(), BoardEntry.id)))


def board_teams(event: Event, skill: str = "") -> list[Team]:
    """Teams with room that say what they need; ``skill`` matches part of that."""
    stmt = _live(event).where(Team.needs_skills != "", Team.member_count < event.team_max_size)
    if skill:
        stmt = stmt.where(_contains(Team.needs_skills, skill))
    return list(db.session.scalars(stmt.order_by(Team.created_at, Team.id)))


def looking_user_ids(event: Event) -> set[int]:
    return set(
        db.session.scalars(
            db.select(BoardEntry.user_id).where(BoardEntry.event_id == event.id, BoardEntry.looking)
        )
    )


def unplaced(event: Event, teams: list[Team]) -> list[BoardEntry]:
    """People looking on the board who are in none of ``teams`` (the event's live teams)."""
    placed = {m.user_id for t in teams for m in t.current_members}
    return [e for e in board_people(event) if e.user_id not in placed]
