"""Judges: invitations by email (the link, signing up or in through it, accepting once,
re-inviting, resending, revoking, the rate limit), a judge's affiliations and declared
conflicts, and the conflicts the organizer sees, derived ones flagged."""

import hashlib
import re

import pytest

from eventhub.accounts.models import User
from eventhub.core.models import AuditEntry
from eventhub.enums import EventRoleKind
from eventhub.events.models import EventRole
from eventhub.extensions import db
from eventhub.judging.models import JudgeConflict, JudgeInvitation, JudgeProfile
from tests.factories import (
    PASSWORD,
    add_role,
    make_event,
    make_judge,
    make_organizer,
    make_submission,
    make_team,
    make_user,
)
from tests.integration.pages import field_error, page, signup_link

BASE = "/events/budget-jam"
JUDGES = f"{BASE}/manage/judging/judges"
CONFLICTS = f"{BASE}/judging/conflicts"


@pytest.fixture
def config_overrides():
    return {"INVITE_RATE_LIMIT": "3 per hour"}


def _event():
    organizer = make_organizer(name="Olivia Organizer")
    event = make_event(organizer=organizer, slug="budget-jam", title="Budget Datajam")
    return organizer, event


def link_in(mail, to: str) -> str:
    """The invitation path from the email sent to ``to`` (the last one)."""
    mail.wait_for(lambda m: m["To"] == to)
    message = [m for m in mail.messages if m["To"] == to][-1]
    return re.search(r"http://localhost(/events/\S+)", message.get_content()).group(1)


def invitations():
    db.session.rollback()
    return db.session.scalars(db.select(JudgeInvitation).order_by(JudgeInvitation.id)).all()


def is_judge(event, user) -> bool:
    db.session.rollback()
    return (
        db.session.scalar(
            db.select(EventRole.id).where(
                EventRole.event_id == event.id,
                EventRole.user_id == user.id,
                EventRole.role == EventRoleKind.JUDGE.value,
            )
        )
        is not None
    )


def actions():
    db.session.rollback()
    return [a.action for a in db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id))]


# --- inviting ---------------------------------------------------------------------------


def test_invitation_email_carries_a_working_link_whose_token_is_stored_hashed(
    client, login_as, mail
):
    organizer, event = _event()
    login_as(organizer)

    response = client.post(JUDGES, data={"emails": "Ada.Judge@Example.org\n"})
    message = mail.wait_for(lambda m: m["To"] == "ada.judge@example.org")
    path = link_in(mail, "ada.judge@example.org")
    token = path.rsplit("/", 1)[1]
    opened = client.get(path)
    listed = client.get(JUDGES)

    assert response.headers["Location"] == JUDGES
    assert message["Subject"] == "Olivia Organizer invites you to judge Budget Datajam"
    assert path.startswith(f"{BASE}/judging/invitations/")
    assert opened.status_code == 200 and "Judge Budget Datajam" in page(opened).text
    [row] = invitations()
    assert row.email == "ada.judge@example.org" and row.invited_by_id == organizer.id
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest() != token
    assert "ada.judge@example.org, sent" in page(listed).by_id("invitations")[0].text
    assert "judge.invite" in actions()


def test_several_addresses_are_invited_at_once_each_with_its_own_link(client, login_as, mail):
    organizer, event = _event()
    login_as(organizer)

    client.post(JUDGES, data={"emails": "a@example.org\nb@example.org, a@example.org\n\n"})

    assert [i.email for i in invitations()] == ["a@example.org", "b@example.org"]
    assert link_in(mail, "a@example.org") != link_in(mail, "b@example.org")


def test_bad_addresses_are_named_and_nobody_is_invited(client, login_as, mail):
    organizer, event = _event()
    login_as(organizer)

    response = client.post(JUDGES, data={"emails": "good@example.org\nnot-an-email\nalso@bad\n"})
    empty = client.post(JUDGES, data={"emails": "  \n"})

    assert response.status_code == 200
    assert field_error(response, "emails") == [
        "These are not email addresses: not-an-email, also@bad. Correct or remove it, then "
        "send again; nobody was invited."
    ]
    assert page(response).value("emails").startswith("good@example.org")
    assert field_error(empty, "emails") == ["Enter at least one email address."]
    assert invitations() == [] and mail.messages == []


def test_inviting_again_replaces_the_open_invitation_and_its_old_link(client, login_as, mail):
    organizer, event = _event()
    login_as(organizer)

    client.post(JUDGES, data={"emails": "ada@example.org"})
    first = link_in(mail, "ada@example.org")
    mail.clear()
    again = client.post(JUDGES, data={"emails": "ada@example.org"}, follow_redirects=True)
    second = link_in(mail, "ada@example.org")

    assert "New invitation sent (the earlier link no longer works) to ada@example.org" in (
        page(again).text
    )
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    rows = invitations()
    assert [r.revoked_at is not None for r in rows] == [True, False]


def test_inviting_a_current_judge_says_so_and_sends_nothing(client, login_as, mail):
    organizer, event = _event()
    make_judge(event, make_user(email="jo@example.org"))
    login_as(organizer)

    response = client.post(JUDGES, data={"emails": "jo@example.org"}, follow_redirects=True)

    assert "Already a judge, not invited again: jo@example.org." in page(response).text
    assert invitations() == [] and mail.messages == []


def test_resend_mails_a_new_link_and_the_old_one_stops_working(client, login_as, mail):
    organizer, event = _event()
    login_as(organizer)
    client.post(JUDGES, data={"emails": "ada@example.org"})
    first = link_in(mail, "ada@example.org")
    mail.clear()

    client.post(f"{BASE}/manage/judging/invitations/{invitations()[0].id}/resend")
    second = link_in(mail, "ada@example.org")

    assert first != second
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    assert "judge.invite_resend" in actions()


def test_invitations_are_rate_limited_per_organizer(client, login_as, mail):
    organizer, event = _event()
    login_as(organizer)

    answers = [
        client.post(JUDGES, data={"emails": f"judge{n}@example.org"}).status_code for n in range(4)
    ]

    assert answers == [302, 302, 302, 429]
    assert len(invitations()) == 3


def test_judges_page_lists_a_judge_appointed_without_a_profile(client, login_as):
    organizer, event = _event()
    appointed = make_user(name="Apu Appointed")
    add_role(event, appointed, EventRoleKind.JUDGE)
    login_as(organizer)

    panel = page(client.get(JUDGES)).by_id(f"judge-{appointed.id}-panel")[0].text

    assert "AffiliationsNone declared" in panel
    assert "Appointed without an invitation" in panel
    assert "No conflicts known." in panel


def test_sign_in_and_sign_up_pages_pass_the_way_back_to_each_other(client):
    back = f"{BASE}/judging/invitations/some-token"

    login = page(client.get(f"/login?next={back}"))
    signup = page(client.get(f"/signup?next={back}"))

    assert login.all("a", href=f"/signup?next={back}")
    assert signup.all("a", href=f"/login?next={back}")


# --- accepting --------------------------------------------------------------------------


def test_new_person_signs_up_through_the_link_and_accepts(app, client, login_as, mail):
    organizer, event = _event()
    login_as(organizer)
    client.post(JUDGES, data={"emails": "newcomer@example.org"})
    path = link_in(mail, "newcomer@example.org")
    visitor = app.test_client()

    invited = visitor.get(path)
    signup_href = page(invited).all("a", href=f"/signup?next={path}")[0].attrs["href"]
    signed_up = visitor.post(
        signup_href,
        data={
            "name": "Nia Newcomer",
            "email": "newcomer@example.org",
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )
    confirmed = visitor.post(signup_link(mail, "newcomer@example.org"))
    back = visitor.get(confirmed.headers["Location"])
    accepted = visitor.post(f"{path}/accept")
    used = visitor.get(path)

    assert "Create an account" in page(invited).text
    assert signed_up.headers["Location"] == "/signup/sent"
    assert confirmed.headers["Location"] == path
    assert "Accept and become a judge" in page(back).text
    assert accepted.headers["Location"] == CONFLICTS
    assert used.status_code == 404
    newcomer = db.session.scalar(
        db.select(JudgeInvitation.accepted_by_id).where(JudgeInvitation.accepted_at.is_not(None))
    )
    db.session.rollback()
    person = db.session.get(User, newcomer)
    assert person.name == "Nia Newcomer" and is_judge(event, person)
    assert db.session.scalar(db.select(JudgeProfile.user_id)) == person.id
    assert visitor.get(CONFLICTS).status_code == 200


def test_existing_person_signs_in_through_the_link_and_accepts_with_another_address(
    app, client, login_as, mail
):
    organizer, event = _event()
    person = make_user(name="Pat Person", email="pat.work@example.org")
    login_as(organizer)
    client.post(JUDGES, data={"emails": "pat.home@example.org"})
    path = link_in(mail, "pat.home@example.org")
    visitor = app.test_client()

    login_href = page(visitor.get(path)).all("a", href=f"/login?next={path}")[0].attrs["href"]
    signed_in = visitor.post(login_href, data={"email": person.email, "password": PASSWORD})
    shown = visitor.get(path)
    accepted = visitor.post(f"{path}/accept")
    listed = client.get(JUDGES)

    assert signed_in.headers["Location"] == path
    assert "The invitation was sent to pat.home@example.org" in page(shown).text
    assert accepted.headers["Location"] == CONFLICTS
    assert is_judge(event, person)
    [row] = invitations()
    assert row.accepted_by_id == person.id and row.email == "pat.home@example.org"
    entry = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "judge.accept"))
    assert list(entry)[0].detail == {
        "invited": "pat.home@example.org",
        "accepted_by": "pat.work@example.org",
    }
    panel = page(listed).by_id(f"judge-{person.id}-panel")[0].text
    assert "pat.work@example.org" in panel and "Accepted" in panel


def test_revoked_used_and_unknown_links_are_not_found(app, client, login_as, mail):
    organizer, event = _event()
    login_as(organizer)
    client.post(JUDGES, data={"emails": "one@example.org\ntwo@example.org"})
    revoked, used = link_in(mail, "one@example.org"), link_in(mail, "two@example.org")
    client.post(f"{BASE}/manage/judging/invitations/{invitations()[0].id}/revoke")
    judge = login_as(make_user(), on=app.test_client())
    judge.post(f"{used}/accept")
    stranger = login_as(make_user(), on=app.test_client())

    asks = {
        path: (stranger.get(path).status_code, stranger.post(f"{path}/accept").status_code)
        for path in (revoked, used, f"{BASE}/judging/invitations/not-a-real-token")
    }

    assert list(asks.values()) == [(404, 404)] * 3
    assert [(r.revoked_at is not None, r.accepted_at is not None) for r in invitations()] == [
        (True, False),
        (False, True),
    ]


def test_a_current_judge_cannot_take_someone_elses_invitation(app, client, login_as, mail):
    organizer, event = _event()
    judge = make_judge(event)
    login_as(organizer)
    client.post(JUDGES, data={"emails": "meant@example.org"})
    path = link_in(mail, "meant@example.org")
    login_as(judge)

    shown = client.get(path)
    refused = client.post(f"{path}/accept", follow_redirects=True)

    assert "You are already a judge of this event." in page(shown).text
    assert "You are already a judge of Budget Datajam." in page(refused).text
    assert invitations()[0].accepted_at is None
    assert client.get(path).status_code == 200


def test_an_organizer_may_judge_and_conflicts_still_apply(app, client, login_as, mail):
    organizer, event = _event()
    co_organizer = make_organizer(name="Cy Organizer")
    add_role(event, co_organizer, EventRoleKind.ORGANIZER)
    member = make_user(name="Mo Member", affiliation="Springfield  Transit")
    make_submission(make_team(event, make_user(), member, name="Bus Fans"), state="submitted")
    login_as(organizer)
    client.post(JUDGES, data={"emails": co_organizer.email})
    path = link_in(mail, co_organizer.email)
    cy = login_as(co_organizer, on=app.test_client())

    cy.post(f"{path}/accept")
    cy.post(f"{BASE}/judging/affiliations", data={"affiliations": "springfield transit"})
    listed = client.get(JUDGES)

    assert is_judge(event, co_organizer)
    panel = page(listed).by_id(f"judge-{co_organizer.id}-panel")[0].text
    assert "An organizer of this event" in panel
    assert "Derived shares an affiliation with Mo Member" in panel
    assert "Bus Fans" in panel


# --- a judge's conflicts ----------------------------------------------------------------


def _judging_event():
    """A judge, a team with a submitted entry (Cora captain, Milo member), another team."""
    organizer, event = _event()
    judge = make_judge(event, make_user(name="Jo Judge"))
    cora, milo = make_user(name="Cora Captain"), make_user(name="Milo Member")
    ledger = make_team(event, cora, milo, name="Open Ledger")
    make_submission(ledger, title="Ledger Lens", state="submitted")
    fans = make_team(event, make_user(name="Finn Fan"), name="Bus Fans")
    return organizer, event, judge, ledger, fans, milo


def conflict_rows():
    db.session.rollback()
    return [
        (c.judge_id, c.team_id, c.person_id, c.reason, c.source)
        for c in db.session.scalars(db.select(JudgeConflict).order_by(JudgeConflict.id))
    ]


def test_judge_declares_affiliations_and_conflicts_and_removes_one(client, login_as):
    organizer, event, judge, ledger, fans, milo = _judging_event()
    login_as(judge)

    shown = page(client.get(CONFLICTS))
    client.post(
        f"{BASE}/judging/affiliations",
        data={"affiliations": "City of Springfield\n\n   Open   Data Lab  \n"},
    )
    client.post(CONFLICTS, data={"team-team_id": str(fans.id), "team-reason": "I advise them"})
    client.post(CONFLICTS, data={"person-person_id": str(milo.id), "person-reason": "My cousin"})
    listed = page(client.get(CONFLICTS))
    first = db.session.scalars(db.select(JudgeConflict.id).order_by(JudgeConflict.id)).first()
    client.post(f"{CONFLICTS}/{first}/remove")

    assert "Bus Fans" in shown.control("team-team_id").text
    assert "Milo Member (Open Ledger)" in shown.control("person-person_id").text
    assert "Jo Judge" not in shown.control("person-person_id").text
    db.session.rollback()
    profile = db.session.scalar(db.select(JudgeProfile))
    assert profile.affiliation_list == ["City of Springfield", "Open Data Lab"]
    declared = listed.by_id("declared")[0].text
    assert "Conflict with Bus Fans: I advise them" in declared
    assert "Conflict with Milo Member: My cousin" in declared
    assert "Ledger Lens (Open Ledger): declared a conflict with Milo Member" in listed.text
    assert conflict_rows() == [(judge.id, None, milo.id, "My cousin", "declared")]
    assert {
        "judge.affiliations",
        "judge.conflict_declare",
        "judge.conflict_remove",
    } <= set(actions())


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"team-team_id": "FANS", "team-reason": ""}, "team-reason", "Say what ties you"),
        ({"team-team_id": "0", "team-reason": "Employer"}, "team-team_id", "Choose the team"),
        ({"team-team_id": "OTHER", "team-reason": "x"}, "team-team_id", "this event's teams"),
        ({"team-team_id": "abc", "team-reason": "x"}, "team-team_id", "Choose the team"),
        ({"team-team_id": "FANS", "team-reason": "y"}, "team-team_id", "already declared"),
        ({"person-person_id": "ME", "person-reason": "x"}, "person-person_id", "Choose a member"),
        ({"person-person_id": "0", "person-reason": "x"}, "person-person_id", "Choose the person"),
        ({"person-person_id": "MILO", "person-reason": " "}, "person-reason", "Say what ties"),
    ],
)
def test_bad_conflict_is_refused_beside_its_field_and_nothing_changes(
    client, login_as, data, field, message
):
    organizer, event, judge, ledger, fans, milo = _judging_event()
    elsewhere = make_event(organizer=make_organizer())
    outsider_team = make_team(elsewhere, make_user())
    ids = {"FANS": fans.id, "OTHER": outsider_team.id, "ME": judge.id, "MILO": milo.id}
    login_as(judge)
    client.post(CONFLICTS, data={"team-team_id": str(fans.id), "team-reason": "I advise them"})
    before = conflict_rows()

    response = client.post(CONFLICTS, data={k: str(ids.get(v, v)) for k, v in data.items()})

    assert response.status_code == 200
    assert message in field_error(response, field)[0]
    assert conflict_rows() == before


def test_overlong_affiliation_is_refused_and_the_saved_ones_stay(client, login_as):
    organizer, event, judge, *_ = _judging_event()
    login_as(judge)
    client.post(f"{BASE}/judging/affiliations", data={"affiliations": "City of Springfield"})

    response = client.post(f"{BASE}/judging/affiliations", data={"affiliations": "x" * 201})

    assert "Keep each line under 200 characters" in field_error(response, "affiliations")[0]
    db.session.rollback()
    assert db.session.scalar(db.select(JudgeProfile.affiliations)) == "City of Springfield"


def test_organizer_sees_derived_conflicts_flagged_per_judge(client, login_as):
    organizer, event, judge, ledger, fans, milo = _judging_event()
    member_judge = make_judge(event, make_user(name="Finn Judge"))
    united = make_team(event, make_user(), member_judge, name="Judges United")
    make_submission(united, title="United Entry", state="submitted")
    db.session.execute(
        db.update(JudgeProfile)
        .where(JudgeProfile.user_id == judge.id)
        .values(affiliations="Springfield Transit")
    )
    milo.affiliation = "springfield   TRANSIT"
    db.session.commit()
    login_as(organizer)

    listed = page(client.get(JUDGES))
    mine = page(login_as(judge).get(CONFLICTS))

    jo = listed.by_id(f"judge-{judge.id}-panel")[0].text
    finn = listed.by_id(f"judge-{member_judge.id}-panel")[0].text
    assert "Ledger Lens (Open Ledger): Derived shares an affiliation with Milo Member" in jo
    assert "Springfield Transit" in jo
    assert "United Entry (Judges United): Derived is a member of Judges United" in finn
    assert "Ledger Lens (Open Ledger): Derived shares an affiliation with Milo Member" in mine.text


def test_conflicts_of_another_judge_or_event_are_not_found(client, login_as):
    organizer, event, judge, ledger, fans, milo = _judging_event()
    other_judge = make_judge(event)
    elsewhere = make_event(organizer=make_organizer(), slug="elsewhere")
    make_judge(elsewhere, judge)
    theirs = JudgeConflict(event_id=event.id, judge_id=other_judge.id, team_id=fans.id)
    mine_elsewhere = JudgeConflict(
        event_id=elsewhere.id, judge_id=judge.id, team_id=make_team(elsewhere, make_user()).id
    )
    db.session.add_all([theirs, mine_elsewhere])
    db.session.commit()
    before = conflict_rows()
    login_as(judge)

    answers = [
        client.post(f"{CONFLICTS}/{theirs.id}/remove").status_code,
        client.post(f"{CONFLICTS}/{mine_elsewhere.id}/remove").status_code,
    ]

    assert answers == [404, 404]
    assert conflict_rows() == before


def test_invitation_rows_of_another_event_are_not_found(client, login_as, mail):
    organizer, event = _event()
    other_organizer = make_organizer()
    make_event(organizer=other_organizer, slug="elsewhere")
    login_as(other_organizer)
    client.post("/events/elsewhere/manage/judging/judges", data={"emails": "x@example.org"})
    path = link_in(mail, "x@example.org")
    login_as(organizer)
    other = invitations()[0]

    answers = [
        client.get(path.replace("/elsewhere/", "/budget-jam/")).status_code,
        client.post(f"{BASE}/manage/judging/invitations/{other.id}/resend").status_code,
        client.post(f"{BASE}/manage/judging/invitations/{other.id}/revoke").status_code,
    ]

    assert answers == [404, 404, 404]
    assert invitations()[0].revoked_at is None and len(mail.messages) == 1
