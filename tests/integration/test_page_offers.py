"""What the event, team and project pages offer a person, and that the server then agrees:
the way to a team's project, the deadline's lock, a full event's waitlist, and cancelling
a registration with what it does to the person's team.

The walk over every phase and role is in test_action_walk.py.
"""

from datetime import timedelta

from eventhub.enums import RegistrationStatus
from eventhub.events import registration
from eventhub.events.models import Registration
from eventhub.extensions import db
from eventhub.teams.models import JoinRequest, Team, TeamMembership
from eventhub.timefmt import format_datetime
from tests.factories import (
    make_challenge,
    make_event,
    make_organizer,
    make_submission,
    make_team,
    make_user,
    register,
)
from tests.integration.pages import page


def _setup(**event_fields):
    event = make_event(
        organizer=make_organizer(), slug="bus-jam", title="Bus Datajam", **event_fields
    )
    challenge = make_challenge(event, title="Faster Buses")
    captain, member = make_user(name="Cora Captain"), make_user(name="Milo Member")
    for person in (captain, member):
        register(event, person)
    team = make_team(event, captain, member, name="Route Runners")
    return event, challenge, captain, member, team


def _links(response) -> dict[str, str]:
    return {a.text: a.attrs.get("href", "") for a in page(response).all("a")}


def _buttons(response) -> list[str]:
    return [b.text for b in page(response).all("button")]


def test_member_finds_submit_a_project_on_the_event_and_team_pages_before_the_gallery_opens(
    client, login_as
):
    event, challenge, captain, member, team = _setup()
    login_as(member)

    event_page = client.get("/events/bus-jam")
    team_page = client.get(f"/events/bus-jam/teams/{team.id}")
    form = client.get(_links(event_page)["Submit a project"])
    client.post(
        "/events/bus-jam/projects/new", data={"title": "Radar", "challenge_id": challenge.id}
    )
    after = client.get("/events/bus-jam")

    assert not event.gallery_open
    assert _links(event_page)["Submit a project"] == "/events/bus-jam/projects/new"
    assert _links(team_page)["Submit a project"] == "/events/bus-jam/projects/new"
    assert "Save as draft" in _buttons(form)
    assert _links(after)["Edit your project"].endswith("/edit")


def test_after_the_deadline_a_project_page_offers_no_change_and_says_when_it_closed(
    client, login_as, clock
):
    event, challenge, captain, member, team = _setup()
    project = make_submission(team, challenge=challenge, state="submitted")
    clock.set(event.ends_at + timedelta(minutes=1))
    login_as(member)

    shown = client.get(f"/events/bus-jam/projects/{project.id}")
    team_page = client.get(f"/events/bus-jam/teams/{team.id}")
    edit_page = client.get(f"/events/bus-jam/projects/{project.id}/edit")

    when = f"{format_datetime(event.ends_at, 'America/New_York')} (America/New_York)"
    assert f"The submission deadline passed on {when}" in page(shown).text
    assert not [b for b in _buttons(shown) if "Withdraw" in b or "Submit" in b]
    assert not [a for a in _links(shown) if a.startswith("Edit") or a == "Screenshots"]
    assert "Edit your project" not in _links(team_page)
    assert f"The submission deadline passed on {when}" in page(team_page).text
    assert "Save project" not in _buttons(edit_page)


def test_submit_is_not_offered_to_a_team_smaller_than_the_event_asks(client, login_as):
    event, challenge, captain, member, team = _setup(team_min_size=3)
    project = make_submission(team, challenge=challenge)
    login_as(captain)

    shown = client.get(f"/events/bus-jam/projects/{project.id}")

    assert "Submit project" not in _buttons(shown)
    assert (
        "this event asks for at least 3. Invite someone"
        in page(shown).by_id("submit-refusal")[0].text
    )


def test_a_full_events_badge_says_so_and_registering_joins_the_waitlist(client, login_as):
    event = make_event(slug="small-jam", capacity=1)
    register(event, make_user())
    newcomer = make_user()
    login_as(newcomer)

    shown = client.get("/events/small-jam")
    listed = client.get("/events")
    client.post("/events/small-jam/register")

    assert page(shown).by_id("phase-badge")[0].text == "Full: registering joins the waitlist"
    assert "Full: registering joins the waitlist" in page(listed).text
    assert "Join the waitlist" in _buttons(shown)
    status = db.session.scalar(
        db.select(Registration.status).where(Registration.user_id == newcomer.id)
    )
    assert status == RegistrationStatus.WAITLISTED


def test_cancelling_says_and_does_that_the_captain_leaves_the_team_and_captaincy_passes_on(
    client, login_as
):
    event, challenge, captain, member, team = _setup()
    login_as(captain)

    event_page = client.get("/events/bus-jam")
    confirm = client.get(_links(event_page)["Cancel my registration"])
    done = client.post("/events/bus-jam/registration/cancel", follow_redirects=True)

    assert "You also leave your team, Route Runners. Milo Member becomes its captain." in (
        page(confirm).by_id("team-effect")[0].text
    )
    assert "Cancel my registration" in _buttons(confirm)
    assert "Your registration is cancelled." in page(done).text
    db.session.rollback()
    assert db.session.get(Team, team.id).captain_id == member.id
    assert db.session.get(Team, team.id).member_count == 1
    left = db.session.scalar(
        db.select(TeamMembership.left_how).where(TeamMembership.user_id == captain.id)
    )
    assert left == "cancelled"


def test_the_last_member_of_a_team_with_a_project_is_told_why_they_cannot_cancel_yet(
    client, login_as
):
    event, challenge, captain, member, team = _setup()
    make_submission(team, challenge=challenge)
    client_member = login_as(member)
    client_member.post("/events/bus-jam/registration/cancel")
    login_as(captain)

    confirm = client.get("/events/bus-jam/registration/cancel")
    refused = client.post("/events/bus-jam/registration/cancel", follow_redirects=True)

    reason = "You are the last member of “Route Runners” and it has a project submission."
    assert reason in page(confirm).by_id("team-effect")[0].text
    assert "Cancel my registration" not in _buttons(confirm)
    assert reason in page(refused).text
    db.session.rollback()
    assert registration.registration_of(event, captain).status == RegistrationStatus.CONFIRMED
    assert db.session.get(Team, team.id).member_count == 1


def test_cancelling_through_the_service_takes_the_person_off_their_team(app):
    """The rule holds in the service, whoever calls it, in the cancel's own transaction."""
    event, challenge, captain, member, team = _setup()

    registration.cancel(registration.registration_of(event, member), actor=member)
    db.session.commit()

    db.session.rollback()
    assert db.session.get(Team, team.id).member_count == 1
    assert [m.user_id for m in db.session.get(Team, team.id).current_members] == [captain.id]


def test_the_last_member_of_a_team_with_a_project_is_not_offered_leave_but_told_why(
    client, login_as
):
    event, challenge, captain, member, team = _setup()
    solo = make_team(event, make_user(name="Ann Alone"), name="Open Ledger")
    make_submission(solo, challenge=challenge)
    ann = db.session.get(Team, solo.id).captain
    login_as(ann)

    shown = client.get(f"/events/bus-jam/teams/{solo.id}")

    assert "Leave the team" not in _buttons(shown)
    assert "You are the last member of “Open Ledger” and it has a project submission." in (
        page(shown).by_id("leave")[0].text
    )


def test_the_last_member_of_a_team_with_a_project_is_not_offered_another_team(client, login_as):
    event, challenge, captain, member, team = _setup()
    ann = make_user(name="Ann Alone")
    register(event, ann)
    solo = make_team(event, ann, name="Open Ledger")
    make_submission(solo, challenge=challenge)
    login_as(ann)

    teams = client.get("/events/bus-jam/teams")
    other = client.get(f"/events/bus-jam/teams/{team.id}")
    refused = client.post("/events/bus-jam/teams", data={"name": "Night Owls"})

    why = "You are the last member of “Open Ledger” and it has a project submission."
    assert "Create team" not in _buttons(teams) and "Join team" not in _buttons(teams)
    assert why in page(teams).by_id("join-refusal")[0].text
    assert "Ask to join" not in _buttons(other)
    assert why in page(refused).text


def test_a_captain_is_not_offered_to_accept_someone_who_may_not_leave_their_team(client, login_as):
    event, challenge, captain, member, team = _setup()
    ann = make_user(name="Ann Alone")
    register(event, ann)
    solo = make_team(event, ann, name="Open Ledger")
    make_submission(solo, challenge=challenge)
    db.session.add(JoinRequest(team_id=team.id, user_id=ann.id))
    db.session.commit()
    login_as(captain)

    shown = client.get(f"/events/bus-jam/teams/{team.id}")

    assert "Accept Ann Alone" not in _buttons(shown)
    assert "Ann Alone is the last member of “Open Ledger”" in page(shown).by_id("requests")[0].text
