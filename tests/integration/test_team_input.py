"""Bad input to the team and board forms: each gets a message a person can act on, beside
its field where it has one, and nothing is saved."""

import pytest

from eventhub.extensions import db
from eventhub.forms import CONTROL_MESSAGE
from eventhub.teams.models import BoardEntry, JoinRequest, Team
from tests.factories import make_event, make_team, make_user, register
from tests.integration.pages import field_error, page


def registered(event, **fields):
    person = make_user(**fields)
    register(event, person)
    return person


def teams_count() -> int:
    db.session.rollback()
    return db.session.scalar(db.select(db.func.count(Team.id)))


@pytest.fixture
def event(app):
    return make_event(slug="input-jam", team_max_size=2)


@pytest.fixture
def participant(event, login_as):
    person = registered(event)
    login_as(person)
    return person


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Enter a name for the team."),
        ("   ", "Enter a name for the team."),
        ("A", "Use between 2 and 80 characters."),
        ("x" * 81, "Use between 2 and 80 characters."),
    ],
)
def test_team_name_out_of_shape_is_refused_beside_field(client, participant, name, message):
    response = client.post("/events/input-jam/teams", data={"name": name})

    assert field_error(response, "name") == [message]
    assert "Nothing was saved." in page(response).text
    assert teams_count() == 0


def test_team_name_taken_ignoring_case_and_spaces_is_refused(client, participant, event):
    make_team(event, registered(event), name="Bus Fans")

    response = client.post("/events/input-jam/teams", data={"name": "  bus   FANS "})

    assert field_error(response, "name") == [
        "Another team of this event already has this name. Choose another."
    ]
    assert teams_count() == 1


def test_team_name_of_another_event_is_free_here(client, participant):
    make_team(make_event(), make_user(), name="Bus Fans")

    response = client.post("/events/input-jam/teams", data={"name": "Bus Fans"})

    assert response.status_code == 302 and teams_count() == 2


def test_overlong_team_details_are_refused(client, participant):
    response = client.post(
        "/events/input-jam/teams",
        data={"name": "Ledger", "description": "x" * 501, "needs_skills": "y" * 301},
    )

    assert field_error(response, "description") == ["Use at most 500 characters."]
    assert field_error(response, "needs_skills") == ["Use at most 300 characters."]
    assert teams_count() == 0


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "Enter the invite code the team gave you."),
        ("x" * 33, "Use at most 32 characters."),
        ("no-such-code", "No team of this event has that invite code."),
    ],
)
def test_bad_invite_code_is_refused_beside_field(client, participant, code, message):
    response = client.post("/events/input-jam/teams/join", data={"code": code})

    assert response.status_code == 200
    assert field_error(response, "code")[0].startswith(message)


def test_invite_link_with_strange_code_is_a_clear_not_found(client, participant):
    for code in ("x" * 300, "'; drop table teams; --"):
        response = client.get(f"/events/input-jam/teams/join/{code}")
        assert response.status_code == 404
        assert "This invite link does not work" in page(response).text
    # A control character in any part of a path matches no route at all.
    response = client.get("/events/input-jam/teams/join/%00")
    assert response.status_code == 404
    assert "Page not found" in page(response).text


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Enter the email address to invite."),
        ("not an address", "Enter an email address like name@example.org."),
    ],
)
def test_bad_invitation_address_is_refused(client, login_as, event, mail, email, message):
    captain = registered(event)
    team = make_team(event, captain)
    login_as(captain)

    response = client.post(f"/events/input-jam/teams/{team.id}/invite", data={"email": email})

    assert field_error(response, "email") == [message]
    assert mail.messages == []


def test_invitation_to_a_full_team_is_refused(client, login_as, event, mail):
    captain = registered(event)
    team = make_team(event, captain, registered(event), name="Full")
    login_as(captain)

    response = client.post(
        f"/events/input-jam/teams/{team.id}/invite", data={"email": "new@example.org"}
    )

    # The page no longer offers the form (the team filled up meanwhile), and says why.
    refusal = page(response).by_id("invite-refusal")[0].text
    assert refusal == "“Full” is full (2 members): nobody more can join."
    assert mail.messages == []


@pytest.mark.parametrize("member", ["", "abc", "999999", "-1", "9" * 40])
def test_captaincy_to_someone_not_in_the_team_is_refused(client, login_as, event, member):
    captain = registered(event)
    team = make_team(event, captain, registered(event))
    login_as(captain)

    response = client.post(f"/events/input-jam/teams/{team.id}/captain", data={"member": member})

    assert field_error(response, "member") == ["Choose one of the team's members."]
    db.session.rollback()
    assert db.session.get(Team, team.id).captain_id == captain.id


def test_removing_someone_not_in_the_team_is_refused(client, login_as, event):
    captain = registered(event)
    team = make_team(event, captain)
    login_as(captain)

    response = client.post(
        f"/events/input-jam/teams/{team.id}/members/{make_user().id}/remove",
        follow_redirects=True,
    )

    assert "That person is not in this team." in page(response).text


def test_captain_removing_themselves_is_pointed_to_leave(client, login_as, event):
    captain = registered(event)
    team = make_team(event, captain)
    login_as(captain)

    response = client.post(
        f"/events/input-jam/teams/{team.id}/members/{captain.id}/remove", follow_redirects=True
    )

    assert "use “Leave the team”" in page(response).text


def test_team_id_that_is_not_a_number_is_not_found(client, participant):
    assert client.get("/events/input-jam/teams/abc").status_code == 404
    assert client.get("/events/input-jam/teams/99999").status_code == 404


def test_overlong_board_entry_is_refused(client, participant):
    response = client.post(
        "/events/input-jam/board/me",
        data={"looking": "y", "skills": "s" * 301, "interests": "i" * 301, "line": "l" * 201},
    )

    assert field_error(response, "skills") == ["Use at most 300 characters."]
    assert field_error(response, "interests") == ["Use at most 300 characters."]
    assert field_error(response, "line") == ["Use at most 200 characters."]
    assert db.session.scalar(db.select(db.func.count(BoardEntry.id))) == 0


def test_overlong_or_odd_skill_filter_still_answers(client, event):
    for skill in ("x" * 5000, "%_\\", "Ünïcödé", "\x01"):
        response = client.get("/events/input-jam/board", query_string={"skill": skill})
        assert response.status_code == 200
        assert "People (0)" in page(response).text
    # A NUL in any query string is refused before a view reads it, with a plain reason.
    response = client.get("/events/input-jam/board", query_string={"skill": "\x00"})
    assert response.status_code == 400
    assert "The address holds a NUL character." in page(response).text


def test_overlong_join_request_message_is_refused(client, participant, event):
    team = make_team(event, registered(event))

    response = client.post(
        f"/events/input-jam/teams/{team.id}/requests", data={"message": "m" * 1001}
    )

    assert field_error(response, "message") == ["Use at most 1000 characters."]
    assert db.session.scalar(db.select(db.func.count(JoinRequest.id))) == 0


def test_taking_yourself_off_a_board_you_are_not_on_says_so(client, participant):
    response = client.post("/events/input-jam/board/me/remove", follow_redirects=True)

    assert "You are not on the board." in page(response).text


def test_control_characters_in_team_fields_are_refused_beside_each_field(client, participant):
    response = client.post(
        "/events/input-jam/teams",
        data={"name": "Led\x00ger", "description": "line one\nline\x00 two"},
    )

    assert field_error(response, "name") == [CONTROL_MESSAGE]
    assert field_error(response, "description") == [CONTROL_MESSAGE]
    assert page(response).value("name") == "Ledger"  # shown again without them
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(Team)) == 0


def test_control_characters_in_a_code_find_nothing(client, participant):
    response = client.post("/events/input-jam/teams/join", data={"code": "\x00"})

    assert field_error(response, "code") == [
        f"{CONTROL_MESSAGE} Enter the invite code the team gave you."
    ]


def test_invitations_are_limited_per_person(client, login_as, event, mail, app):
    app.config["INVITE_RATE_LIMIT"] = "2 per hour"
    captain = registered(event)
    team = make_team(event, captain)
    login_as(captain)

    answers = [
        client.post(
            f"/events/input-jam/teams/{team.id}/invite", data={"email": f"p{n}@example.org"}
        ).status_code
        for n in range(3)
    ]

    assert answers == [302, 302, 429]
