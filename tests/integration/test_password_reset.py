"""Password reset: an emailed link that works once, for 30 minutes, and says nothing about
which emails have accounts."""

import logging
import re

import pytest

from eventhub.accounts.models import User
from eventhub.extensions import db
from tests.factories import PASSWORD, make_user
from tests.integration.pages import field_error, without_csrf

NEW = "lantern orchard pivot 2031"
EXPIRED = "This reset link has expired or was already used. Ask for a new one."


def _link_path(message) -> str:
    link = re.search(r"(http://\S+/reset/\S+)", message.get_content()).group(1)
    assert link.startswith("http://localhost/reset/")  # BASE_URL, not the request's host
    return link.removeprefix("http://localhost")


def _ask_for_link(client, mail, email: str) -> str:
    client.post("/reset", data={"email": email})
    return _link_path(mail.wait_for(lambda m: m["To"] == email))


def _hash_of(user) -> str:
    """The stored hash now (``user`` is reloaded too: keep earlier values in variables)."""
    db.session.rollback()
    return db.session.get(User, user.id).password_hash


def _can_sign_in(app, email: str, password: str) -> bool:
    response = app.test_client().post("/login", data={"email": email, "password": password})
    return response.status_code == 302


def test_reset_email_arrives_with_a_link_that_sets_a_new_password(app, client, mail):
    make_user(email="ada@example.org", name="Ada Lovelace")

    asked = client.post("/reset", data={"email": "ada@example.org"}, follow_redirects=True)

    assert "a reset link is on its way" in asked.text
    message = mail.wait_for(lambda m: m["To"] == "ada@example.org")
    assert message["Subject"] == "Reset your EventHub password"
    assert "Hello Ada Lovelace" in message.get_content()
    assert "within 30 minutes" in message.get_content()
    path = _link_path(message)
    assert client.get(path).status_code == 200

    done = client.post(path, data={"password": NEW, "confirm": NEW})

    assert done.status_code == 302 and done.headers["Location"] == "/login"
    assert _can_sign_in(app, "ada@example.org", NEW)
    assert not _can_sign_in(app, "ada@example.org", PASSWORD)


def test_reset_link_still_works_after_29_minutes(client, mail, clock):
    user = make_user(email="ada@example.org")
    original = _hash_of(user)
    path = _ask_for_link(client, mail, "ada@example.org")
    clock.advance(minutes=29)

    response = client.post(path, data={"password": NEW, "confirm": NEW})

    assert response.headers["Location"] == "/login"
    assert _hash_of(user) != original


def test_reset_link_has_expired_after_31_minutes(client, mail, clock):
    user = make_user(email="ada@example.org")
    original = _hash_of(user)
    path = _ask_for_link(client, mail, "ada@example.org")
    clock.advance(minutes=31)

    opened = client.get(path, follow_redirects=True)
    sent = client.post(path, data={"password": NEW, "confirm": NEW})

    assert EXPIRED in opened.text
    assert sent.status_code == 302 and sent.headers["Location"] == "/reset"
    assert _hash_of(user) == original


def test_reset_link_works_only_once(app, client, mail):
    user = make_user(email="ada@example.org")
    path = _ask_for_link(client, mail, "ada@example.org")
    client.post(path, data={"password": NEW, "confirm": NEW})
    after_first = _hash_of(user)

    second = "second try " + NEW
    again = client.post(path, data={"password": second, "confirm": second}, follow_redirects=True)

    assert EXPIRED in again.text
    assert _hash_of(user) == after_first
    assert _can_sign_in(app, "ada@example.org", NEW)


def test_reset_with_a_made_up_token_is_refused(client):
    response = client.get("/reset/not-a-real-token", follow_redirects=True)

    assert EXPIRED in response.text


def test_reset_to_a_guessable_password_is_refused_and_the_link_stays_usable(client, mail):
    user = make_user(email="ada@example.org")
    original = _hash_of(user)
    path = _ask_for_link(client, mail, "ada@example.org")

    weak = client.post(path, data={"password": "password1234", "confirm": "password1234"})

    assert field_error(weak, "password")[0].startswith("Choose a less guessable password.")
    assert _hash_of(user) == original
    assert client.post(path, data={"password": NEW, "confirm": NEW}).status_code == 302


def test_reset_ends_every_signed_in_session(app, client, mail, login_as):
    user = make_user(email="ada@example.org")
    laptop = login_as(user, on=app.test_client())
    path = _ask_for_link(client, mail, "ada@example.org")

    client.post(path, data={"password": NEW, "confirm": NEW})

    assert laptop.get("/account").headers["Location"].startswith("/login")


def test_reset_request_answers_the_same_for_known_and_unknown_emails(client, mail):
    make_user(email="known@example.org")

    known = client.post("/reset", data={"email": "known@example.org"})
    known_page = client.get(known.headers["Location"])
    unknown = client.post("/reset", data={"email": "nobody@example.org"})
    unknown_page = client.get(unknown.headers["Location"])

    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    assert without_csrf(known_page.text) == without_csrf(unknown_page.text)
    mail.wait_for(lambda m: m["To"] == "known@example.org")
    assert [m["To"] for m in mail.messages] == ["known@example.org"]


@pytest.mark.parametrize("config_overrides", [{"MAIL_SERVER": ""}])
def test_reset_email_goes_to_the_log_when_no_mail_server_is_set(client, mail, caplog):
    make_user(email="ada@example.org")

    with caplog.at_level(logging.INFO, logger="eventhub.mail"):
        client.post("/reset", data={"email": "ada@example.org"})

    logged = "\n".join(r.getMessage() for r in caplog.records if r.name == "eventhub.mail")
    assert "To: ada@example.org" in logged
    assert "Subject: Reset your EventHub password" in logged
    path = re.search(r"http://localhost(/reset/\S+)", logged).group(1)
    assert client.get(path).status_code == 200  # a local run can follow the logged link
    assert mail.messages == []


def _ask_for_links(client, mail, email: str, count: int) -> list[str]:
    for _ in range(count):
        client.post("/reset", data={"email": email})
    mail.wait_for(lambda m: len([x for x in mail.messages if x["To"] == email]) >= count)
    return [_link_path(m) for m in mail.messages if m["To"] == email]


def _link_works(app, path: str) -> bool:
    return app.test_client().get(path).status_code == 200


def test_using_one_reset_link_ends_every_other_link_of_the_account(app, client, mail):
    ada = make_user(email="ada@example.org")
    make_user(email="bob@example.org")
    first, second, third = _ask_for_links(client, mail, "ada@example.org", 3)
    bobs = _ask_for_link(client, mail, "bob@example.org")

    client.post(second, data={"password": NEW, "confirm": NEW})
    after_reset = _hash_of(ada)
    other = "another fresh phrase 2044"
    late = client.post(first, data={"password": other, "confirm": other}, follow_redirects=True)

    assert EXPIRED in late.text
    assert not _link_works(app, third)
    assert _hash_of(ada) == after_reset
    assert _can_sign_in(app, "ada@example.org", NEW)
    assert _link_works(app, bobs)  # another account's link is not touched


def test_changing_the_password_ends_every_outstanding_reset_link(app, client, mail, login_as):
    ada = make_user(email="ada@example.org")
    links = _ask_for_links(client, mail, "ada@example.org", 2)
    assert all(_link_works(app, path) for path in links)

    changed = login_as(ada, on=app.test_client()).post(
        "/account/password",
        data={"current_password": PASSWORD, "password": NEW, "confirm": NEW},
    )

    assert changed.status_code == 302
    assert [_link_works(app, path) for path in links] == [False, False]
    expired = client.post(links[0], data={"password": NEW, "confirm": NEW}, follow_redirects=True)
    assert EXPIRED in expired.text
