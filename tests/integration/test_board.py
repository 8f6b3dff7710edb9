"""The looking-for-team board and join requests: entries, the skill filter, asking, and the
captain's answer, with the emails each side receives."""

import pytest

from eventhub.events import registration
from eventhub.events.queries import registration_of
from eventhub.extensions import db
from eventhub.teams.models import BoardEntry, JoinRequest, Team, TeamMembership
from tests.factories import make_event, make_team, make_user, register
from tests.integration.pages import page

ENTRY = {"looking": "y", "skills": "Python, Mapping", "interests": "transit", "line": "GIS nerd"}


def text(response) -> str:
    """The page's words as a person reads them: no tags, spaces collapsed."""
    return page(response).text


def registered(event, **fields):
    person = make_user(**fields)
    register(event, person)
    return person


def request_status(request_id) -> str:
    db.session.rollback()
    return db.session.get(JoinRequest, request_id).status


@pytest.fixture
def event(app):
    return make_event(slug="bus-jam", title="Bus Datajam", team_max_size=2)


def test_participant_puts_themselves_on_board_and_is_listed(client, login_as, event):
    login_as(registered(event, name="Ada Lovelace"))

    response = client.post("/events/bus-jam/board/me", data=ENTRY, follow_redirects=True)

    assert "Your board entry is saved." in text(response)
    people = text(response).split("People (1)")[1]
    assert "Ada Lovelace" in people and "GIS nerd" in people and "Skills: Python, Mapping" in people


def test_board_filters_people_and_teams_by_skill_ignoring_case(client, login_as, event):
    for name, skills in (("Ada", "Python, mapping"), ("Grace", "COBOL")):
        person = registered(event, name=name)
        db.session.add(BoardEntry(event_id=event.id, user_id=person.id, skills=skills))
    db.session.commit()
    make_team(event, registered(event), name="Mappers", needs_skills="MAPPING, design")
    make_team(event, registered(event), name="Coders", needs_skills="Rust")

    response = client.get("/events/bus-jam/board?skill=Mapp")

    page = text(response)
    assert "People (1)" in page and "Ada" in page and "Grace" not in page
    assert "Teams with room (1)" in page and "Mappers" in page and "Coders" not in page


def test_board_skill_filter_treats_percent_as_text(client, event):
    person = registered(event, name="Ada")
    db.session.add(BoardEntry(event_id=event.id, user_id=person.id, skills="Python"))
    db.session.commit()

    response = client.get("/events/bus-jam/board?skill=%25")

    assert "People (0)" in text(response)


def test_person_in_a_team_is_shown_as_such(client, login_as, event):
    person = registered(event, name="Ada")
    db.session.add(BoardEntry(event_id=event.id, user_id=person.id, skills="Python"))
    db.session.commit()
    make_team(event, registered(event), person, name="Mappers")

    response = client.get("/events/bus-jam/board")

    assert "(in team Mappers)" in text(response)


def test_joining_a_team_takes_person_off_looking(client, login_as, event):
    person = registered(event)
    db.session.add(BoardEntry(event_id=event.id, user_id=person.id, skills="Python"))
    db.session.commit()
    team = make_team(event, registered(event))
    login_as(person)

    client.post("/events/bus-jam/teams/join", data={"code": team.invite_code})

    db.session.rollback()
    assert db.session.scalar(db.select(BoardEntry.looking)) is False


def test_anyone_takes_themselves_off_the_board(client, login_as, event):
    person = make_user(name="Ada")  # no registration needed to leave
    db.session.add(BoardEntry(event_id=event.id, user_id=person.id, skills="Python"))
    db.session.commit()
    login_as(person)

    response = client.post("/events/bus-jam/board/me/remove", follow_redirects=True)

    assert "You are off the board." in text(response)
    assert "People (0)" in text(response)
    assert db.session.scalar(db.select(db.func.count(BoardEntry.id))) == 0


def test_unregistered_person_cannot_post_an_entry(client, login_as, event):
    login_as(make_user())

    response = client.post("/events/bus-jam/board/me", data=ENTRY)

    assert "Teams are for confirmed registrants." in text(response)
    assert db.session.scalar(db.select(db.func.count(BoardEntry.id))) == 0


def test_request_to_join_emails_the_captain(client, login_as, event, mail):
    captain = registered(event, email="cap@example.org")
    team = make_team(event, captain, name="Mappers")
    login_as(registered(event, name="Grace Hopper"))

    response = client.post(
        f"/events/bus-jam/teams/{team.id}/requests",
        data={"message": "I know GTFS."},
        follow_redirects=True,
    )

    assert "Your request is sent." in text(response)
    assert "The captain has not answered yet." in text(response)
    message = mail.wait_for(lambda m: m["To"] == "cap@example.org")
    assert message["Subject"] == "Grace Hopper asks to join Mappers"
    assert "I know GTFS." in message.get_content()
    assert f"http://localhost/events/bus-jam/teams/{team.id}" in message.get_content()


def test_asking_twice_is_refused_with_one_request_kept(client, login_as, event):
    team = make_team(event, registered(event), name="Mappers")
    login_as(registered(event))

    client.post(f"/events/bus-jam/teams/{team.id}/requests", data={"message": ""})
    again = client.post(
        f"/events/bus-jam/teams/{team.id}/requests", data={"message": ""}, follow_redirects=True
    )

    assert "You have already asked to join “Mappers”" in text(again)
    assert db.session.scalar(db.select(db.func.count(JoinRequest.id))) == 1


def test_captain_accepts_request_and_requester_is_told(client, login_as, event, mail):
    captain = registered(event)
    team = make_team(event, captain, name="Mappers")
    requester = registered(event, name="Grace Hopper", email="grace@example.org")
    login_as(requester)
    client.post(f"/events/bus-jam/teams/{team.id}/requests", data={"message": ""})
    request_id = db.session.scalar(db.select(JoinRequest.id))
    login_as(captain)

    page = client.get(f"/events/bus-jam/teams/{team.id}")
    response = client.post(
        f"/events/bus-jam/teams/{team.id}/requests/{request_id}/accept", follow_redirects=True
    )

    assert "Requests to join (1)" in text(page) and "Accept Grace Hopper" in text(page)
    assert "Grace Hopper joined the team." in text(response)
    assert request_status(request_id) == "accepted"
    message = mail.wait_for(lambda m: m["To"] == "grace@example.org")
    assert message["Subject"] == "You are in Mappers at Bus Datajam"
    assert db.session.get(Team, team.id).member_count == 2


def test_captain_declines_request_and_requester_is_told(client, login_as, event, mail):
    captain = registered(event)
    team = make_team(event, captain, name="Mappers")
    requester = registered(event, name="Grace Hopper", email="grace@example.org")
    found = JoinRequest(team_id=team.id, user_id=requester.id)
    db.session.add(found)
    db.session.commit()
    login_as(captain)

    response = client.post(
        f"/events/bus-jam/teams/{team.id}/requests/{found.id}/decline", follow_redirects=True
    )

    assert "Grace Hopper's request is declined." in text(response)
    assert request_status(found.id) == "declined"
    message = mail.wait_for(lambda m: m["To"] == "grace@example.org")
    assert message["Subject"] == "Mappers could not take you at Bus Datajam"
    assert "http://localhost/events/bus-jam/board" in message.get_content()


def test_accepting_into_a_full_team_is_refused_cleanly(client, login_as, event, mail):
    captain = registered(event)
    team = make_team(event, captain, name="Mappers")
    requester = registered(event)
    found = JoinRequest(team_id=team.id, user_id=requester.id)
    db.session.add(found)
    db.session.commit()
    login_as(registered(event))
    client.post("/events/bus-jam/teams/join", data={"code": team.invite_code})  # last seat
    mail.clear()
    login_as(captain)

    response = client.post(
        f"/events/bus-jam/teams/{team.id}/requests/{found.id}/accept", follow_redirects=True
    )

    assert "“Mappers” is full: teams in this event have at most 2 members." in text(response)
    assert request_status(found.id) == "pending"
    assert db.session.get(Team, team.id).member_count == 2
    members = db.session.scalar(
        db.select(db.func.count(TeamMembership.id)).where(TeamMembership.left_at.is_(None))
    )
    assert members == 2 and mail.messages == []


def test_only_the_captain_answers_requests(client, login_as, event):
    captain, member = registered(event), registered(event)
    team = make_team(event, captain)
    found = JoinRequest(team_id=team.id, user_id=registered(event).id)
    db.session.add(found)
    db.session.commit()
    login_as(member)

    response = client.post(
        f"/events/bus-jam/teams/{team.id}/requests/{found.id}/accept", follow_redirects=True
    )

    assert "Only the captain of" in text(response)
    assert request_status(found.id) == "pending"


def test_request_of_another_team_is_not_found(client, login_as, event):
    captain = registered(event)
    mine = make_team(event, captain)
    other = make_team(event, registered(event))
    found = JoinRequest(team_id=other.id, user_id=registered(event).id)
    db.session.add(found)
    db.session.commit()
    login_as(captain)

    response = client.post(f"/events/bus-jam/teams/{mine.id}/requests/{found.id}/accept")

    assert response.status_code == 404
    assert request_status(found.id) == "pending"


def test_accepting_someone_whose_registration_was_cancelled_is_refused(client, login_as, event):
    captain = registered(event)
    team = make_team(event, captain)
    requester = registered(event, name="Grace Hopper")
    found = JoinRequest(team_id=team.id, user_id=requester.id)
    db.session.add(found)
    db.session.commit()
    registration.cancel(registration_of(event, requester), actor=requester)
    db.session.commit()
    login_as(captain)

    response = client.post(
        f"/events/bus-jam/teams/{team.id}/requests/{found.id}/accept", follow_redirects=True
    )

    assert "Grace Hopper has no confirmed registration, so cannot join a team." in text(response)
    assert request_status(found.id) == "pending"
