"""flask seed-demo: a first look at EventHub, with accounts that can sign in."""

import re

from eventhub.accounts.models import User
from eventhub.events.models import AgendaSession, Event, Registration
from eventhub.extensions import db


def _counts() -> dict[str, int]:
    db.session.rollback()
    return {
        model.__name__: db.session.scalar(db.select(db.func.count(model.id)))
        for model in (User, Event, AgendaSession, Registration)
    }


def _accounts(output: str) -> dict[str, tuple[str, str]]:
    """email -> (password, role), as the command prints them."""
    rows = re.findall(r"^\s+(\S+@\S+)\s+(\S+)\s+(\S+)\s*$", output, flags=re.MULTILINE)
    return {email: (password, role) for email, password, role in rows}


def test_seed_demo_prints_accounts_that_sign_in_through_the_login_form(app):
    """One test, because seeding hashes nine passwords: the accounts and the public event."""
    result = app.test_cli_runner().invoke(args=["seed-demo"])

    assert result.exit_code == 0, result.output
    accounts = _accounts(result.output)
    assert sorted(role for _, role in accounts.values()) == [
        "admin",
        "judge",
        "organizer",
        "participant",
    ]
    for email, (password, role) in accounts.items():
        client = app.test_client()
        signed_in = client.post("/login", data={"email": email, "password": password})
        assert signed_in.status_code == 302, f"{role} {email} could not sign in"
        assert email in client.get("/account").text
    assert "/events/health-datapalooza-demo" in result.output
    agenda = app.test_client().get("/events/health-datapalooza-demo/agenda")
    assert agenda.status_code == 200 and "Demo day: team presentations" in agenda.text


def test_seed_demo_if_empty_adds_nothing_the_second_time(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["seed-demo"])
    before = _counts()

    again = runner.invoke(args=["seed-demo", "--if-empty"])

    assert again.exit_code == 0, again.output
    assert "The database already has events; no demo data added." in again.output
    assert _counts() == before
    assert before["Event"] == 2 and before["User"] == 9
