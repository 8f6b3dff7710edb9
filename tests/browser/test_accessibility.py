"""Every page, in every role that can see it, passes axe's WCAG 2.1 A/AA rules; on a phone
nothing scrolls sideways. ``test_every_get_page_is_checked`` walks the url_map so a new
page cannot escape these checks.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest

from eventhub.enums import EventKind, EventStatus, SessionKind, SessionStatus
from eventhub.events import registration
from eventhub.extensions import db
from tests.browser.conftest import horizontal_overflow, settle
from tests.factories import (
    make_admin,
    make_event,
    make_organizer,
    make_partner,
    make_session,
    make_user,
    register,
)

pytestmark = pytest.mark.browser

# GET endpoints that serve no HTML page, and why: nothing for axe to check.
NOT_PAGES = {
    "static": "files under static/ (CSS, scripts, fonts, images)",
    "core.healthz": "JSON for the load balancer",
    "events.roster_csv": "a CSV download",
}


@dataclass(frozen=True)
class World:
    """What the pages are built from: plain values, so no ORM object outlives the seeding."""

    slug: str             # published, capacity 2: two confirmed, one waitlisted; sessions, partners
    other_slug: str       # another organizer's event, places left
    draft_slug: str       # the organizer's draft
    past_slug: str
    cancelled_slug: str
    session_id: int
    organizer: str        # emails, each with tests.factories.PASSWORD
    other_organizer: str
    admin: str
    stranger: str
    registrant: str
    waitlisted: str
    checked_in_name: str


@pytest.fixture
def world(app, clock) -> World:
    organizer = make_organizer(name="Olivia Organizer", email="olivia@example.org",
                               affiliation="Department of Health")
    other_organizer = make_organizer(name="Omar Other", email="omar@example.org")
    admin = make_admin(name="Avery Admin", email="avery@example.org")
    stranger = make_user(name="Sam Stranger", email="sam@example.org")
    registrant = make_user(name="Riley Registrant", email="riley@example.org",
                           affiliation="Code for Boston")
    arrived = make_user(name="Casey Checkedin", email="casey@example.org")
    waitlisted = make_user(name="Wren Waitlisted", email="wren@example.org")

    event = make_event(
        organizer=organizer, slug="open-health-datajam", title="Open Health Datajam",
        kind=EventKind.DATAJAM.value, hours=32, capacity=2,
        summary="A two-day datajam on public health data.",
        description="Bring a laptop.\n\n## What to expect\n\n- **Workshops** with data owners\n"
                    "- Team hacking\n\nRead the [data dictionary](https://example.org/dd).",
        venue_name="Civic Hall", venue_address="124 East 14th Street, New York, NY 10003",
        online_url="https://example.org/live/open-health",
    )
    first = make_session(event, title="Opening keynote", location="Main stage",
                         description="Why open data matters.")
    make_session(event, offset_hours=2, hours=2, title="Workshop: hospital price files",
                 kind=SessionKind.WORKSHOP.value, location="Room A")
    make_session(event, offset_hours=4, title="Postponed panel", kind=SessionKind.PANEL.value,
                 status=SessionStatus.CANCELLED.value)
    make_session(event, offset_hours=24, hours=3, title="Demo day", kind=SessionKind.DEMO.value)
    make_partner(event, name="Department of Health", url="https://example.org/health", position=0)
    make_partner(event, name="Civic Hall", logo_url="/static/img/favicon.svg", position=1)
    register(event, registrant)
    checked = register(event, arrived)
    register(event, waitlisted)
    registration.check_in(checked, actor=organizer)
    db.session.commit()

    other = make_event(organizer=other_organizer, slug="transit-data-sprint",
                       title="Transit Data Sprint", kind=EventKind.TECH_SPRINT.value, capacity=40)
    draft = make_event(organizer=organizer, slug="housing-roundtable", title="Housing Roundtable",
                       kind=EventKind.ROUNDTABLE.value, status=EventStatus.DRAFT.value)
    past = make_event(organizer=organizer, slug="census-hackathon", title="Census Hackathon",
                      kind=EventKind.HACKATHON.value, start=clock() - timedelta(days=30))
    cancelled = make_event(organizer=other_organizer, slug="parks-listening-session",
                           title="Parks Listening Session",
                           kind=EventKind.LISTENING_SESSION.value,
                           status=EventStatus.CANCELLED.value)
    world = World(
        slug=event.slug, other_slug=other.slug, draft_slug=draft.slug, past_slug=past.slug,
        cancelled_slug=cancelled.slug, session_id=first.id, organizer=organizer.email,
        other_organizer=other_organizer.email, admin=admin.email, stranger=stranger.email,
        registrant=registrant.email, waitlisted=waitlisted.email, checked_in_name=arrived.name,
    )
    settle()
    return world


# --- what each role visits ----------------------------------------------------------------

@dataclass(frozen=True)
class Visit:
    """A page to check: open ``path``; if ``then`` is given it acts (say, submits a form with
    mistakes) and the page it leads to is checked. ``endpoint`` is who must answer."""

    endpoint: str | None
    path: str
    status: int = 200
    then: Callable | None = None
    label: str = ""


def _event_form_end_before_start(page) -> None:
    page.get_by_label("Title").fill("Water Quality Datajam")
    page.get_by_label("Web address").fill("water-quality-datajam")
    page.get_by_label("Start").fill("2026-05-02T09:00")
    page.get_by_label("End", exact=True).fill("2026-05-01T17:00")
    page.get_by_role("button", name="Create draft").click()


def _session_form_missing_title(page) -> None:
    page.get_by_role("button", name="Add session").click()


def _signup_short_password(page) -> None:
    page.get_by_label("Full name").fill("Pat Newcomer")
    page.get_by_label("Email").fill("pat@example.org")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Repeat password").fill("short")
    page.get_by_role("button", name="Create account").click()


def _login_wrong_password(page) -> None:
    page.get_by_label("Email").fill("nobody@example.org")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()


def _password_change_wrong_current(page) -> None:
    page.get_by_label("Current password").fill("not my password")
    page.get_by_label("New password").fill("orbit-lantern-meadow-42")
    page.get_by_label("Repeat new password").fill("orbit-lantern-meadow-43")
    page.get_by_role("button", name="Change password").click()


def pages_for(role: str, w: World, reset_path: str = "/reset/TOKEN") -> list[Visit]:
    e = f"/events/{w.slug}"
    public = [
        Visit("core.home", "/"),
        Visit("events.index", "/events"),
        Visit("events.index", "/events?kind=datajam"),
        Visit("events.show", e),
        Visit("events.agenda", f"{e}/agenda"),
    ]
    if role == "anonymous":
        return public + [
            Visit("events.show", f"/events/{w.past_slug}"),
            Visit("events.show", f"/events/{w.cancelled_slug}"),
            Visit("accounts.signup", "/signup"),
            Visit("accounts.signup", "/signup", then=_signup_short_password,
                  label="with a too-short password"),
            Visit("accounts.login", "/login"),
            Visit("accounts.login", "/login", then=_login_wrong_password,
                  label="with a wrong password"),
            Visit("accounts.reset_request", "/reset"),
            Visit("accounts.reset_confirm", reset_path),
            Visit(None, "/no-such-page", 404),
            Visit("events.show", f"/events/{w.draft_slug}", 404, label="a draft: not found"),
        ]
    if role == "stranger":
        return public + [
            Visit("events.show", f"/events/{w.other_slug}", label="registration open"),
            Visit("accounts.profile", "/account"),
            Visit("accounts.password", "/account/password"),
            Visit("accounts.password", "/account/password", then=_password_change_wrong_current,
                  label="with a wrong current password"),
            Visit("events.roster", f"{e}/roster", 403, label="not allowed"),
        ]
    if role in ("registrant", "waitlisted"):
        return [Visit("core.home", "/"), Visit("events.show", e), Visit("events.agenda", f"{e}/agenda"),
                Visit("accounts.profile", "/account")]
    if role == "other_organizer":
        return public + [
            Visit("events.create", "/events/new"),
            Visit("events.show", f"/events/{w.other_slug}", label="as its organizer"),
            Visit("events.edit", f"{e}/edit", 403, label="someone else's event"),
        ]
    if role == "organizer":
        return public + [
            Visit("events.show", f"/events/{w.draft_slug}", label="a draft"),
            Visit("events.create", "/events/new"),
            Visit("events.create", "/events/new", then=_event_form_end_before_start,
                  label="with the end before the start"),
            Visit("events.edit", f"{e}/edit"),
            Visit("events.add_session", f"{e}/agenda/new"),
            Visit("events.add_session", f"{e}/agenda/new", then=_session_form_missing_title,
                  label="with no title"),
            Visit("events.edit_session", f"{e}/agenda/{w.session_id}/edit"),
            Visit("events.organizers", f"{e}/organizers"),
            Visit("events.partners", f"{e}/partners"),
            Visit("events.roster", f"{e}/roster"),
            Visit("events.checkin", f"{e}/checkin"),
            Visit("events.checkin", f"{e}/checkin?q=casey", label="searching"),
            Visit("accounts.profile", "/account"),
        ]
    if role == "admin":
        return [
            Visit("core.home", "/"),
            Visit("admin.users", "/admin/users"),
            Visit("admin.users", "/admin/users?q=olivia", label="searching"),
            Visit("events.create", "/events/new"),
            Visit("events.show", e, label="as site admin"),
            Visit("events.roster", f"{e}/roster", label="as site admin"),
            Visit("accounts.profile", "/account"),
        ]
    raise LookupError(role)


ROLES = ["anonymous", "stranger", "registrant", "waitlisted", "other_organizer", "organizer",
         "admin"]


def _email_of(role: str, w: World) -> str | None:
    return None if role == "anonymous" else getattr(w, role)


def request_reset_link(page, email: str, mail) -> str:
    """Ask for a reset through the form; return the link's path from the mail that arrives."""
    page.goto("/reset")
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Send reset link").click()
    page.get_by_text("a reset link is on its way").wait_for()
    message = mail.wait_for(lambda m: m["To"] == email)
    return re.search(r"https?://[^/\s]+(/reset/\S+)", message.get_content()).group(1)


def check_pages(page, visits: list[Visit], server, axe, *, phone: bool = False) -> list[str]:
    """Visit each page; return every problem found (all of them, not just the first)."""
    problems = []
    for visit in visits:
        where = f"{visit.path}" + (f" ({visit.label})" if visit.label else "")
        mark = len(server.served)
        response = page.goto(visit.path)
        if visit.then is not None:
            mark = len(server.served)
            with page.expect_navigation():
                visit.then(page)
        served = server.pages_since(mark)
        answer = served[-1] if served else None
        if answer is None or (answer.endpoint, answer.status) != (visit.endpoint, visit.status):
            got = (answer.endpoint, answer.status) if answer else response and response.status
            problems.append(f"{where}: expected {visit.endpoint} with {visit.status}, got {got}")
            continue
        problems.append(axe(page, where))
        if phone:
            problems.append(horizontal_overflow(page, where))
    return [p for p in problems if p]


# --- the tests ----------------------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_pages_pass_axe_on_desktop(role, world, desktop, live_server, axe, sign_in, mail):
    reset_path = "/reset/TOKEN"
    if role == "anonymous":
        reset_path = request_reset_link(desktop, world.registrant, mail)
    else:
        sign_in(desktop, _email_of(role, world))
    problems = check_pages(desktop, pages_for(role, world, reset_path), live_server, axe)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", ["anonymous", "organizer"])
def test_pages_pass_axe_and_fit_a_phone(role, world, phone, live_server, axe, sign_in, mail):
    reset_path = "/reset/TOKEN"
    if role == "anonymous":
        reset_path = request_reset_link(phone, world.registrant, mail)
    else:
        sign_in(phone, _email_of(role, world))
    problems = check_pages(phone, pages_for(role, world, reset_path), live_server, axe,
                           phone=True)
    assert not problems, "\n".join(problems)


def test_non_page_endpoints_serve_no_html(world, desktop, live_server, sign_in):
    sign_in(desktop, world.organizer)
    for path in ("/healthz", f"/events/{world.slug}/roster.csv"):
        response = desktop.request.get(path)
        assert response.ok, path
        assert "text/html" not in response.headers["content-type"], path


def test_every_get_page_is_checked(app, world):
    checked = {v.endpoint for role in ROLES for v in pages_for(role, world)}
    get_endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    missing = sorted(get_endpoints - checked - set(NOT_PAGES))
    assert not missing, ("GET endpoints no accessibility check visits; add them to pages_for() "
                         f"(or, if they serve no HTML, to NOT_PAGES): {missing}")
    stale = sorted((set(NOT_PAGES) | checked) - get_endpoints - {None})
    assert not stale, f"endpoints named here that the app no longer has: {stale}"
