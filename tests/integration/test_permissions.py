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
}

HIDDEN = (GONE, GONE, GONE, GONE, OK, OK)
HIDDEN_ACTION = (GONE, GONE, GONE, GONE, DONE, DONE)

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
