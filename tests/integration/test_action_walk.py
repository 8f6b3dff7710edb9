"""The page never offers what the server refuses: an event walked through its phases, and in
each, every role's pages read, every link to an action page followed and every button pressed.

The world is built once (factories); each phase moves the clock and flips the event's
switches, and its rows are kept: a pressed button may change them, so the tables it wrote
to are put back before the next one. A press succeeds when it is redirected with a success
or info message, or shows the next step, with no refusal: no error message, no 4xx. Pages
outside the event's own registration, team and project pages (judging, results, demo day,
the organizer console) are other walks' to read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

from eventhub.accounts.models import User
from eventhub.enums import EventRoleKind
from eventhub.events.models import Event
from eventhub.extensions import db
from eventhub.judging.models import JudgingSettings
from eventhub.teams.models import JoinRequest
from tests.factories import (
    PASSWORD,
    add_role,
    link_dataset,
    make_challenge,
    make_dataset,
    make_event,
    make_organizer,
    make_screenshot,
    make_submission,
    make_team,
    make_user,
    register,
)
from tests.integration.pages import Page
from tests.integration.walk_support import Action, Snapshot, actions_of, links_of, refusals

ROLES = ("anonymous", "no_team", "member", "captain", "judge", "organizer")
PHASES = ("registration_open", "hacking", "submissions_closed", "judging", "results")

# The pages walked: the event page and the cancel confirmation, teams and the board, projects,
# the person's account.
FOLLOWED = {
    "events.show",
    "events.confirm_cancel_registration",
    "accounts.profile",
    "accounts.password",
}
FOLLOWED_PREFIXES = ("teams.", "projects.")
NOT_PAGES = {"projects.screenshot", "projects.manage_csv", "teams.manage_csv"}


@dataclass
class World:
    slug: str
    event_id: int
    people: dict[str, int | None]
    typed: dict[str, str]
    moments: dict[str, datetime]


def build_world(clock) -> World:
    """Bus Datajam: full (every place taken), a team with a draft project and a pending
    request, a one-person team with a submitted project, a registrant without a team, a
    judge who is not registered."""
    organizer = make_organizer(name="Olivia Organizer")
    start = clock() + timedelta(days=7)
    event = make_event(
        organizer=organizer,
        slug="bus-jam",
        title="Bus Datajam",
        capacity=5,
        submission_deadline=start + timedelta(hours=6),
        team_max_size=2,  # Route Runners is full
    )
    challenge = make_challenge(event, title="Faster Buses")
    link_dataset(challenge, make_dataset(title="Bus Arrival Times"))
    captain, member = make_user(name="Cora Captain"), make_user(name="Milo Member")
    loner, applicant = make_user(name="Pat Solo"), make_user(name="Ari Applicant")
    other = make_user(name="Ann Alone")
    for person in (captain, member, loner, applicant, other):
        register(event, person)
    team = make_team(event, captain, member, name="Route Runners")
    elsewhere = make_team(event, other, name="Open Ledger")
    make_screenshot(make_submission(team, challenge=challenge, title="Radar"))
    entered = make_submission(elsewhere, challenge=challenge, title="Ledger", state="submitted")
    entered.submitted_at = clock()
    db.session.add(JoinRequest(team_id=team.id, user_id=applicant.id, message="Hi"))
    judge = make_user(name="Jo Judge")
    add_role(event, judge, EventRoleKind.JUDGE)
    db.session.add(JudgingSettings(event_id=event.id, opens_at=event.ends_at))
    db.session.commit()
    until = (event.ends_at + timedelta(days=2)).astimezone(ZoneInfo(event.timezone))
    return World(
        slug=event.slug,
        event_id=event.id,
        people={
            "anonymous": None,
            "no_team": loner.id,
            "member": member.id,
            "captain": captain.id,
            "judge": judge.id,
            "organizer": organizer.id,
        },
        typed={
            "name": "Night Owls",
            "email": "friend@example.org",
            "code": elsewhere.invite_code,  # a code someone gave them
            "title": "Radar",
            "alt": "The map of late buses",
            "message": "I can help with maps.",
            "skills": "maps",
            "until": until.strftime("%Y-%m-%dT%H:%M"),
            "reason": "A power cut",
            "current_password": PASSWORD,
            "password": "a new passphrase for the walk 77",
            "confirm": "a new passphrase for the walk 77",
        },
        moments={
            "registration_open": clock(),
            "hacking": event.starts_at + timedelta(hours=1),
            "submissions_closed": event.submission_deadline + timedelta(minutes=30),
            "judging": event.ends_at + timedelta(hours=1),
            "results": event.ends_at + timedelta(days=1),
        },
    )


def enter(world: World, phase: str, clock) -> None:
    """The clock moves on; from judging the organizers have opened the gallery, and at the
    end they publish the results."""
    clock.set(world.moments[phase])
    db.session.rollback()
    if phase == "judging":
        db.session.execute(
            db.update(Event).where(Event.id == world.event_id).values(gallery_open=True)
        )
    if phase == "results":
        db.session.execute(
            db.update(JudgingSettings)
            .where(JudgingSettings.event_id == world.event_id)
            .values(results_published_at=clock() - timedelta(hours=1))
        )
    db.session.commit()


class Walker:
    """One role in one phase: reads the pages it reaches, then presses every button."""

    def __init__(self, app, login_as, world: World, role: str, *, with_account: bool):
        """``with_account``: read the person's account pages too (once: they are the same
        for every role and phase)."""
        self.app, self.login_as, self.world, self.role = app, login_as, world, role
        self.with_account = with_account
        self.adapter = app.url_map.bind("localhost")
        self.wrong: list[str] = []

    def client(self):
        client = self.app.test_client()
        user_id = self.world.people[self.role]
        if user_id is not None:
            db.session.rollback()
            self.login_as(db.session.get(User, user_id), on=client)
        return client

    def endpoint(self, path: str) -> str | None:
        parts = urlsplit(path)
        try:
            endpoint, _ = self.adapter.match(parts.path, method="GET")
        except (NotFound, MethodNotAllowed, RequestRedirect):  # not a page of ours
            return None
        return endpoint

    def followed(self, path: str) -> bool:
        endpoint = self.endpoint(path)
        if endpoint is None or endpoint in NOT_PAGES:
            return False
        return endpoint in FOLLOWED or endpoint.startswith(FOLLOWED_PREFIXES)

    def read(self) -> list[Action]:
        """Every page the role reaches from the event page, and the buttons on them."""
        client = self.client()
        base = f"/events/{self.world.slug}"
        queue = [base, f"{base}/teams", f"{base}/board", f"{base}/projects"]
        if self.with_account:
            queue.append("/account")
        seen, actions = set(queue), {}
        while queue:
            path = queue.pop(0)
            response = client.get(path)
            if response.status_code in (301, 302, 303):
                target = urlsplit(response.headers["Location"])
                if target.path == "/login":
                    continue  # the page asks a visitor to sign in: nothing offered
                path = target.path + (f"?{target.query}" if target.query else "")
                response = client.get(path)
            if response.status_code >= 400:
                self.wrong.append(f"GET {path}: {response.status_code}")
                continue
            page = Page(response.get_data(as_text=True))
            for action in actions_of(page, path):
                actions.setdefault(action.key, action)
            for link in links_of(page, path):
                if link not in seen and self.followed(link):
                    seen.add(link)
                    queue.append(link)
        return list(actions.values())

    def press(self, action: Action) -> None:
        client = self.client()
        response = client.post(action.path, data=action.data(self.world.typed))
        where = f"“{action.label}” ({action.path}) on {action.found_on}"
        if response.status_code in (301, 302, 303):
            target = response.headers["Location"]
            if urlsplit(target).path == "/login":
                self.wrong.append(f"{where}: sent to sign in")
                return
            # The message the next page shows, read where it waits (the session) rather than
            # by fetching that page: every page it can land on is read in read().
            with client.session_transaction() as session:
                said = session.get("_flashes", [])
            told = [message for category, message in said if category == "error"]
            if told or not said:
                self.wrong.append(f"{where}: refused: {told or 'no message'}")
            return
        if response.status_code >= 400:
            self.wrong.append(f"{where}: {response.status_code}")
            return
        told = refusals(Page(response.get_data(as_text=True)))
        if told:
            self.wrong.append(f"{where}: refused: {told}")


def test_every_action_a_page_offers_succeeds_for_every_role_in_every_phase(app, login_as, clock):
    world = build_world(clock)
    wrong = []
    for phase in PHASES:
        enter(world, phase, clock)
        rows = Snapshot()
        try:
            for role in ROLES:
                once = phase == PHASES[0] and role == "no_team"
                walker = Walker(app, login_as, world, role, with_account=once)
                for action in walker.read():
                    walker.press(action)
                    rows.restore()
                wrong += [f"{phase}, {role}: {line}" for line in walker.wrong]
        finally:
            rows.close()

    assert wrong == [], "\n".join(wrong)
