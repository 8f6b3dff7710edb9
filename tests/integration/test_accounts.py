"""Accounts through their pages: sign in and out, profile, password, sessions, rights.

Sign-up has its own module, test_signup.py."""

import re

from eventhub.accounts.models import User
from eventhub.extensions import db
from tests.factories import PASSWORD, make_admin, make_user
from tests.integration.pages import field_error, page

STRONG = "ledger quartz meadow 1987"


def _users() -> int:
    db.session.rollback()
    return db.session.scalar(db.select(db.func.count(User.id)))


def _signed_in_as(client) -> str | None:
    """Whose account page the client sees, or None when it is sent to sign in."""
    response = client.get("/account")
    if response.status_code == 302:
        assert response.headers["Location"].startswith("/login")
        return None
    return re.search(r"Signed in as (\S+?)\.(?=\s|$)", page(response).text).group(1)


def test_login_with_right_password_signs_in_and_goes_to_events(client):
    make_user(email="ada@example.org")

    response = client.post("/login", data={"email": "ADA@example.org", "password": PASSWORD})

    assert response.status_code == 302 and response.headers["Location"] == "/events"
    assert _signed_in_as(client) == "ada@example.org"


def test_login_with_wrong_password_stays_signed_out(client):
    make_user(email="ada@example.org")

    response = client.post("/login", data={"email": "ada@example.org", "password": "not it at all"})

    assert response.status_code == 200
    assert "That email and password do not match an account." in response.text
    assert _signed_in_as(client) is None


def test_login_answers_the_same_for_unknown_email_and_wrong_password(client):
    make_user(email="known@example.org")

    known = client.post("/login", data={"email": "known@example.org", "password": "wrong 1"})
    unknown = client.post("/login", data={"email": "nobody@example.org", "password": "wrong 1"})

    assert known.status_code == unknown.status_code == 200
    # Only the echo of what was typed into the form may differ.
    assert known.text.replace("known@example.org", "EMAIL") == unknown.text.replace(
        "nobody@example.org", "EMAIL"
    )


def test_login_sends_a_signed_out_visitor_back_to_the_page_they_asked_for(client):
    make_admin(email="admin@example.org")
    asked = client.get("/admin/users?q=ada")
    assert asked.status_code == 302
    login_path = asked.headers["Location"]

    response = client.post(login_path, data={"email": "admin@example.org", "password": PASSWORD})

    assert response.headers["Location"] == "/admin/users?q=ada"


def test_logout_signs_out_every_session_of_the_account(app, client, login_as):
    user = make_user(email="ada@example.org")
    phone = login_as(user, on=app.test_client())
    login_as(user)

    response = client.post("/logout")

    assert response.status_code == 302
    assert _signed_in_as(client) is None
    assert _signed_in_as(phone) is None


def test_logout_leaves_other_accounts_signed_in(app, client, login_as):
    other = login_as(make_user(email="other@example.org"), on=app.test_client())
    login_as(make_user(email="ada@example.org"))

    client.post("/logout")

    assert _signed_in_as(other) == "other@example.org"


def test_password_change_keeps_this_session_and_ends_the_others(app, client, login_as):
    user = make_user(email="ada@example.org")
    phone = login_as(user, on=app.test_client())
    login_as(user)

    response = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": STRONG, "confirm": STRONG},
    )

    assert response.status_code == 302
    assert _signed_in_as(client) == "ada@example.org"
    assert _signed_in_as(phone) is None
    fresh = app.test_client()
    signed_in = fresh.post("/login", data={"email": "ada@example.org", "password": STRONG})
    assert signed_in.status_code == 302


def test_password_change_with_wrong_current_password_changes_nothing(app, client, login_as):
    user = make_user(email="ada@example.org")
    original = user.password_hash
    phone = login_as(user, on=app.test_client())
    login_as(user)

    response = client.post(
        "/account/password",
        data={"current_password": "not my password", "password": STRONG, "confirm": STRONG},
    )

    assert field_error(response, "current_password") == ["Your current password is not right."]
    db.session.rollback()
    assert db.session.get(User, user.id).password_hash == original
    assert _signed_in_as(phone) == "ada@example.org"


def test_password_change_to_a_guessable_password_is_refused(client, login_as):
    user = make_user(email="ada@example.org")
    original = user.password_hash
    login_as(user)

    response = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": "password1234", "confirm": "password1234"},
    )

    assert field_error(response, "password")[0].startswith("Choose a less guessable password.")
    db.session.rollback()
    assert db.session.get(User, user.id).password_hash == original


def test_profile_edit_saves_name_affiliation_bio_and_skills(client, login_as):
    login_as(make_user(email="ada@example.org", name="Ada"))

    response = client.post(
        "/account",
        data={
            "name": "Ada Lovelace",
            "affiliation": "Analytical Engines Ltd",
            "bio": "I write programs for machines that do not exist yet.",
            "skills": " Python ,  mathematics,, policy ",
        },
    )

    assert response.status_code == 302
    shown = page(client.get("/account"))
    assert shown.value("name") == "Ada Lovelace"
    assert shown.value("affiliation") == "Analytical Engines Ltd"
    assert shown.value("bio") == "I write programs for machines that do not exist yet."
    assert shown.value("skills") == "Python, mathematics, policy"
    db.session.rollback()
    assert db.session.scalar(db.select(User).where(User.email == "ada@example.org")).skill_list == [
        "Python",
        "mathematics",
        "policy",
    ]


def test_profile_edit_without_a_name_is_refused_beside_name(client, login_as):
    login_as(make_user(email="ada@example.org", name="Ada"))

    response = client.post(
        "/account", data={"name": "  ", "affiliation": "Somewhere", "bio": "", "skills": ""}
    )

    assert field_error(response, "name") == ["Enter your name."]
    db.session.rollback()
    stored = db.session.scalar(db.select(User).where(User.email == "ada@example.org"))
    assert (stored.name, stored.affiliation) == ("Ada", "")


def test_create_admin_promotes_an_existing_account(app, client, login_as):
    user = make_user(email="ada@example.org")

    result = app.test_cli_runner().invoke(args=["create-admin", "ADA@example.org"])

    assert result.exit_code == 0, result.output
    assert "Promoted ada@example.org" in result.output
    login_as(user)
    assert client.get("/admin/users").status_code == 200
    assert client.get("/events/new").status_code == 200


def test_create_admin_with_password_creates_an_account_that_can_sign_in(app, client):
    result = app.test_cli_runner().invoke(
        args=["create-admin", "root@example.org", "--name", "Rosa Root", "--password", STRONG]
    )

    assert result.exit_code == 0, result.output
    assert "Created root@example.org" in result.output
    client.post("/login", data={"email": "root@example.org", "password": STRONG})
    assert client.get("/admin/users").status_code == 200


def test_create_admin_refuses_a_guessable_password_and_creates_nothing(app):
    result = app.test_cli_runner().invoke(
        args=["create-admin", "root@example.org", "--password", "password1234"]
    )

    assert result.exit_code != 0
    assert "Choose a less guessable password." in result.output
    assert _users() == 0


def test_admin_grants_and_removes_the_right_to_organize(app, client, login_as):
    person = make_user(name="Pat Person")
    person_client = login_as(person, on=app.test_client())
    login_as(make_admin())
    assert person_client.get("/events/new").status_code == 403

    granted = client.post(
        f"/admin/users/{person.id}/organizer", data={"allowed": "1"}, follow_redirects=True
    )

    assert "Pat Person may now organize events." in granted.text
    assert person_client.get("/events/new").status_code == 200

    removed = client.post(
        f"/admin/users/{person.id}/organizer", data={"allowed": "0"}, follow_redirects=True
    )

    assert "Pat Person may no longer organize events." in removed.text
    assert person_client.get("/events/new").status_code == 403


def test_admin_organizer_right_for_unknown_person_is_not_found(client, login_as):
    login_as(make_admin())

    assert client.post("/admin/users/9999/organizer", data={"allowed": "1"}).status_code == 404
