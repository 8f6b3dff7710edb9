"""Who may do what: every endpoint of app.url_map, for every kind of person.

The tables below are the access rules, written out. A new endpoint fails
test_matrix_covers_every_endpoint until it gets a row here, so nobody adds a page without
deciding who may open it.

Outcomes:
  OK     the page (2xx)
  DONE   the request went through: the action's redirect within the site, or its form shown
         again (POSTs here carry an empty form; what actions do is tested elsewhere, here
         only who gets through)
  LOGIN  a redirect to /login?next=<the path asked for>
  DENY   403
  GONE   404 (a draft event does not exist for people who may not see it)
"""

from urllib.parse import parse_qs, urlsplit

import pytest

from eventhub.authz import exempt_endpoints
from eventhub.challenges.models import Challenge, ChallengeDataset, Prize
from eventhub.enums import EventStatus
from eventhub.events.models import AgendaSession, Partner, Registration
from eventhub.extensions import db
from eventhub.submissions.models import DeadlineExtension, Submission
from eventhub.teams.models import JoinRequest, Team
from tests.integration.world import ROLES, build_world

OK, DONE, LOGIN, DENY, GONE = "OK", "DONE", "LOGIN", "DENY", "GONE"

# Columns follow ROLES: anonymous, stranger (signed in, no ties to event A), registrant
# (confirmed in A), other_organizer (organizes event B), organizer (of A), admin.
ANYONE = (OK, OK, OK, OK, OK, OK)
ANYONE_ACTION = (DONE, DONE, DONE, DONE, DONE, DONE)
SIGNED_IN = (LOGIN, OK, OK, OK, OK, OK)
SIGNED_IN_ACTION = (LOGIN, DONE, DONE, DONE, DONE, DONE)
MANAGE = (LOGIN, DENY, DENY, DENY, OK, OK)
MANAGE_ACTION = (LOGIN, DENY, DENY, DENY, DONE, DONE)
PROJECT = (GONE, GONE, OK, GONE, OK, OK)
TEAM = (LOGIN, GONE, OK, GONE, DENY, DENY)
TEAM_ACTION = (LOGIN, GONE, DONE, GONE, DENY, DENY)

# Event A is published.
PUBLISHED = {
    ("core.home", "GET"): ANYONE,
    ("core.healthz", "GET"): ANYONE,
    ("accounts.signup", "GET"): ANYONE,
    ("accounts.signup", "POST"): ANYONE_ACTION,
    ("accounts.login", "GET"): ANYONE,
    ("accounts.login", "POST"): ANYONE_ACTION,
    ("accounts.logout", "POST"): SIGNED_IN_ACTION,
    ("accounts.profile", "GET"): SIGNED_IN,
    ("accounts.profile", "POST"): SIGNED_IN_ACTION,
    ("accounts.password", "GET"): SIGNED_IN,
    ("accounts.password", "POST"): SIGNED_IN_ACTION,
    ("accounts.reset_request", "GET"): ANYONE,
    ("accounts.reset_request", "POST"): ANYONE_ACTION,
    ("accounts.reset_confirm", "GET"): ANYONE,
    ("accounts.reset_confirm", "POST"): ANYONE_ACTION,
    ("admin.users", "GET"): (LOGIN, DENY, DENY, DENY, DENY, OK),
    ("admin.organizer_right", "POST"): (LOGIN, DENY, DENY, DENY, DENY, DONE),
    ("events.index", "GET"): ANYONE,
    # Creating events takes the organizer right (the other event's organizer has it too).
    ("events.create", "GET"): (LOGIN, DENY, DENY, OK, OK, OK),
    ("events.create", "POST"): (LOGIN, DENY, DENY, DONE, DONE, DONE),
    ("events.show", "GET"): ANYONE,
    ("events.edit", "GET"): MANAGE,
    ("events.edit", "POST"): MANAGE_ACTION,
    ("events.publish", "POST"): MANAGE_ACTION,
    ("events.unpublish", "POST"): MANAGE_ACTION,
    ("events.cancel", "POST"): MANAGE_ACTION,
    ("events.organizers", "GET"): MANAGE,
    ("events.organizers", "POST"): MANAGE_ACTION,
    ("events.remove_organizer", "POST"): MANAGE_ACTION,
    ("events.partners", "GET"): MANAGE,
    ("events.partners", "POST"): MANAGE_ACTION,
    ("events.remove_partner", "POST"): MANAGE_ACTION,
    ("events.agenda", "GET"): ANYONE,
    ("events.add_session", "GET"): MANAGE,
    ("events.add_session", "POST"): MANAGE_ACTION,
    ("events.edit_session", "GET"): MANAGE,
    ("events.edit_session", "POST"): MANAGE_ACTION,
    ("events.cancel_session", "POST"): MANAGE_ACTION,
    ("events.register", "POST"): SIGNED_IN_ACTION,
    ("events.cancel_registration", "POST"): SIGNED_IN_ACTION,
    ("events.roster", "GET"): MANAGE,
    ("events.roster_csv", "GET"): MANAGE,
    ("events.checkin", "GET"): MANAGE,
    ("events.check_in", "POST"): MANAGE_ACTION,
    ("datasets.index", "GET"): ANYONE,
    ("datasets.show", "GET"): ANYONE,
    ("datasets.catalog_json", "GET"): ANYONE,
    # Importing takes the organizer right (the other event's organizer has it too).
    ("datasets.import_catalog", "GET"): (LOGIN, DENY, DENY, OK, OK, OK),
    ("datasets.import_catalog", "POST"): (LOGIN, DENY, DENY, DONE, DONE, DONE),
    ("datasets.imports", "GET"): (LOGIN, DENY, DENY, OK, OK, OK),
    ("datasets.import_report", "GET"): (LOGIN, DENY, DENY, OK, OK, OK),
    ("challenges.index", "GET"): ANYONE,
    ("challenges.show", "GET"): ANYONE,
    ("challenges.create", "GET"): MANAGE,
    ("challenges.create", "POST"): MANAGE_ACTION,
    ("challenges.edit", "GET"): MANAGE,
    ("challenges.edit", "POST"): MANAGE_ACTION,
    ("challenges.prizes", "GET"): MANAGE,
    ("challenges.prizes", "POST"): MANAGE_ACTION,
    ("challenges.remove_prize", "POST"): MANAGE_ACTION,
    ("challenges.datasets", "GET"): MANAGE,
    ("challenges.datasets", "POST"): MANAGE_ACTION,
    ("challenges.unlink_dataset", "POST"): MANAGE_ACTION,
    ("datasets.publisher", "GET"): ANYONE,
    # Projects: the registrant's team has a submitted project; the gallery is closed, so only
    # its team and the organizers see it. Organizers look but do not edit (403); people who
    # cannot see it at all get 404. The registrant's "new" leads to the team's project.
    ("projects.gallery", "GET"): ANYONE,
    ("projects.create", "GET"): (LOGIN, OK, DONE, OK, OK, OK),
    ("projects.create", "POST"): SIGNED_IN_ACTION,
    ("projects.show", "GET"): PROJECT,
    ("projects.screenshot", "GET"): PROJECT,
    ("projects.edit", "GET"): TEAM,
    ("projects.edit", "POST"): TEAM_ACTION,
    ("projects.submit", "POST"): TEAM_ACTION,
    ("projects.withdraw", "POST"): TEAM_ACTION,
    ("projects.datasets", "GET"): TEAM,
    ("projects.datasets", "POST"): TEAM_ACTION,
    ("projects.remove_dataset", "POST"): TEAM_ACTION,
    ("projects.screenshots", "GET"): TEAM,
    ("projects.screenshots", "POST"): TEAM_ACTION,
    ("projects.remove_screenshot", "POST"): TEAM_ACTION,
    ("projects.manage", "GET"): MANAGE,
    ("projects.manage_csv", "GET"): MANAGE,
    ("projects.gallery_switch", "POST"): MANAGE_ACTION,
    ("projects.extension", "POST"): MANAGE_ACTION,
    # Teams: signed in is enough to ask; the services refuse (a redirect with the reason) who
    # is not registered, not captain, or out of the formation window.
    ("teams.index", "GET"): ANYONE,
    ("teams.create", "POST"): SIGNED_IN_ACTION,
    ("teams.join_code", "POST"): SIGNED_IN_ACTION,
    ("teams.join_link", "GET"): SIGNED_IN,
    ("teams.join_link_post", "POST"): SIGNED_IN_ACTION,
    ("teams.show", "GET"): ANYONE,
    ("teams.edit", "POST"): SIGNED_IN_ACTION,
    ("teams.regenerate_code", "POST"): SIGNED_IN_ACTION,
    ("teams.invite", "POST"): SIGNED_IN_ACTION,
    ("teams.remove_member", "POST"): SIGNED_IN_ACTION,
    ("teams.transfer_captaincy", "POST"): SIGNED_IN_ACTION,
    ("teams.leave", "POST"): SIGNED_IN_ACTION,
    ("teams.board_index", "GET"): ANYONE,
    ("teams.board_entry", "GET"): SIGNED_IN,
    ("teams.board_entry", "POST"): SIGNED_IN_ACTION,
    ("teams.board_remove", "POST"): SIGNED_IN_ACTION,
    ("teams.ask_to_join", "POST"): SIGNED_IN_ACTION,
    ("teams.accept_request", "POST"): SIGNED_IN_ACTION,
    ("teams.decline_request", "POST"): SIGNED_IN_ACTION,
    ("teams.manage", "GET"): MANAGE,
    ("teams.manage_csv", "GET"): MANAGE,
}

HIDDEN = (GONE, GONE, GONE, GONE, OK, OK)
HIDDEN_ACTION = (GONE, GONE, GONE, GONE, DONE, DONE)
HIDDEN_TEAM = (GONE, GONE, GONE, GONE, DENY, DENY)

# Event A is a draft: only its organizers (and admins) know it exists. Rows not under
# /events/<slug> are as for PUBLISHED.
DRAFT = {
    **PUBLISHED,
    ("events.show", "GET"): HIDDEN,
    ("events.edit", "GET"): HIDDEN,
    ("events.edit", "POST"): HIDDEN_ACTION,
    ("events.publish", "POST"): HIDDEN_ACTION,
    ("events.unpublish", "POST"): HIDDEN_ACTION,
    ("events.cancel", "POST"): HIDDEN_ACTION,
    ("events.organizers", "GET"): HIDDEN,
    ("events.organizers", "POST"): HIDDEN_ACTION,
    ("events.remove_organizer", "POST"): HIDDEN_ACTION,
    ("events.partners", "GET"): HIDDEN,
    ("events.partners", "POST"): HIDDEN_ACTION,
    ("events.remove_partner", "POST"): HIDDEN_ACTION,
    ("events.agenda", "GET"): HIDDEN,
    ("events.add_session", "GET"): HIDDEN,
    ("events.add_session", "POST"): HIDDEN_ACTION,
    ("events.edit_session", "GET"): HIDDEN,
    ("events.edit_session", "POST"): HIDDEN_ACTION,
    ("events.cancel_session", "POST"): HIDDEN_ACTION,
    # Nobody registers for a draft, not even its organizers.
    ("events.register", "POST"): (GONE, GONE, GONE, GONE, DENY, DENY),
    ("events.cancel_registration", "POST"): (GONE, GONE, GONE, GONE, DENY, DENY),
    ("events.roster", "GET"): HIDDEN,
    ("events.roster_csv", "GET"): HIDDEN,
    ("events.checkin", "GET"): HIDDEN,
    ("events.check_in", "POST"): HIDDEN_ACTION,
    ("challenges.index", "GET"): HIDDEN,
    ("challenges.show", "GET"): HIDDEN,
    ("challenges.create", "GET"): HIDDEN,
    ("challenges.create", "POST"): HIDDEN_ACTION,
    ("challenges.edit", "GET"): HIDDEN,
    ("challenges.edit", "POST"): HIDDEN_ACTION,
    ("challenges.prizes", "GET"): HIDDEN,
    ("challenges.prizes", "POST"): HIDDEN_ACTION,
    ("challenges.remove_prize", "POST"): HIDDEN_ACTION,
    ("challenges.datasets", "GET"): HIDDEN,
    ("challenges.datasets", "POST"): HIDDEN_ACTION,
    ("challenges.unlink_dataset", "POST"): HIDDEN_ACTION,
    # Under a draft event even the registrant's team is not let in: the event is hidden.
    ("projects.gallery", "GET"): HIDDEN,
    ("projects.create", "GET"): HIDDEN,
    ("projects.create", "POST"): HIDDEN_ACTION,
    ("projects.show", "GET"): HIDDEN,
    ("projects.screenshot", "GET"): HIDDEN,
    **{
        ("projects." + name, method): HIDDEN_TEAM
        for name, method in [
            ("edit", "GET"),
            ("edit", "POST"),
            ("submit", "POST"),
            ("withdraw", "POST"),
            ("datasets", "GET"),
            ("datasets", "POST"),
            ("remove_dataset", "POST"),
            ("screenshots", "GET"),
            ("screenshots", "POST"),
            ("remove_screenshot", "POST"),
        ]
    },
    ("projects.manage", "GET"): HIDDEN,
    ("projects.manage_csv", "GET"): HIDDEN,
    ("projects.gallery_switch", "POST"): HIDDEN_ACTION,
    ("projects.extension", "POST"): HIDDEN_ACTION,
    **{
        key: HIDDEN if key[1] == "GET" else HIDDEN_ACTION
        for key in PUBLISHED
        if key[0].startswith("teams.")
    },
}

TABLES = {EventStatus.PUBLISHED: PUBLISHED, EventStatus.DRAFT: DRAFT}


def routes(app):
    """(endpoint, method, rule) for every route a person can call."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in exempt_endpoints():
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, method, rule))
    return found


def outcome(response, path: str) -> str:
    status = response.status_code
    if 200 <= status < 300:
        return OK
    if status == 302:
        target = urlsplit(response.headers["Location"])
        if target.path == "/login":
            assert parse_qs(target.query).get("next") == [path], response.headers["Location"]
            return LOGIN
        assert not target.netloc, f"redirect off the site: {response.headers['Location']}"
        return DONE
    return {403: DENY, 404: GONE}.get(status, f"HTTP {status}")


def walk(app, login_as, world, role: str, status: EventStatus) -> list[str]:
    """Ask every route as ``role``; list each answer that differs from the table."""
    adapter = app.url_map.bind("localhost")
    column = ROLES.index(role)
    wrong = []
    for endpoint, method, rule in routes(app):
        world.set_status(status)  # an earlier step may have published or cancelled it
        client = app.test_client()
        person = world.user(role)
        if person is not None:
            login_as(person, on=client)  # again: signing out ends the session for good
        path = adapter.build(
            endpoint, world.path_values(endpoint, set(rule.arguments)), method=method
        )
        response = client.open(path, method=method, data={})
        expected = TABLES[status][(endpoint, method)][column]
        got = outcome(response, path)
        if got != expected and not (expected == DONE and got == OK):  # a form shown again
            wrong.append(f"{method} {path} ({endpoint}) as {role}: expected {expected}, got {got}")
    return wrong


def test_matrix_covers_every_endpoint(app):
    for status, table in TABLES.items():
        called = {(endpoint, method) for endpoint, method, _ in routes(app)}
        missing = sorted(called - table.keys())
        stale = sorted(table.keys() - called)
        assert missing == [], f"add rows for these routes to the {status} table: {missing}"
        assert stale == [], f"these rows name routes that no longer exist: {stale}"
        assert all(len(row) == len(ROLES) for row in table.values())


@pytest.mark.parametrize("role", ROLES)
def test_published_event_answers_each_role_as_the_matrix_says(app, login_as, mail, role):
    world = build_world(app, mail)

    wrong = walk(app, login_as, world, role, EventStatus.PUBLISHED)

    assert wrong == [], "\n".join(wrong)


@pytest.mark.parametrize("role", ROLES)
def test_draft_event_answers_each_role_as_the_matrix_says(app, login_as, mail, role):
    world = build_world(app, mail)

    wrong = walk(app, login_as, world, role, EventStatus.DRAFT)

    assert wrong == [], "\n".join(wrong)


@pytest.mark.parametrize("role", ["organizer", "admin"])
def test_rows_of_another_event_are_not_found_under_this_event(app, client, login_as, mail, role):
    world = build_world(app, mail)
    login_as(world.user(role))
    under_a = f"/events/{world.slug}"
    asks = [
        ("GET", f"{under_a}/agenda/{world.other_session_id}/edit"),
        ("POST", f"{under_a}/agenda/{world.other_session_id}/edit"),
        ("POST", f"{under_a}/agenda/{world.other_session_id}/cancel"),
        ("POST", f"{under_a}/partners/{world.other_partner_id}/remove"),
        ("POST", f"{under_a}/checkin/{world.other_registration_id}"),
        ("GET", f"{under_a}/challenges/{world.other_challenge_slug}"),
        ("GET", f"{under_a}/challenges/{world.other_challenge_slug}/edit"),
        ("POST", f"{under_a}/challenges/{world.other_challenge_slug}/edit"),
        ("POST", f"{under_a}/challenges/{world.other_challenge_slug}/prizes"),
        (
            "POST",
            f"{under_a}/challenges/{world.challenge_slug}/prizes/{world.other_prize_id}/remove",
        ),
        ("POST", f"{under_a}/challenges/{world.other_challenge_slug}/datasets"),
        (
            "POST",
            f"{under_a}/challenges/{world.challenge_slug}/datasets/{world.other_dataset_id}/remove",
        ),
        (
            "POST",
            f"{under_a}/challenges/{world.other_challenge_slug}/datasets/"
            f"{world.other_dataset_id}/remove",
        ),
        ("GET", f"{under_a}/projects/{world.other_project_id}"),
        ("GET", f"{under_a}/projects/{world.other_project_id}/edit"),
        ("POST", f"{under_a}/projects/{world.other_project_id}/edit"),
        ("POST", f"{under_a}/projects/{world.other_project_id}/submit"),
        ("POST", f"{under_a}/projects/{world.other_project_id}/withdraw"),
        ("POST", f"{under_a}/projects/{world.other_project_id}/datasets"),
        ("POST", f"{under_a}/projects/{world.other_project_id}/screenshots"),
        (
            "POST",
            f"{under_a}/projects/{world.other_project_id}/screenshots/"
            f"{world.other_screenshot_id}/remove",
        ),
        (
            "GET",
            f"{under_a}/projects/{world.other_project_id}/screenshots/"
            f"{world.other_screenshot_name}",
        ),
        ("GET", f"{under_a}/projects/{world.project_id}/screenshots/{world.other_screenshot_name}"),
        ("POST", f"{under_a}/manage/teams/{world.other_team_id}/extension"),
        *[
            (method, f"{under_a}/teams/{world.other_team_id}{tail}")
            for method, tail in [
                ("GET", ""),
                ("POST", ""),
                ("POST", "/code"),
                ("POST", "/invite"),
                ("POST", f"/members/{world.user_ids['registrant']}/remove"),
                ("POST", "/captain"),
                ("POST", "/leave"),
                ("POST", "/requests"),
                ("POST", f"/requests/{world.other_request_id}/accept"),
                ("POST", f"/requests/{world.other_request_id}/decline"),
            ]
        ],
        ("POST", f"{under_a}/teams/{world.team_id}/requests/{world.other_request_id}/accept"),
        ("POST", f"{under_a}/teams/{world.team_id}/requests/{world.other_request_id}/decline"),
        ("GET", f"{under_a}/teams/join/{world.other_join_code}"),
        ("POST", f"{under_a}/teams/join/{world.other_join_code}"),
    ]
    edit = {
        "title": "Moved",
        "kind": "talk",
        "starts_at": "2026-03-09T11:00",
        "ends_at": "2026-03-09T12:00",
    }

    answers = {
        f"{method} {path}": client.open(path, method=method, data=edit).status_code
        for method, path in asks
    }

    assert {ask: status for ask, status in answers.items() if status != 404} == {}
    # ...and event B's rows are untouched.
    db.session.rollback()
    session = db.session.get(AgendaSession, world.other_session_id)
    assert session.status == "scheduled" and session.title != "Moved"
    assert db.session.get(Partner, world.other_partner_id) is not None
    assert db.session.get(Registration, world.other_registration_id).checked_in_at is None
    assert db.session.get(Prize, world.other_prize_id) is not None
    other_challenge = db.session.get(Prize, world.other_prize_id).challenge
    assert other_challenge.title != "Moved" and len(other_challenge.prizes) == 1
    assert [d.id for d in other_challenge.datasets] == [world.other_dataset_id]
    assert db.session.scalar(db.select(db.func.count()).select_from(Challenge)) == 2
    assert db.session.scalar(db.select(db.func.count()).select_from(ChallengeDataset)) == 2
    assert client.get(f"/events/{world.other_slug}/agenda").status_code == 200
    other_project = db.session.get(Submission, world.other_project_id)
    assert other_project.state == "submitted" and other_project.title != "Moved"
    assert len(other_project.screenshots) == 2
    assert db.session.scalar(db.select(db.func.count()).select_from(DeadlineExtension)) == 0
    other_team = db.session.get(Team, world.other_team_id)
    assert other_team.invite_code == world.other_join_code and other_team.member_count == 1
    assert db.session.get(JoinRequest, world.other_request_id).status == "pending"
