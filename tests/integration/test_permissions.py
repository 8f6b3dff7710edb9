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
from eventhub.demoday.models import DemoSlot
from eventhub.enums import EventStatus
from eventhub.events.models import AgendaSession, Partner, Registration
from eventhub.extensions import db
from eventhub.judging.models import Assignment, JudgeInvitation, JudgeProfile, Rubric
from eventhub.submissions.models import DeadlineExtension, Submission
from eventhub.teams.models import JoinRequest, Team
from tests.integration.world import ROLES, build_world

OK, DONE, LOGIN, DENY, GONE = "OK", "DONE", "LOGIN", "DENY", "GONE"

# Columns follow ROLES: anonymous, stranger (signed in, no ties to event A), judge (of A,
# not registered), registrant (confirmed in A), other_organizer (organizes event B),
# organizer (of A), admin.
ANYONE = (OK, OK, OK, OK, OK, OK, OK)
ANYONE_ACTION = (DONE, DONE, DONE, DONE, DONE, DONE, DONE)
SIGNED_IN = (LOGIN, OK, OK, OK, OK, OK, OK)
SIGNED_IN_ACTION = (LOGIN, DONE, DONE, DONE, DONE, DONE, DONE)
MANAGE = (LOGIN, DENY, DENY, DENY, DENY, OK, OK)
MANAGE_ACTION = (LOGIN, DENY, DENY, DENY, DENY, DONE, DONE)
PROJECT = (GONE, GONE, GONE, OK, GONE, OK, OK)
TEAM = (LOGIN, GONE, GONE, OK, GONE, DENY, DENY)
TEAM_ACTION = (LOGIN, GONE, GONE, DONE, GONE, DENY, DENY)
JUDGE = (LOGIN, DENY, OK, DENY, DENY, DENY, DENY)
JUDGE_ACTION = (LOGIN, DENY, DONE, DENY, DENY, DENY, DENY)

# Event A is published.
PUBLISHED = {
    ("core.home", "GET"): ANYONE,
    ("core.healthz", "GET"): ANYONE,
    ("accounts.signup", "GET"): ANYONE,
    ("accounts.signup", "POST"): ANYONE_ACTION,
    ("accounts.signup_sent", "GET"): ANYONE,
    ("accounts.signup_confirm", "GET"): ANYONE,
    ("accounts.signup_confirm", "POST"): ANYONE_ACTION,
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
    ("admin.users", "GET"): (LOGIN, DENY, DENY, DENY, DENY, DENY, OK),
    ("admin.organizer_right", "POST"): (LOGIN, DENY, DENY, DENY, DENY, DENY, DONE),
    ("events.index", "GET"): ANYONE,
    # Creating events takes the organizer right (the other event's organizer has it too).
    ("events.create", "GET"): (LOGIN, DENY, DENY, DENY, OK, OK, OK),
    ("events.create", "POST"): (LOGIN, DENY, DENY, DENY, DONE, DONE, DONE),
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
    # The confirmation page: people with no registration are sent back to the event page.
    ("events.confirm_cancel_registration", "GET"): (LOGIN, DONE, DONE, OK, DONE, DONE, DONE),
    ("events.cancel_registration", "POST"): SIGNED_IN_ACTION,
    ("events.roster", "GET"): MANAGE,
    ("events.roster_csv", "GET"): MANAGE,
    ("events.checkin", "GET"): MANAGE,
    ("events.check_in", "POST"): MANAGE_ACTION,
    ("datasets.index", "GET"): ANYONE,
    ("datasets.show", "GET"): ANYONE,
    ("datasets.catalog_json", "GET"): ANYONE,
    # Importing takes the organizer right (the other event's organizer has it too).
    ("datasets.import_catalog", "GET"): (LOGIN, DENY, DENY, DENY, OK, OK, OK),
    ("datasets.import_catalog", "POST"): (LOGIN, DENY, DENY, DENY, DONE, DONE, DONE),
    ("datasets.imports", "GET"): (LOGIN, DENY, DENY, DENY, OK, OK, OK),
    ("datasets.import_report", "GET"): (LOGIN, DENY, DENY, DENY, OK, OK, OK),
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
    ("projects.create", "GET"): (LOGIN, OK, OK, DONE, OK, OK, OK),
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
    # Demo day: the running order and the room screen are public with the event.
    ("demoday.view", "GET"): ANYONE,
    ("demoday.screen", "GET"): ANYONE,
    ("demoday.organize", "GET"): MANAGE,
    ("demoday.organize", "POST"): MANAGE_ACTION,
    ("demoday.build", "POST"): MANAGE_ACTION,
    ("demoday.sync", "POST"): MANAGE_ACTION,
    ("demoday.add_break", "POST"): MANAGE_ACTION,
    ("demoday.move", "POST"): MANAGE_ACTION,
    ("demoday.edit_slot", "POST"): MANAGE_ACTION,
    ("demoday.control", "GET"): MANAGE,
    ("demoday.advance", "POST"): MANAGE_ACTION,
    ("demoday.remove_slot", "POST"): MANAGE_ACTION,
    # People's choice: any signed-in person reaches the ballot; the service then checks
    # registration, the voting window and their own team. Judging dashboard: organizers.
    ("results.vote", "GET"): SIGNED_IN,
    ("results.vote", "POST"): SIGNED_IN_ACTION,
    # Results: the world's results are unpublished, so the public page is a 404 for all but
    # organizers (their preview); feedback answers any signed-in person with a page saying
    # what there is for them.
    ("results.view", "GET"): (GONE, GONE, GONE, GONE, GONE, OK, OK),
    ("results.feedback", "GET"): SIGNED_IN,
    ("results.organize", "GET"): MANAGE,
    ("results.ties", "POST"): MANAGE_ACTION,
    ("results.prizes", "POST"): MANAGE_ACTION,
    ("results.publish", "POST"): MANAGE_ACTION,
    ("results.reopen", "POST"): MANAGE_ACTION,
    ("judging.dashboard", "GET"): MANAGE,
    ("judging.scores_csv", "GET"): MANAGE,
    # Judging setup: organizers set the rubric and settings and invite judges; a judge (only)
    # declares their own conflicts. The invitation page is public (its token is the secret);
    # accepting takes an account, and makes the person a judge (so it is walked last).
    ("judging.rubric_page", "GET"): MANAGE,
    ("judging.rubric_page", "POST"): MANAGE_ACTION,
    ("judging.challenge_rubric", "GET"): MANAGE,
    ("judging.challenge_rubric", "POST"): MANAGE_ACTION,
    ("judging.copy_rubric", "POST"): MANAGE_ACTION,
    ("judging.remove_rubric", "POST"): MANAGE_ACTION,
    ("judging.settings", "GET"): MANAGE,
    ("judging.settings", "POST"): MANAGE_ACTION,
    ("judging.judges_page", "GET"): MANAGE,
    ("judging.invite", "POST"): MANAGE_ACTION,
    ("judging.resend_invitation", "POST"): MANAGE_ACTION,
    ("judging.revoke_invitation", "POST"): MANAGE_ACTION,
    ("judging.conflicts", "GET"): (LOGIN, DENY, OK, DENY, DENY, DENY, DENY),
    ("judging.conflicts", "POST"): (LOGIN, DENY, DONE, DENY, DENY, DENY, DENY),
    ("judging.affiliations", "POST"): (LOGIN, DENY, DONE, DENY, DENY, DENY, DENY),
    ("judging.remove_conflict", "POST"): (LOGIN, DENY, DONE, DENY, DENY, DENY, DENY),
    ("judging.invitation", "GET"): ANYONE,
    ("judging.accept_invitation", "POST"): SIGNED_IN_ACTION,
    # Judging: the queue, score sheets and comparisons are the event's judges' (no pairwise
    # round in the world, so comparing is a page saying so). The walk's judge is not
    # assigned the registrant's project (and declared a conflict with it): refused, 403.
    ("judging.queue", "GET"): JUDGE,
    ("judging.score", "GET"): (LOGIN, DENY, DENY, DENY, DENY, DENY, DENY),
    ("judging.score", "POST"): (LOGIN, DENY, DENY, DENY, DENY, DENY, DENY),
    ("judging.recuse", "POST"): JUDGE_ACTION,
    ("judging.compare", "GET"): JUDGE,
    ("judging.compare", "POST"): JUDGE_ACTION,
    ("judging.assignments", "GET"): MANAGE,
    ("judging.assign_judges", "POST"): MANAGE_ACTION,
    ("judging.add_assignment", "POST"): MANAGE_ACTION,
    ("judging.remove_assignment", "POST"): MANAGE_ACTION,
    ("judging.drop_judge", "POST"): MANAGE_ACTION,
    ("judging.pairwise", "GET"): MANAGE,
    ("judging.finalists", "POST"): MANAGE_ACTION,
    # Calendars: feeds and downloads are public; a personal feed answers whoever holds its
    # token (the bystander's here), signed in or not; one's own feed needs an account.
    ("calendar.site_page", "GET"): ANYONE,
    ("calendar.site_feed", "GET"): ANYONE,
    ("calendar.event_feed", "GET"): ANYONE,
    ("calendar.event_download", "GET"): ANYONE,
    ("calendar.session_download", "GET"): ANYONE,
    ("calendar.personal_feed", "GET"): ANYONE,
    ("calendar.create_feed", "POST"): SIGNED_IN_ACTION,
    ("calendar.revoke_feed", "POST"): SIGNED_IN_ACTION,
    ("calendar.set_reminder", "POST"): SIGNED_IN_ACTION,
}

HIDDEN = (GONE, GONE, GONE, GONE, GONE, OK, OK)
HIDDEN_ACTION = (GONE, GONE, GONE, GONE, GONE, DONE, DONE)
HIDDEN_TEAM = (GONE, GONE, GONE, GONE, GONE, DENY, DENY)

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
    ("events.register", "POST"): (GONE, GONE, GONE, GONE, GONE, DENY, DENY),
    ("events.confirm_cancel_registration", "GET"): (GONE, GONE, GONE, GONE, GONE, DENY, DENY),
    ("events.cancel_registration", "POST"): (GONE, GONE, GONE, GONE, GONE, DENY, DENY),
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
    **{
        key: HIDDEN if key[1] == "GET" else HIDDEN_ACTION
        for key in PUBLISHED
        if key[0].startswith("demoday.")
    },
    ("results.vote", "GET"): HIDDEN,
    ("results.vote", "POST"): HIDDEN_ACTION,
    ("results.view", "GET"): HIDDEN,
    ("results.feedback", "GET"): HIDDEN,
    ("results.organize", "GET"): HIDDEN,
    ("results.ties", "POST"): HIDDEN_ACTION,
    ("results.prizes", "POST"): HIDDEN_ACTION,
    ("results.publish", "POST"): HIDDEN_ACTION,
    ("results.reopen", "POST"): HIDDEN_ACTION,
    ("judging.dashboard", "GET"): HIDDEN,
    ("judging.scores_csv", "GET"): HIDDEN,
    # Judges of a draft do not see it yet (nor open their invitation): it is hidden.
    **{
        (name, method): HIDDEN if method == "GET" else HIDDEN_ACTION
        for name, method in [
            ("judging.rubric_page", "GET"),
            ("judging.rubric_page", "POST"),
            ("judging.challenge_rubric", "GET"),
            ("judging.challenge_rubric", "POST"),
            ("judging.copy_rubric", "POST"),
            ("judging.remove_rubric", "POST"),
            ("judging.settings", "GET"),
            ("judging.settings", "POST"),
            ("judging.judges_page", "GET"),
            ("judging.invite", "POST"),
            ("judging.resend_invitation", "POST"),
            ("judging.revoke_invitation", "POST"),
            ("judging.invitation", "GET"),
            ("judging.accept_invitation", "POST"),
        ]
    },
    ("judging.conflicts", "GET"): HIDDEN_TEAM,
    ("judging.conflicts", "POST"): HIDDEN_TEAM,
    ("judging.affiliations", "POST"): HIDDEN_TEAM,
    ("judging.remove_conflict", "POST"): HIDDEN_TEAM,
    **{
        ("judging." + name, method): HIDDEN_TEAM
        for name, method in [
            ("queue", "GET"),
            ("score", "GET"),
            ("score", "POST"),
            ("recuse", "POST"),
            ("compare", "GET"),
            ("compare", "POST"),
        ]
    },
    **{
        ("judging." + name, method): HIDDEN if method == "GET" else HIDDEN_ACTION
        for name, method in [
            ("assignments", "GET"),
            ("assign_judges", "POST"),
            ("add_assignment", "POST"),
            ("remove_assignment", "POST"),
            ("drop_judge", "POST"),
            ("pairwise", "GET"),
            ("finalists", "POST"),
        ]
    },
    ("calendar.event_feed", "GET"): HIDDEN,
    ("calendar.event_download", "GET"): HIDDEN,
    ("calendar.session_download", "GET"): HIDDEN,
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


# The draft walk asks the same routes of the same code with one status changed; answers do
# not depend on the database, and every page already ran on PostgreSQL in the published
# walk, so the draft walk runs on SQLite only (it is the slowest test in the suite).
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
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
        ("GET", f"{under_a}/agenda/{world.other_session_id}.ics"),
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
        ("POST", f"{under_a}/manage/judging/assignments/{world.other_assignment_id}/remove"),
        ("POST", f"{under_a}/manage/judging/judges/{world.other_judge_id}/drop"),
        *[
            ("POST", f"{under_a}/manage/demo-day/slots/{world.other_slot_id}{tail}")
            for tail in ("", "/move", "/remove")
        ],
        *[
            (method, f"{under_a}/manage/judging/rubric/{world.other_challenge_slug}{tail}")
            for method, tail in [("GET", ""), ("POST", ""), ("POST", "/copy"), ("POST", "/remove")]
        ],
        ("POST", f"{under_a}/manage/judging/invitations/{world.other_invitation_id}/resend"),
        ("POST", f"{under_a}/manage/judging/invitations/{world.other_invitation_id}/revoke"),
        ("GET", f"{under_a}/judging/invitations/{world.other_invite_token}"),
        ("POST", f"{under_a}/judging/invitations/{world.other_invite_token}/accept"),
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
    assert db.session.get(Assignment, world.other_assignment_id) is not None
    dropped = db.select(JudgeProfile.dropped_at).where(JudgeProfile.user_id == world.other_judge_id)
    assert db.session.scalar(dropped) is None
    assert db.session.get(DemoSlot, world.other_slot_id).sequence == 0
    other_invitations = db.session.scalars(
        db.select(JudgeInvitation).where(JudgeInvitation.event_id != world.event_id)
    ).all()
    assert [(i.accepted_at, i.revoked_at) for i in other_invitations] == [(None, None)] * 2
    assert db.session.scalar(db.select(db.func.count()).select_from(Rubric)) == 0
