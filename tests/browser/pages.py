"""The pages the accessibility checks visit, per role, and the data they are built from
(dataset and challenge pages: ``catalog_pages.py`` and ``catalog_world.py``; team and
project pages: ``team_pages.py`` and ``team_world.py``; judging, demo day and results:
``judging_pages.py`` and ``judging_world.py``).

Each role's list names the endpoint that must answer and a text the page must show, so a
check can never pass on the wrong page (a redirect to sign-in, an error page).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from eventhub.enums import EventKind, EventStatus, SessionKind, SessionStatus
from eventhub.events import registration
from eventhub.extensions import db
from tests.browser.catalog_pages import catalog_pages
from tests.browser.catalog_world import CatalogWorld, seed_catalog
from tests.browser.conftest import settle
from tests.browser.judging_pages import NOT_PAGES as JUDGING_NOT_PAGES
from tests.browser.judging_pages import judging_pages
from tests.browser.judging_world import JudgingWorld, seed_judging
from tests.browser.team_pages import NOT_PAGES as TEAM_NOT_PAGES
from tests.browser.team_pages import team_pages
from tests.browser.team_world import TeamWorld, seed_teams
from tests.browser.visit import Visit
from tests.factories import (
    make_admin,
    make_event,
    make_organizer,
    make_partner,
    make_pending_signup,
    make_session,
    make_user,
    register,
)

NOT_PAGES = {
    "static": "files under static/ (CSS, scripts, fonts, images)",
    "core.healthz": "JSON for the load balancer",
    "events.roster_csv": "a CSV download",
    "datasets.catalog_json": "the featured datasets as a DCAT-US data.json (JSON)",
    **TEAM_NOT_PAGES,
    **JUDGING_NOT_PAGES,
    "calendar.site_feed": "the site's events as an iCalendar feed (.ics)",
    "calendar.personal_feed": "a person's own iCalendar feed (.ics), behind its secret token",
    "calendar.event_feed": "an event's iCalendar feed (.ics)",
    "calendar.event_download": "an event as an iCalendar file (.ics)",
    "calendar.session_download": "one session as an iCalendar file (.ics)",
}


@dataclass(frozen=True)
class World:
    """What the pages are built from: plain values, so no ORM object outlives the seeding."""

    slug: str  # published, capacity 2: two confirmed, one waitlisted; sessions, partners
    other_slug: str  # another organizer's event, places left
    draft_slug: str  # the organizer's draft
    past_slug: str
    cancelled_slug: str
    session_id: int
    organizer: str  # emails, each with tests.factories.PASSWORD
    other_organizer: str
    admin: str
    stranger: str
    registrant: str
    waitlisted: str
    checked_in_name: str
    catalog: CatalogWorld  # datasets, imports and the main event's challenges
    teams: TeamWorld  # teams and projects in the other organizer's event
    judging: JudgingWorld  # judging, demo days and results (Olivia's events and Omar's)
    signup_path: str = "/signup/confirm/a-sign-up-made-in-no-browser"  # a pending sign-up

    @property
    def judge(self) -> str:
        """The judge role's email: Jamie judges in Olivia's events."""
        return self.judging.judge


def seed_world(clock) -> World:
    """The people and events every page is built from; the session is left settled."""
    organizer = make_organizer(
        name="Olivia Organizer", email="olivia@example.org", affiliation="Department of Health"
    )
    other_organizer = make_organizer(name="Omar Other", email="omar@example.org")
    admin = make_admin(name="Avery Admin", email="avery@example.org")
    stranger = make_user(name="Sam Stranger", email="sam@example.org")
    registrant = make_user(
        name="Riley Registrant", email="riley@example.org", affiliation="Code for Boston"
    )
    arrived = make_user(name="Casey Checkedin", email="casey@example.org")
    waitlisted = make_user(name="Wren Waitlisted", email="wren@example.org")

    event = make_event(
        organizer=organizer,
        slug="open-health-datajam",
        title="Open Health Datajam",
        kind=EventKind.DATAJAM.value,
        hours=32,
        capacity=2,
        summary="A two-day datajam on public health data.",
        description=(
            "Bring a laptop.\n\n## What to expect\n\n- **Workshops** with data owners\n"
            "- Team hacking\n\nRead the [data dictionary](https://example.org/dd)."
        ),
        venue_name="Civic Hall",
        venue_address="124 East 14th Street, New York, NY 10003",
        online_url="https://example.org/live/open-health",
    )
    first = make_session(
        event, title="Opening keynote", location="Main stage", description="Why open data matters."
    )
    make_session(
        event,
        offset_hours=2,
        hours=2,
        title="Workshop: hospital price files",
        kind=SessionKind.WORKSHOP.value,
        location="Room A",
    )
    make_session(
        event,
        offset_hours=4,
        title="Postponed panel",
        kind=SessionKind.PANEL.value,
        status=SessionStatus.CANCELLED.value,
    )
    make_session(event, offset_hours=24, hours=3, title="Demo day", kind=SessionKind.DEMO.value)
    make_partner(event, name="Department of Health", url="https://example.org/health", position=0)
    make_partner(event, name="Civic Hall", logo_url="/static/img/favicon.svg", position=1)
    register(event, registrant)
    checked = register(event, arrived)
    register(event, waitlisted)
    registration.check_in(checked, actor=organizer)
    db.session.commit()

    other = make_event(
        organizer=other_organizer,
        slug="transit-data-sprint",
        title="Transit Data Sprint",
        kind=EventKind.TECH_SPRINT.value,
        capacity=40,
    )
    draft = make_event(
        organizer=organizer,
        slug="housing-roundtable",
        title="Housing Roundtable",
        kind=EventKind.ROUNDTABLE.value,
        status=EventStatus.DRAFT.value,
    )
    past = make_event(
        organizer=organizer,
        slug="census-hackathon",
        title="Census Hackathon",
        kind=EventKind.HACKATHON.value,
        start=clock() - timedelta(days=30),
    )
    cancelled = make_event(
        organizer=other_organizer,
        slug="parks-listening-session",
        title="Parks Listening Session",
        kind=EventKind.LISTENING_SESSION.value,
        status=EventStatus.CANCELLED.value,
    )
    make_pending_signup(World.signup_path.rsplit("/", 1)[1], name="Nia Newcomer")
    catalog = seed_catalog(event, organizer=organizer, admin=admin)
    teams = seed_teams(
        other,
        organizer=other_organizer,
        captain=organizer,
        member=registrant,
        other_captain=waitlisted,
    )
    world = World(
        slug=event.slug,
        other_slug=other.slug,
        draft_slug=draft.slug,
        past_slug=past.slug,
        cancelled_slug=cancelled.slug,
        session_id=first.id,
        organizer=organizer.email,
        other_organizer=other_organizer.email,
        admin=admin.email,
        stranger=stranger.email,
        registrant=registrant.email,
        waitlisted=waitlisted.email,
        checked_in_name=arrived.name,
        catalog=catalog,
        teams=teams,
        judging=seed_judging(
            clock,
            organizer=organizer,
            teams=teams,
            transit_organizer=other_organizer,
            member=registrant,
        ),
    )
    settle()
    return world


# --- what each role visits ----------------------------------------------------------------


def _event_form_end_before_start(page) -> None:
    page.get_by_label("Title").fill("Water Quality Datajam")
    page.get_by_label("Web address").fill("water-quality-datajam")
    page.get_by_label("Start").fill("2026-05-02T09:00")
    page.get_by_label("End", exact=True).fill("2026-05-01T17:00")
    page.get_by_role("button", name="Create draft").click()


def _event_form_invalid_fields(page) -> None:
    """No title, and a web address with two mistakes at once (too short, wrong characters)."""
    page.get_by_label("Web address").fill("-")
    page.get_by_label("Online link").fill("ftp://example.org/stream")
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
    page.get_by_label("New password", exact=True).fill("orbit-lantern-meadow-42")
    page.get_by_label("Repeat new password").fill("orbit-lantern-meadow-42")
    page.get_by_role("button", name="Change password").click()


def _manage_pages(w: World) -> list[Visit]:
    """What the organizers of the main event (and site admins) see."""
    e = f"/events/{w.slug}"
    return [
        Visit("events.show", e, "Return to draft", label="managing"),
        Visit("events.agenda", f"{e}/agenda", "Cancel “Opening keynote”", label="managing"),
        Visit("events.edit", f"{e}/edit", "Edit event"),
        Visit("events.add_session", f"{e}/agenda/new", "Add a session"),
        Visit("events.edit_session", f"{e}/agenda/{w.session_id}/edit", "Edit session"),
        Visit("events.organizers", f"{e}/organizers", "Olivia Organizer"),
        Visit("events.partners", f"{e}/partners", "Remove Civic Hall"),
        Visit("events.roster", f"{e}/roster", "Waitlist (1)"),
        Visit("events.checkin", f"{e}/checkin", f"Undo check-in of {w.checked_in_name}"),
        Visit(
            "events.checkin", f"{e}/checkin?q=riley", "Check in Riley Registrant", label="searching"
        ),
    ]


def pages_for(role: str, w: World, reset_path: str = "/reset/TOKEN") -> list[Visit]:
    if role == "judge":  # only the judge's own pages: see judging_pages.py
        return judging_pages(role, w.judging)
    return (
        _event_pages(role, w, reset_path)
        + catalog_pages(role, w.slug, w.catalog)
        + team_pages(role, w.teams)
        + judging_pages(role, w.judging)
    )


def _event_pages(role: str, w: World, reset_path: str) -> list[Visit]:
    e = f"/events/{w.slug}"
    public = [
        Visit("core.home", "/", "Coming up"),
        Visit("events.index", "/events", "Past"),
        Visit("events.index", "/events?kind=datajam", "Open Health Datajam", label="filtered"),
        Visit("events.agenda", f"{e}/agenda", "Opening keynote"),
    ]
    signed_in = public + [
        Visit("accounts.profile", "/account", "Your account"),
        Visit("accounts.password", "/account/password", "Change your password"),
    ]
    if role == "anonymous":
        return public + [
            Visit("events.show", e, "create an account to register"),
            Visit("events.show", f"/events/{w.past_slug}", "Ended"),
            Visit("events.show", f"/events/{w.cancelled_slug}", "This event is cancelled."),
            Visit("accounts.signup", "/signup", "Create your account"),
            Visit(
                "accounts.signup",
                "/signup",
                "Use at least 12 characters.",
                then=_signup_short_password,
                label="with a too-short password",
            ),
            Visit("accounts.signup_sent", "/signup/sent", "Check your email"),
            Visit("accounts.signup_confirm", w.signup_path, "The password you chose"),
            Visit("accounts.login", "/login", "Forgot your password?"),
            Visit(
                "accounts.login",
                "/login",
                "do not match an account",
                then=_login_wrong_password,
                label="with a wrong password",
            ),
            Visit("accounts.reset_request", "/reset", "Reset your password"),
            Visit("accounts.reset_confirm", reset_path, "Choose a new password"),
            Visit("calendar.site_page", "/calendar", "Subscribe to events"),
            Visit(None, "/no-such-page", "Page not found", 404),
            Visit(
                "events.show",
                f"/events/{w.draft_slug}",
                "Page not found",
                404,
                label="someone's draft",
            ),
        ]
    if role == "stranger":
        return signed_in + [
            Visit("events.show", e, "Join the waitlist", label="full"),
            Visit("events.show", f"/events/{w.other_slug}", "Register", label="places left"),
            Visit(
                "accounts.password",
                "/account/password",
                "Your current password is not right.",
                then=_password_change_wrong_current,
                label="with a wrong current password",
            ),
            Visit("events.roster", f"{e}/roster", "Not allowed", 403, label="not allowed"),
            Visit("accounts.signup", "/signup", "Create your account", label="signed in"),
            Visit("accounts.login", "/login", "Sign in", label="signed in"),
            Visit("accounts.reset_request", "/reset", "Reset your password", label="signed in"),
        ]
    if role == "registrant":
        return signed_in + [Visit("events.show", e, "https://example.org/live/open-health")]
    if role == "waitlisted":
        return signed_in + [Visit("events.show", e, "You are number 1 on the waitlist.")]
    if role == "other_organizer":
        return signed_in + [
            Visit("events.show", e, "Join the waitlist", label="not theirs"),
            Visit("events.create", "/events/new", "New event"),
            Visit("events.show", f"/events/{w.other_slug}", "Return to draft", label="theirs"),
            Visit("events.edit", f"{e}/edit", "Not allowed", 403, label="not theirs"),
        ]
    if role == "organizer":
        return (
            signed_in
            + _manage_pages(w)
            + [
                Visit("core.home", "/", "Your drafts", label="with drafts"),
                Visit("events.show", f"/events/{w.draft_slug}", "Publish event", label="a draft"),
                Visit("events.create", "/events/new", "New event"),
                Visit(
                    "events.create",
                    "/events/new",
                    "The end must be after the start.",
                    then=_event_form_end_before_start,
                    label="with the end before the start",
                ),
                Visit(
                    "events.create",
                    "/events/new",
                    "Use lowercase letters, digits and single",
                    then=_event_form_invalid_fields,
                    label="with invalid fields",
                ),
                Visit(
                    "events.add_session",
                    f"{e}/agenda/new",
                    "Enter a title.",
                    then=_session_form_missing_title,
                    label="with no title",
                ),
            ]
        )
    if role == "admin":
        return (
            signed_in
            + _manage_pages(w)
            + [
                Visit("admin.users", "/admin/users", "Wren Waitlisted"),
                Visit(
                    "admin.users",
                    "/admin/users?q=olivia",
                    "Remove organizer right for Olivia",
                    label="searching",
                ),
                Visit("events.create", "/events/new", "New event"),
            ]
        )
    raise LookupError(role)


ROLES = [
    "anonymous",
    "stranger",
    "registrant",
    "waitlisted",
    "other_organizer",
    "organizer",
    "admin",
    "judge",
]


def desktop_pages(role: str, w: World, reset_path: str = "/reset/TOKEN") -> list[Visit]:
    """On a desktop every role's pages, except that the admin (an organizer of every event,
    so shown the same management pages) skips the visits the organizer already makes."""
    if role != "admin":
        return pages_for(role, w, reset_path)
    organizer = {(v.path, v.label, v.shows) for v in pages_for("organizer", w)}
    return [v for v in pages_for("admin", w) if (v.path, v.label, v.shows) not in organizer]


def phone_pages(role: str, w: World, reset_path: str = "/reset/TOKEN") -> list[Visit]:
    """On a phone each page once: as anonymous, as organizer and as the judge, plus what
    only admins see."""
    if role != "admin":
        return pages_for(role, w, reset_path)
    seen = {v.endpoint for r in ("anonymous", "organizer") for v in pages_for(r, w)}
    return [v for v in pages_for("admin", w) if v.endpoint not in seen]


PHONE_ROLES = ["anonymous", "organizer", "admin", "judge"]
