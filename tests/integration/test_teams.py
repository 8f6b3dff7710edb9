"""Teams as participants form them: create, join by code or link, captain controls, leave,
move, dissolve, the formation deadline, and the organizer's overview and CSV. Bad input is
in test_team_input.py; the board and join requests in test_board.py."""

from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from eventhub.extensions import db
from eventhub.teams.models import Team, TeamMembership
from tests.factories import (
    make_event,
    make_organizer,
    make_submission,
    make_team,
    make_user,
    register,
)
from tests.integration.pages import page


def text(response) -> str:
    """The page's words as a person reads them: no tags, spaces collapsed."""
    return page(response).text


def registered(event, **fields):
    person = make_user(**fields)
    register(event, person)
    return person


def team_row(team_id) -> Team:
    db.session.rollback()
    return db.session.get(Team, team_id)


def history(event, person) -> list[tuple[int, str]]:
    db.session.rollback()
    rows = db.session.scalars(
        db.select(TeamMembership)
        .where(TeamMembership.event_id == event.id, TeamMembership.user_id == person.id)
        .order_by(TeamMembership.id)
    )
    return [(m.team_id, m.left_how) for m in rows]


@pytest.fixture
def event(app):
    return make_event(slug="budget-jam", title="Budget Datajam", team_max_size=3)


def test_registrant_creates_team_and_becomes_its_captain(client, login_as, event):
    login_as(registered(event, name="Ada Lovelace"))

    response = client.post(
        "/events/budget-jam/teams",
        data={"name": "Open  Ledger", "description": "Follow the money", "needs_skills": "SQL"},
        follow_redirects=True,
    )

    assert "Team “Open Ledger” created. You are its captain." in text(response)
    assert "Ada Lovelace (captain)" in text(response)
    assert "1 of 3 members" in text(response)
    assert "You are in Open Ledger." in text(client.get("/events/budget-jam"))
    login_as(make_user())
    assert "Find a team" in text(client.get("/events/budget-jam"))


def test_person_without_confirmed_registration_cannot_create_team(client, login_as, event):
    login_as(make_user())

    response = client.post(
        "/events/budget-jam/teams", data={"name": "Ledger"}, follow_redirects=True
    )

    assert "Teams are for confirmed registrants. Register for the event first" in text(response)
    assert db.session.scalar(db.select(db.func.count(Team.id))) == 0


def test_member_joins_by_code_and_sees_invite_code_that_others_do_not(client, login_as, event):
    captain = registered(event)
    team = make_team(event, captain, name="Ledger")
    joiner = registered(event, name="Grace Hopper")
    login_as(joiner)

    response = client.post(
        "/events/budget-jam/teams/join", data={"code": team.invite_code}, follow_redirects=True
    )

    assert "You joined “Ledger”." in text(response)
    assert "Grace Hopper" in text(response) and team.invite_code in text(response)
    assert team_row(team.id).member_count == 2
    login_as(make_user())
    assert team.invite_code not in client.get(f"/events/budget-jam/teams/{team.id}").text


def test_invite_link_shows_confirmation_then_joins_on_post(client, login_as, event):
    team = make_team(event, registered(event), name="Ledger")
    login_as(registered(event))

    confirm = client.get(f"/events/budget-jam/teams/join/{team.invite_code}")
    after_get = team_row(team.id).member_count
    joined = client.post(f"/events/budget-jam/teams/join/{team.invite_code}", follow_redirects=True)

    assert confirm.status_code == 200 and "Join Ledger?" in text(confirm)
    assert after_get == 1  # the GET changed nothing
    assert "Welcome to the team." in text(joined)
    assert team_row(team.id).member_count == 2


def test_regenerated_code_replaces_the_old_one(client, login_as, event):
    captain = registered(event)
    team = make_team(event, captain, name="Ledger")
    old = team.invite_code
    login_as(captain)

    response = client.post(f"/events/budget-jam/teams/{team.id}/code", follow_redirects=True)
    new = team_row(team.id).invite_code
    login_as(registered(event))
    refused = client.post("/events/budget-jam/teams/join", data={"code": old})
    accepted = client.post("/events/budget-jam/teams/join", data={"code": new})

    assert "The old ones no longer work." in text(response) and new != old
    assert "No team of this event has that invite code." in text(refused)
    assert accepted.status_code == 302
    assert team_row(team.id).member_count == 2


def test_old_invite_link_is_a_clear_not_found_page(client, login_as, event):
    captain = registered(event)
    team = make_team(event, captain)
    old = team.invite_code
    login_as(captain)
    client.post(f"/events/budget-jam/teams/{team.id}/code")
    login_as(registered(event))

    response = client.get(f"/events/budget-jam/teams/join/{old}")

    assert response.status_code == 404
    assert "This invite link does not work" in text(response)


def test_captain_removes_member_who_keeps_history(client, login_as, event):
    captain, member = registered(event), registered(event, name="Milo Member")
    team = make_team(event, captain, member)
    login_as(captain)

    response = client.post(
        f"/events/budget-jam/teams/{team.id}/members/{member.id}/remove", follow_redirects=True
    )

    assert "The member is removed." in text(response)
    assert "Milo Member" not in text(response).split("Members")[1].split("Invite people")[0]
    assert history(event, member) == [(team.id, "removed")]
    assert team_row(team.id).member_count == 1


def test_member_who_is_not_captain_cannot_remove_anyone(client, login_as, event):
    captain, member = registered(event), registered(event)
    team = make_team(event, captain, member)
    login_as(member)

    response = client.post(
        f"/events/budget-jam/teams/{team.id}/members/{captain.id}/remove", follow_redirects=True
    )

    assert "Only the captain of" in text(response)
    assert team_row(team.id).member_count == 2


def test_captain_passes_captaincy_to_a_member(client, login_as, event):
    captain, member = registered(event), registered(event, name="Milo Member")
    team = make_team(event, captain, member)
    login_as(captain)

    response = client.post(
        f"/events/budget-jam/teams/{team.id}/captain",
        data={"member": member.id},
        follow_redirects=True,
    )

    assert "Milo Member is now the captain." in text(response)
    assert team_row(team.id).captain_id == member.id


def test_captain_leaving_passes_captaincy_to_longest_standing_member(
    client, login_as, event, clock
):
    captain, first, second = registered(event), registered(event), registered(event)
    team = make_team(event, captain, first, second)
    db.session.execute(  # first joined before second
        db.update(TeamMembership)
        .where(TeamMembership.user_id == second.id)
        .values(joined_at=clock() + timedelta(minutes=5))
    )
    db.session.commit()
    login_as(captain)

    response = client.post(f"/events/budget-jam/teams/{team.id}/leave", follow_redirects=True)

    assert "You left “" in text(response)
    assert team_row(team.id).captain_id == first.id
    assert history(event, captain) == [(team.id, "left")]


def test_last_member_leaving_dissolves_team_and_frees_its_name(client, login_as, event):
    captain = registered(event)
    team = make_team(event, captain, name="Ledger")
    login_as(captain)

    client.post(f"/events/budget-jam/teams/{team.id}/leave")
    again = client.post("/events/budget-jam/teams", data={"name": "ledger"})

    assert team_row(team.id).dissolved_at is not None
    assert client.get(f"/events/budget-jam/teams/{team.id}").status_code == 404
    assert again.status_code == 302
    assert history(event, captain)[0] == (team.id, "left")


def test_last_member_cannot_leave_a_team_with_a_submission(client, login_as, event):
    captain = registered(event)
    team = make_team(event, captain, name="Ledger")
    make_submission(team)
    login_as(captain)

    response = client.post(f"/events/budget-jam/teams/{team.id}/leave", follow_redirects=True)

    assert "You are the last member of “Ledger” and it has a project submission." in text(response)
    assert team_row(team.id).dissolved_at is None
    assert history(event, captain) == [(team.id, "")]


def test_joining_a_full_team_is_refused(client, login_as, event):
    team = make_team(event, registered(event), registered(event), registered(event), name="Full")
    login_as(registered(event))

    response = client.post(
        "/events/budget-jam/teams/join", data={"code": team.invite_code}, follow_redirects=True
    )

    assert "“Full” is full: teams in this event have at most 3 members." in text(response)
    assert team_row(team.id).member_count == 3


def test_moving_keeps_history_and_dissolves_the_emptied_team(client, login_as, event):
    mover = registered(event)
    old = make_team(event, mover, name="Old")
    new = make_team(event, registered(event), name="New")
    login_as(mover)

    response = client.post(
        "/events/budget-jam/teams/join", data={"code": new.invite_code}, follow_redirects=True
    )

    assert "You joined “New”." in text(response)
    assert history(event, mover) == [(old.id, "moved"), (new.id, "")]
    assert team_row(old.id).dissolved_at is not None
    assert team_row(new.id).member_count == 2


def test_captain_moving_passes_captaincy_on(client, login_as, event):
    captain, member = registered(event), registered(event)
    old = make_team(event, captain, member)
    new = make_team(event, registered(event))
    login_as(captain)

    client.post("/events/budget-jam/teams/join", data={"code": new.invite_code})

    assert team_row(old.id).captain_id == member.id
    assert team_row(old.id).member_count == 1


def test_after_formation_closes_changes_are_refused_with_time_in_event_zone(
    client, login_as, clock
):
    event = make_event(
        slug="late-jam", timezone="America/Los_Angeles", team_formation_closes_at=clock()
    )
    captain = registered(event)
    team = make_team(event, captain, name="Ledger")
    login_as(registered(event))

    join = client.post("/events/late-jam/teams/join", data={"code": team.invite_code})
    create = client.post("/events/late-jam/teams", data={"name": "Late"})
    login_as(captain)
    leave = client.post(f"/events/late-jam/teams/{team.id}/leave", follow_redirects=True)

    message = "Teams could be formed and changed until Mon, Mar 2, 2026, 7:00 AM PST"
    for response in (join, create, leave):
        assert message in text(response) and "(America/Los_Angeles)" in text(response)
    assert team_row(team.id).member_count == 1
    assert db.session.scalar(db.select(db.func.count(Team.id))) == 1


def test_team_of_another_event_is_not_found(client, login_as, event):
    other = make_event()
    team = make_team(other, make_user())

    assert client.get(f"/events/budget-jam/teams/{team.id}").status_code == 404
    login_as(make_user())
    assert client.post(f"/events/budget-jam/teams/{team.id}/leave").status_code == 404


def test_code_of_another_event_does_not_join_its_team(client, login_as, event):
    other_team = make_team(make_event(), make_user(), name="Elsewhere")
    login_as(registered(event))

    response = client.post("/events/budget-jam/teams/join", data={"code": other_team.invite_code})

    assert "No team of this event has that invite code." in text(response)
    assert "Elsewhere" not in text(response)
    assert team_row(other_team.id).member_count == 1


def test_captain_invites_by_email_and_link_in_mail_joins(client, login_as, event, mail):
    captain = registered(event, name="Ada Lovelace")
    team = make_team(event, captain, name="Ledger")
    invitee = registered(event, email="grace@example.org")
    login_as(captain)

    response = client.post(
        f"/events/budget-jam/teams/{team.id}/invite",
        data={"email": "grace@example.org"},
        follow_redirects=True,
    )
    message = mail.wait_for(lambda m: m["To"] == "grace@example.org")
    link = next(w for w in message.get_content().split() if "/teams/join/" in w)
    login_as(invitee)
    joined = client.post(link.replace("http://localhost", ""))

    assert "Invitation sent to grace@example.org." in text(response)
    assert message["Subject"] == "Ada Lovelace invites you to join Ledger at Budget Datajam"
    assert link == f"http://localhost/events/budget-jam/teams/join/{team.invite_code}"
    assert joined.status_code == 302 and team_row(team.id).member_count == 2


def test_database_allows_one_current_team_per_person(event):
    person = registered(event)
    make_team(event, person)
    second = make_team(event, registered(event))

    db.session.add(TeamMembership(team_id=second.id, event_id=event.id, user_id=person.id))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_organizer_sees_teams_and_downloads_csv_safe_for_spreadsheets(client, login_as):
    organizer = make_organizer()
    event = make_event(organizer=organizer, slug="org-jam")
    captain = registered(event, name="=cmd|calc")
    make_team(event, captain, registered(event, name="Milo Member"), name="@Ledger")
    login_as(organizer)

    page = client.get("/events/org-jam/manage/teams")
    csv = client.get("/events/org-jam/manage/teams.csv")

    assert "@Ledger" in text(page) and "Milo Member" in text(page)
    assert 'href="/events/org-jam/manage/teams"' in client.get("/events/org-jam").text
    assert 'attachment; filename="org-jam-teams.csv"' == csv.headers["Content-Disposition"]
    lines = csv.text.splitlines()
    assert lines[0].startswith("team,role,name,email,affiliation,looking,skills,joined")
    assert lines[1].startswith("'@Ledger,captain,'=cmd|calc,")
    assert lines[2].startswith("'@Ledger,member,Milo Member,")


def test_organizer_teams_page_is_not_for_participants(client, login_as, event):
    login_as(registered(event))

    assert client.get("/events/budget-jam/manage/teams").status_code == 403


def test_captain_says_what_the_team_needs(client, login_as, event):
    captain = registered(event)
    team = make_team(event, captain, name="Ledger")
    login_as(captain)

    response = client.post(
        f"/events/budget-jam/teams/{team.id}",
        data={"description": "Budget maps", "needs_skills": "D3, design"},
        follow_redirects=True,
    )

    assert "Team details saved." in text(response)
    assert "Skills needed: D3, design" in text(response)
    login_as(registered(event))
    refused = client.post(f"/events/budget-jam/teams/{team.id}", data={"needs_skills": "x"})
    assert "Only the captain of “Ledger” can do that." in text(refused)
    assert team_row(team.id).needs_skills == "D3, design"


def test_moving_out_of_a_team_with_a_submission_as_its_last_member_is_refused(
    client, login_as, event
):
    mover = registered(event)
    old = make_team(event, mover, name="Old")
    make_submission(old)
    new = make_team(event, registered(event), name="New")
    login_as(mover)

    response = client.post("/events/budget-jam/teams/join", data={"code": new.invite_code})

    assert "You are the last member of “Old” and it has a project submission." in text(response)
    assert history(event, mover) == [(old.id, "")]
    assert team_row(new.id).member_count == 1 and team_row(old.id).member_count == 1
