"""Every email the app sends is delivered with sound headers whatever the names in it hold.

Forms refuse line breaks in names, but rows made before that rule (or by an import) can hold
them, so the rows here are made with the factories. Each kind of email is sent through the
page that sends it, to the real SMTP sink; the sink's envelope shows where it really went.
"""

from __future__ import annotations

import logging

import pytest

from eventhub.enums import EventRoleKind
from eventhub.extensions import db
from eventhub.teams.models import JoinRequest
from tests.factories import (
    add_role,
    make_challenge,
    make_event,
    make_organizer,
    make_submission,
    make_team,
    make_user,
    register,
)

INJECTED = "Ada\r\nBcc: spy@example.net\nX-Injected: yes\r"
# Columns hold at most 80 (team name) to 200 (event title) characters; the long value
# fills each column with non-ASCII text that has no space to fold at, and the join request's
# message (the body) to the form's 1,000 characters.
LONG = "数据" * 100
NON_ASCII = "Zoë Ñandú “Bus” 🚌 Łódź"
VALUES = {"injected": INJECTED, "long": LONG, "non_ascii": NON_ASCII}
LIMITS = {"person": 120, "event": 200, "team": 80, "project": 120}
EXTRA_HEADERS = ("bcc", "x-injected", "cc")


def one_line(text: str) -> str:
    """The text as a single header line shows it: every run of line breaks and spaces one space."""
    return " ".join(text.split())


def fit(value: str, kind: str) -> str:
    return value[: LIMITS[kind]]


def send_every_kind_of_email(client, login_as, value: str) -> set[tuple[str, str]]:
    """Trigger each kind of email through its page; return (recipient, subject) of each."""
    person, title, team_name = fit(value, "person"), fit(value, "event"), fit(value, "team")
    organizer = make_organizer(name=person, email="organizer@example.org")
    event = make_event(organizer=organizer, title=title, slug="mail-jam", capacity=3)
    challenge = make_challenge(event)
    captain = make_user(name=person, email="captain@example.org")
    requester = make_user(name=person, email="requester@example.org")
    leaver, waiting = make_user(), make_user(name=person, email="waiting@example.org")
    for someone in (captain, requester, leaver, waiting):
        register(event, someone)
    team = make_team(event, captain, name=team_name)
    project = make_submission(team, challenge=challenge, title=fit(value, "project"))
    add_role(event, make_user(), EventRoleKind.JUDGE)
    base = f"/events/{event.slug}"

    login_as(organizer)
    client.post(f"{base}/manage/judging/judges", data={"emails": "judge@example.org"})
    client.post("/reset", data={"email": "captain@example.org"})
    login_as(leaver)
    client.post(f"{base}/registration/cancel")
    login_as(captain)
    client.post(f"{base}/teams/{team.id}/invite", data={"email": "invitee@example.org"})
    client.post(f"{base}/projects/{project.id}/submit")
    login_as(requester)
    client.post(f"{base}/teams/{team.id}/requests", data={"message": LONG * 5})
    login_as(captain)
    asked = db.session.scalar(db.select(JoinRequest).where(JoinRequest.user_id == requester.id))
    client.post(f"{base}/teams/{team.id}/requests/{asked.id}/accept")

    project_title = fit(value, "project")
    return {
        ("judge@example.org", f"{person} invites you to judge {title}"),
        ("captain@example.org", "Reset your EventHub password"),
        ("waiting@example.org", f"You have a place at {title}"),
        ("invitee@example.org", f"{person} invites you to join {team_name} at {title}"),
        ("captain@example.org", f"Project submitted: {project_title} · {title}"),
        ("captain@example.org", f"{person} asks to join {team_name}"),
        ("requester@example.org", f"You are in {team_name} at {title}"),
    }


@pytest.mark.parametrize("kind", VALUES)
def test_every_email_is_delivered_with_one_line_headers_whatever_the_names_hold(
    client, login_as, mail, kind
):
    sent = send_every_kind_of_email(client, login_as, VALUES[kind])

    for to, subject in sent:
        shown = one_line(subject)
        mail.wait_for(lambda m, to=to, shown=shown: (m["To"], m["Subject"]) == (to, shown))
    assert len(mail.messages) == len(sent)
    for message, envelope in zip(mail.messages, mail.envelopes, strict=True):
        assert envelope.rcpt_tos == [message["To"]]
        assert not any(message[name] for name in EXTRA_HEADERS), message.keys()
        assert "\n" not in message["Subject"] and "\r" not in message["Subject"]
        assert message.get_content()  # the body decodes


@pytest.mark.parametrize("stored", ["", "not-an-address", "zoë@example.org", "cap@exa mple.org"])
def test_a_request_whose_email_cannot_be_addressed_still_goes_through(
    client, login_as, mail, caplog, stored
):
    event = make_event(slug="mail-jam")
    captain, requester = make_user(email=stored), make_user(name="Grace Hopper")
    register(event, captain)
    register(event, requester)
    team = make_team(event, captain, name="Mappers")
    login_as(requester)

    with caplog.at_level(logging.WARNING, logger="eventhub.mail"):
        response = client.post(f"/events/mail-jam/teams/{team.id}/requests", data={"message": ""})

    assert response.status_code == 302
    assert db.session.scalar(db.select(db.func.count(JoinRequest.id))) == 1
    assert mail.messages == []
    assert "not a usable address" in caplog.text
