"""Sign-up by emailed link: the same answer whether or not the address is taken, the account
made only when the link is followed, and limits per address and per client."""

import re

import pytest

from eventhub.accounts.models import PendingSignup, User
from eventhub.extensions import db
from tests.factories import make_user
from tests.integration.pages import field_error, page, signup_link

STRONG = "ledger quartz meadow 1987"
EXPIRED = "This sign-up link has expired or was already used. Sign up again."


def _users() -> int:
    db.session.rollback()
    return db.session.scalar(db.select(db.func.count(User.id)))


def _signed_in_as(client) -> str | None:
    response = client.get("/account")
    if response.status_code == 302:
        return None
    return re.search(r"Signed in as (\S+?)\.(?=\s|$)", page(response).text).group(1)


def _sign_up(client, email: str, *, name: str = "Grace Hopper", address: str = "10.0.0.1"):
    return client.post(
        "/signup",
        data={"name": name, "email": email, "password": STRONG, "confirm": STRONG},
        environ_overrides={"REMOTE_ADDR": address},
    )


def test_signup_mails_a_link_that_makes_the_account_and_signs_in(client, mail):
    sent = _sign_up(client, "Grace@Example.org")
    told = client.get(sent.headers["Location"])
    users_before_link = _users()
    message = mail.wait_for(lambda m: m["To"] == "grace@example.org")
    path = signup_link(mail, "grace@example.org")
    opened = client.get(path)

    finished = client.post(path)
    welcomed = client.get(finished.headers["Location"])

    assert sent.status_code == 302 and sent.headers["Location"] == "/signup/sent"
    assert "Check your email" in page(told).text
    assert users_before_link == 0
    assert message["Subject"] == "Finish creating your EventHub account"
    assert "within 24 hours" in message.get_content()
    assert "Create my account" in page(opened).text
    assert not page(opened).all("input", type="password")  # the same browser: one press
    assert finished.status_code == 302 and finished.headers["Location"] == "/events"
    assert _signed_in_as(client) == "grace@example.org"
    assert "Welcome to EventHub. Your account is ready." in page(welcomed).text
    assert _users() == 1


def test_signup_with_a_taken_address_answers_the_same_and_mails_the_owner(app, mail):
    make_user(email="grace@example.org", name="Grace Hopper")
    taken_client, free_client = app.test_client(), app.test_client()

    taken = _sign_up(taken_client, "GRACE@Example.org", name="Someone Else")
    free = _sign_up(free_client, "ada@example.org", name="Ada Lovelace")

    assert (taken.status_code, taken.headers["Location"]) == (302, "/signup/sent")
    assert (free.status_code, free.headers["Location"]) == (302, "/signup/sent")
    assert taken.get_data() == free.get_data()
    assert page(taken_client.get("/signup/sent")).text == page(free_client.get("/signup/sent")).text
    owner = mail.wait_for(lambda m: m["To"] == "grace@example.org")
    assert owner["Subject"] == "You already have an EventHub account"
    body = owner.get_content()
    assert "Hello Grace Hopper" in body and "it already has one" in body
    assert "http://localhost/login" in body and "http://localhost/reset" in body
    assert "/signup/confirm/" not in body
    assert mail.wait_for(lambda m: m["To"] == "ada@example.org")
    assert _users() == 1
    assert _signed_in_as(taken_client) is None


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short pass", "Use at least 12 characters."),
        ("password1234", "Choose a less guessable password."),
        ("aaaaaaaaaaaa", "Choose a less guessable password."),
        ("qwertyuiop12", "Choose a less guessable password."),
    ],
)
def test_signup_with_weak_password_shows_why_beside_the_field_and_sends_nothing(
    client, mail, password, message
):
    response = client.post(
        "/signup",
        data={
            "name": "Grace Hopper",
            "email": "grace@example.org",
            "password": password,
            "confirm": password,
        },
    )

    assert response.status_code == 200
    errors = field_error(response, "password")
    assert len(errors) == 1 and errors[0].startswith(message)
    assert _users() == 0
    assert mail.messages == []


def test_signup_with_password_built_from_own_name_is_refused(client):
    response = client.post(
        "/signup",
        data={
            "name": "Marguerite Hamilton",
            "email": "marguerite@example.org",
            "password": "margueritehamilton",
            "confirm": "margueritehamilton",
        },
    )

    assert field_error(response, "password")[0].startswith("Choose a less guessable password.")


def test_signup_with_mismatched_repeat_is_refused_beside_repeat(client):
    response = client.post(
        "/signup",
        data={
            "name": "Grace Hopper",
            "email": "grace@example.org",
            "password": STRONG,
            "confirm": STRONG + "x",
        },
    )

    assert field_error(response, "confirm") == ["The two passwords are not the same."]


def test_link_opened_in_another_browser_asks_for_the_chosen_password(app, client, mail):
    _sign_up(client, "grace@example.org")
    path = signup_link(mail, "grace@example.org")
    elsewhere = app.test_client()  # the owner's phone, or whoever reads the mailbox

    opened = elsewhere.get(path)
    without = elsewhere.post(path, data={})
    wrong = elsewhere.post(path, data={"password": "not the one at all"})
    right = elsewhere.post(path, data={"password": STRONG})

    assert page(opened).all("input", type="password")
    assert field_error(without, "password") == ["Enter the password you chose when you signed up."]
    assert field_error(wrong, "password") == [
        "That is not the password you chose when you signed up."
    ]
    assert right.status_code == 302
    assert _signed_in_as(elsewhere) == "grace@example.org"
    assert _users() == 1


def test_link_works_once_and_not_after_24_hours(app, client, mail, clock):
    _sign_up(client, "grace@example.org")
    used = signup_link(mail, "grace@example.org")
    client.post(used)
    late_client = app.test_client()
    _sign_up(late_client, "ada@example.org")
    late = signup_link(mail, "ada@example.org")
    clock.advance(hours=24, minutes=1)

    again = app.test_client().get(used, follow_redirects=True)
    expired = late_client.post(late, follow_redirects=True)

    assert EXPIRED in again.text
    assert EXPIRED in expired.text
    assert _users() == 1


def test_link_for_an_address_taken_meanwhile_makes_no_second_account(client, mail):
    _sign_up(client, "grace@example.org")
    path = signup_link(mail, "grace@example.org")
    make_user(email="grace@example.org")

    response = client.post(path)

    assert response.status_code == 200
    assert "An account with this email already exists." in page(response).text
    assert _users() == 1


def test_a_second_signup_for_an_address_replaces_the_first(client, mail):
    _sign_up(client, "grace@example.org")
    first = signup_link(mail, "grace@example.org")
    mail.clear()
    _sign_up(client, "grace@example.org", name="Grace B. Hopper")
    second = signup_link(mail, "grace@example.org")

    assert EXPIRED in client.get(first, follow_redirects=True).text
    assert client.post(second).status_code == 302
    db.session.rollback()
    assert db.session.scalar(db.select(User.name)) == "Grace B. Hopper"
    assert db.session.scalar(db.select(db.func.count(PendingSignup.id))) == 0


def test_signup_goes_back_to_the_page_it_came_from(client, mail):
    client.post(
        "/signup?next=/events/some-event",
        data={
            "name": "Grace Hopper",
            "email": "grace@example.org",
            "password": STRONG,
            "confirm": STRONG,
        },
    )

    finished = client.post(signup_link(mail, "grace@example.org"))

    assert finished.headers["Location"] == "/events/some-event"


# --- limits: the limiter keeps its own wall-clock window; these show the refusal --------


def test_sixth_signup_for_one_address_within_an_hour_is_refused_from_any_client(app, mail):
    answers = [
        _sign_up(app.test_client(), "grace@example.org", address=f"10.0.0.{n}").status_code
        for n in range(6)
    ]
    other = _sign_up(app.test_client(), "ada@example.org", address="10.0.0.99")

    assert answers == [302] * 5 + [429]
    refused = _sign_up(app.test_client(), "grace@example.org", address="10.0.0.50")
    assert "Too many attempts. Wait an hour and try again." in refused.text
    assert other.status_code == 302


def test_sixth_signup_for_a_taken_address_is_refused_the_same_way(app, mail):
    make_user(email="grace@example.org")

    answers = [
        _sign_up(app.test_client(), "grace@example.org", address=f"10.0.0.{n}").status_code
        for n in range(6)
    ]

    assert answers == [302] * 5 + [429]


@pytest.mark.parametrize("config_overrides", [{"SIGNUP_CLIENT_RATE_LIMIT": "3 per hour"}])
def test_signups_from_one_client_are_limited_whatever_the_address(app, client, mail):
    answers = [_sign_up(client, f"p{n}@example.org").status_code for n in range(4)]
    elsewhere = _sign_up(app.test_client(), "q@example.org", address="10.0.0.2")

    assert answers == [302] * 3 + [429]
    assert "Too many attempts" in _sign_up(client, "r@example.org").text
    assert elsewhere.status_code == 302
