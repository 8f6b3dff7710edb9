"""Conflicts of interest between judges and entries, declared and derived.

A judge may never score an entry they are conflicted with. Declared: a conflict with a team,
or with a person (which covers every team that person is or was a member of), or a recusal.
Derived: the judge is or was a member of the entry's team, or one of the judge's declared
affiliations matches a member's affiliation (compared case- and space-insensitively). Derived
conflicts are flagged to the organizer and treated like declared ones.
"""

from __future__ import annotations

from collections import defaultdict

from eventhub.accounts.models import User
from eventhub.enums import EventRoleKind
from eventhub.events.models import Event, EventRole
from eventhub.extensions import db
from eventhub.judging.models import JudgeConflict, JudgeProfile
from eventhub.submissions.models import Submission
from eventhub.teams.models import Team, TeamMembership


def affiliation_key(text: str) -> str:
    return " ".join(text.casefold().split())


def conflicts_of(event: Event) -> dict[tuple[int, int], list[str]]:
    """(judge_id, submission_id) -> the reasons, for every conflicted pair in the event.
    A fixed number of queries, whatever the size of the event."""
    entries = db.session.execute(
        db.select(Submission.id, Submission.team_id, Team.name)
        .join(Team, Team.id == Submission.team_id)
        .where(Submission.event_id == event.id)
    ).all()
    members: dict[int, list[tuple[int, str, str]]] = defaultdict(list)  # team -> (user, ...)
    for team_id, user_id, name, affiliation in db.session.execute(
        db.select(TeamMembership.team_id, User.id, User.name, User.affiliation)
        .join(User, User.id == TeamMembership.user_id)
        .where(TeamMembership.event_id == event.id)
    ):
        members[team_id].append((user_id, name, affiliation_key(affiliation or "")))
    profiles = db.session.execute(
        db.select(JudgeProfile.user_id, JudgeProfile.affiliations).where(
            JudgeProfile.event_id == event.id
        )
    ).all()
    declared = db.session.scalars(
        db.select(JudgeConflict).where(JudgeConflict.event_id == event.id)
    ).all()

    found: dict[tuple[int, int], list[str]] = defaultdict(list)
    judge_ids = set(
        db.session.scalars(
            db.select(EventRole.user_id).where(
                EventRole.event_id == event.id, EventRole.role == EventRoleKind.JUDGE.value
            )
        )
    )
    affiliations = {
        user_id: {affiliation_key(a) for a in (text or "").splitlines() if a.strip()}
        for user_id, text in profiles
    }
    for entry_id, team_id, team_name in entries:
        team_members = members.get(team_id, [])
        member_ids = {user_id for user_id, _, _ in team_members}
        for judge_id in judge_ids:
            if judge_id in member_ids:
                found[(judge_id, entry_id)].append(f"is a member of {team_name}")
            for _, name, key in team_members:
                if key and key in affiliations.get(judge_id, set()):
                    found[(judge_id, entry_id)].append(f"shares an affiliation with {name}")
        for conflict in declared:
            if conflict.team_id == team_id:
                recused = conflict.source == "recused"
                word = "recused from" if recused else "declared a conflict with"
                found[(conflict.judge_id, entry_id)].append(f"{word} {team_name}")
            elif conflict.person_id is not None and conflict.person_id in member_ids:
                name = next(n for uid, n, _ in team_members if uid == conflict.person_id)
                found[(conflict.judge_id, entry_id)].append(
                    f"declared a conflict with {name} ({team_name})"
                )
    return dict(found)


def is_conflicted(event: Event, judge_id: int, submission_id: int) -> bool:
    return (judge_id, submission_id) in conflicts_of(event)
