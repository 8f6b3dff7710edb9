"""20 registered people press Join for a team's last seat at the same moment, on a real
gunicorn: the conditional UPDATE on teams.member_count lets exactly one in.

Bounded: 20 requests to 127.0.0.1, each with a 30 s timeout; the server stops at the end.
"""

from datetime import UTC, datetime, timedelta

import pytest

from eventhub.extensions import db
from eventhub.teams.models import Team, TeamMembership
from tests.factories import make_event, make_team, make_user, register
from tests.load.http import press_together, server_env
from tests.support.server import running_gunicorn

pytestmark = pytest.mark.load
PEOPLE = 20
MAX_SIZE = 3


def test_last_seat_of_a_team_goes_to_exactly_one_of_twenty_concurrent_joins(app, database_url):
    event = make_event(team_max_size=MAX_SIZE, start=datetime.now(UTC) + timedelta(days=7))
    captain, member = make_user(), make_user()
    for person in (captain, member):
        register(event, person)
    team = make_team(event, captain, member)  # one seat left
    code, path = team.invite_code, f"/events/{event.slug}/teams"
    people = [make_user() for _ in range(PEOPLE)]
    for person in people:
        register(event, person)
    with running_gunicorn(server_env(database_url), workers=4, threads=4) as base_url:
        answers = press_together(base_url, people, path, f"{path}/join", {"code": code})
    statuses = [status for status, _ in answers]
    pages = [body for _, body in answers]

    # Every press answered, none with a 500: one redirect to the team, the rest the page again
    # with the refusal on it.
    assert len(statuses) == PEOPLE
    assert sorted(statuses) == [200] * (PEOPLE - 1) + [302]
    refused = [body for status, body in zip(statuses, pages, strict=True) if status == 200]
    assert all("is full: teams in this event have at most 3 members" in b for b in refused)
    db.session.rollback()
    current = db.session.scalars(
        db.select(TeamMembership).where(
            TeamMembership.team_id == team.id, TeamMembership.left_at.is_(None)
        )
    ).all()
    assert len(current) == MAX_SIZE
    assert len({m.user_id for m in current} & {p.id for p in people}) == 1
    assert db.session.get(Team, team.id).member_count == MAX_SIZE


def test_everyone_leaving_a_team_with_a_submission_at_once_leaves_one_member(app, database_url):
    """The last member may not leave a team with a submission; when all ten press Leave at
    the same moment, the seat count decides who is last, so exactly one stays."""
    from tests.factories import make_submission

    event = make_event(team_max_size=10, start=datetime.now(UTC) + timedelta(days=7))
    people = [make_user() for _ in range(10)]
    for person in people:
        register(event, person)
    team = make_team(event, *people)
    make_submission(team)
    path = f"/events/{event.slug}/teams/{team.id}"
    with running_gunicorn(server_env(database_url), workers=4, threads=4) as base_url:
        answers = press_together(base_url, people, path, f"{path}/leave")
    statuses = [status for status, _ in answers]

    assert sorted(statuses) == [302] * len(people)  # answered with a redirect, no 500
    db.session.rollback()
    current = db.session.scalars(
        db.select(TeamMembership).where(
            TeamMembership.team_id == team.id, TeamMembership.left_at.is_(None)
        )
    ).all()
    stored = db.session.get(Team, team.id)
    assert len(current) == 1 and stored.member_count == 1
    assert stored.dissolved_at is None and stored.captain_id == current[0].user_id
