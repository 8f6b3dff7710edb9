"""A small seeded install for tests that walk app.url_map: one user per role, an event A
with one of every event-owned row, and an event B whose rows must never show up under A.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from eventhub.accounts.models import User
from eventhub.accounts.services import request_password_reset
from eventhub.datasets.models import DatasetImport
from eventhub.enums import EventRoleKind, EventStatus
from eventhub.events.models import Event
from eventhub.extensions import db
from tests.factories import (
    add_role,
    link_dataset,
    make_admin,
    make_calendar_feed,
    make_challenge,
    make_dataset,
    make_event,
    make_organizer,
    make_partner,
    make_prize,
    make_session,
    make_user,
    register,
)

ROLES = (
    "anonymous",
    "stranger",
    "judge",
    "registrant",
    "other_organizer",
    "organizer",
    "admin",
)


@dataclass
class World:
    """Ids, not ORM objects: a walk may delete rows (a partner) that a later step names."""

    user_ids: dict[str, int | None]
    event_id: int
    slug: str
    other_slug: str
    co_organizer_id: int
    bystander_id: int
    session_id: int
    partner_id: int
    registration_id: int
    other_session_id: int
    other_partner_id: int
    other_registration_id: int
    challenge_slug: str
    prize_id: int
    dataset_id: int
    other_challenge_slug: str
    other_prize_id: int
    other_dataset_id: int
    import_id: int
    reset_token: str
    # Projects: the registrant's team in A has a submitted project with two screenshots
    # (one for the remove button, one for the image); B has the same for its own team.
    team_id: int = 0
    project_id: int = 0
    screenshot_id: int = 0
    screenshot_name: str = ""
    other_team_id: int = 0
    other_project_id: int = 0
    other_screenshot_id: int = 0
    other_screenshot_name: str = ""
    # Teams: another team in A (Cora captain, Milo member) whose invite code the walk uses,
    # and a pending request to the registrant's team; B has a request to its team too.
    join_code: str = ""
    member_id: int = 0
    request_id: int = 0
    other_join_code: str = ""
    other_request_id: int = 0
    publisher_id: int = 0
    # Demo day: A's running order has the registrant's project; B's has its own.
    slot_id: int = 0
    other_slot_id: int = 0
    # Judging setup: an open judge invitation per event (the link's token, and the row a
    # resend/revoke names, a different one in A), and a conflict each event's judge declared.
    invite_token: str = ""
    invitation_id: int = 0
    conflict_id: int = 0
    other_invite_token: str = ""
    other_invitation_id: int = 0
    other_conflict_id: int = 0
    # Calendars: the bystander's personal feed (nobody the walk signs in as can replace it).
    calendar_token: str = ""
    # A pending sign-up's link (the walk's browsers did not sign up: it asks a password).
    signup_token: str = ""
    # Assignment: another judge of A (not the walk's) assigned to the registrant's project,
    # B's judge to B's project; judge_id names the walk's judge (whom organizers may drop).
    judge_id: int = 0
    assignment_id: int = 0
    other_judge_id: int = 0
    other_assignment_id: int = 0

    def path_values(self, endpoint: str, arguments: set[str]) -> dict[str, object]:
        """Values for a rule's placeholders, all pointing at event A's rows."""
        ids = {
            "slug": self.slug,
            "session_id": self.session_id,
            "partner_id": self.partner_id,
            "registration_id": self.registration_id,
            "challenge_slug": self.challenge_slug,
            "prize_id": self.prize_id,
            "dataset_id": self.dataset_id,
            "import_id": self.import_id,
            "token": self.invite_token
            if endpoint.startswith("judging.")
            else self.calendar_token
            if endpoint.startswith("calendar.")
            else self.signup_token
            if endpoint == "accounts.signup_confirm"
            else self.reset_token,
            "team_id": self.team_id,
            "project_id": self.project_id,
            "screenshot_id": self.screenshot_id,
            "name": self.screenshot_name,
            "code": self.join_code,
            "member_id": self.member_id,
            "request_id": self.request_id,
            "publisher_id": self.publisher_id,
            "slot_id": self.slot_id,
            "invitation_id": self.invitation_id,
            "conflict_id": self.conflict_id,
            "judge_id": self.judge_id,
            "assignment_id": self.assignment_id,
            # A user_id is the co-organizer under an event, the bystander for the admin page.
            "user_id": self.bystander_id if endpoint.startswith("admin.") else self.co_organizer_id,
        }
        missing = arguments - ids.keys()
        assert not missing, f"{endpoint}: teach tests/integration/world.py the values of {missing}"
        return {name: ids[name] for name in arguments}

    def set_status(self, status: EventStatus) -> None:
        db.session.rollback()
        db.session.execute(
            db.update(Event).where(Event.id == self.event_id).values(status=status.value)
        )
        db.session.commit()

    def user(self, role: str) -> User | None:
        """The role's account as the database has it now (its session epoch may have moved)."""
        db.session.rollback()
        user_id = self.user_ids[role]
        return None if user_id is None else db.session.get(User, user_id)


def build_world(app, mail) -> World:
    organizer, co_organizer = make_organizer(name="Olivia Organizer"), make_organizer()
    other_organizer = make_organizer(name="Otto Other")
    stranger, registrant = make_user(name="Sam Stranger"), make_user(name="Rita Registrant")
    admin, bystander = make_admin(name="Ada Admin"), make_user(name="Bea Bystander")
    judge = make_user(name="Jo Judge")

    event = make_event(organizer=organizer, capacity=10, title="Open Budget Datajam")
    add_role(event, co_organizer, EventRoleKind.ORGANIZER)
    add_role(event, judge, EventRoleKind.JUDGE)
    other_event = make_event(organizer=other_organizer, title="Transit Data Sprint")

    challenge = make_challenge(event, title="Where the Budget Goes")
    dataset = make_dataset(title="City Budget Line Items")
    link_dataset(challenge, dataset)
    other_challenge = make_challenge(other_event, title="Faster Buses")
    other_dataset = make_dataset(title="Bus Arrival Times")
    link_dataset(other_challenge, other_dataset)

    people = {
        "anonymous": None,
        "stranger": stranger,
        "judge": judge,
        "registrant": registrant,
        "other_organizer": other_organizer,
        "organizer": organizer,
        "admin": admin,
    }
    world = World(
        user_ids={role: None if p is None else p.id for role, p in people.items()},
        event_id=event.id,
        slug=event.slug,
        other_slug=other_event.slug,
        co_organizer_id=co_organizer.id,
        bystander_id=bystander.id,
        session_id=make_session(event).id,
        partner_id=make_partner(event).id,
        registration_id=register(event, registrant).id,
        other_session_id=make_session(other_event).id,
        other_partner_id=make_partner(other_event).id,
        other_registration_id=register(other_event, bystander).id,
        challenge_slug=challenge.slug,
        prize_id=make_prize(challenge).id,
        dataset_id=dataset.id,
        other_challenge_slug=other_challenge.slug,
        other_prize_id=make_prize(other_challenge).id,
        other_dataset_id=other_dataset.id,
        import_id=db.session.scalar(db.select(db.func.max(DatasetImport.id))),
        reset_token=_reset_token(app, mail, bystander),
    )
    _add_projects(world, event, challenge, dataset, registrant, other_event, bystander)
    _add_teams(world, event, other_event)
    _add_judging_setup(world, event, other_event, judge)
    _add_demo_days(world, event, other_event)
    _add_assignments(world, event, other_event, judge)
    world.calendar_token = make_calendar_feed(bystander)
    world.signup_token = _signup_token(app, mail)
    return world


def _add_assignments(world, event, other_event, judge) -> None:
    from eventhub.events.models import EventRole
    from eventhub.judging.models import Assignment

    second = make_user(name="Ines Judge")
    add_role(event, second, EventRoleKind.JUDGE)
    other_judge_id = db.session.scalar(
        db.select(EventRole.user_id).where(
            EventRole.event_id == other_event.id, EventRole.role == EventRoleKind.JUDGE.value
        )
    )
    rows = [
        Assignment(event_id=event.id, judge_id=second.id, submission_id=world.project_id),
        Assignment(
            event_id=other_event.id, judge_id=other_judge_id, submission_id=world.other_project_id
        ),
    ]
    db.session.add_all(rows)
    db.session.commit()
    world.judge_id, world.other_judge_id = judge.id, other_judge_id
    world.assignment_id, world.other_assignment_id = rows[0].id, rows[1].id


def _add_projects(world, event, challenge, dataset, registrant, other_event, bystander) -> None:
    """A submitted project per event, each with a dataset and two screenshots on file."""
    from tests.factories import make_screenshot, make_submission, make_team

    for prefix, where, person, chosen in (
        ("", event, registrant, challenge),
        ("other_", other_event, bystander, None),
    ):
        team = make_team(where, person, name=f"Team of {person.name}")
        project = make_submission(team, challenge=chosen, state="submitted")
        if prefix == "":
            from eventhub.submissions.models import SubmissionDataset

            db.session.add(SubmissionDataset(submission_id=project.id, dataset_id=dataset.id))
        shots = [make_screenshot(project), make_screenshot(project)]
        setattr(world, f"{prefix}team_id", team.id)
        setattr(world, f"{prefix}project_id", project.id)
        setattr(world, f"{prefix}screenshot_id", shots[0].id)
        setattr(world, f"{prefix}screenshot_name", shots[1].stored_name)
    world.publisher_id = dataset.publisher_id


def _add_teams(world, event, other_event) -> None:
    """Nobody the walk signs in as captains Cora's team, so its code and members stay put;
    the registrant captains their own team (from _add_projects), which has a request."""
    from eventhub.teams.models import JoinRequest, Team
    from tests.factories import make_team

    captain, member = make_user(name="Cora Captain"), make_user(name="Milo Member")
    applicant, other_applicant = make_user(name="Ari Applicant"), make_user()
    for person in (captain, member, applicant):
        register(event, person)
    register(other_event, other_applicant)
    joinable = make_team(event, captain, member, name="Open Ledger")
    asks = [
        JoinRequest(team_id=world.team_id, user_id=applicant.id),
        JoinRequest(team_id=world.other_team_id, user_id=other_applicant.id),
    ]
    db.session.add_all(asks)
    db.session.commit()
    world.join_code, world.member_id = joinable.invite_code, member.id
    world.request_id, world.other_request_id = asks[0].id, asks[1].id
    world.other_join_code = db.session.get(Team, world.other_team_id).invite_code


def _add_demo_days(world, event, other_event) -> None:
    """A running order per event, built from its submitted project (one slot each)."""
    from eventhub.demoday.models import DemoSlot
    from tests.factories import make_demo_day

    for prefix, where in (("", event), ("other_", other_event)):
        make_demo_day(where)
        slot = db.session.scalar(db.select(DemoSlot).where(DemoSlot.event_id == where.id))
        setattr(world, f"{prefix}slot_id", slot.id)


def _add_judging_setup(world, event, other_event, judge) -> None:
    import secrets

    from eventhub.judging.judges import token_hash
    from eventhub.judging.models import JudgeConflict, JudgeInvitation

    other_judge = make_user(name="Otis Judge")
    add_role(other_event, other_judge, EventRoleKind.JUDGE)
    for prefix, where, person in (("", event, judge), ("other_", other_event, other_judge)):
        token = secrets.token_urlsafe(32)
        link = JudgeInvitation(event_id=where.id, email="invited@example.org")
        link.token_hash = token_hash(token)
        spare = JudgeInvitation(
            event_id=where.id, email="spare@example.org", token_hash="x" + prefix
        )
        team_id = getattr(world, f"{prefix}team_id")
        conflict = JudgeConflict(event_id=where.id, judge_id=person.id, team_id=team_id)
        db.session.add_all([link, spare, conflict])
        db.session.commit()
        setattr(world, f"{prefix}invite_token", token)
        setattr(world, f"{prefix}invitation_id", spare.id)
        setattr(world, f"{prefix}conflict_id", conflict.id)


def _signup_token(app, mail) -> str:
    """A live sign-up link, taken from the email the service sends."""
    from eventhub.accounts.signup import start_sign_up

    with app.test_request_context():
        start_sign_up(
            "newcomer@example.org",
            "Nia Newcomer",
            "ledger quartz meadow 1987",
            browser="not any browser of the walk",
            next_path="",
        )
        db.session.commit()
    message = mail.wait_for(lambda m: m["To"] == "newcomer@example.org")
    return re.search(r"/signup/confirm/(\S+)", message.get_content()).group(1)


def _reset_token(app, mail, user: User) -> str:
    """A live reset link for ``user``, taken from the email the service sends."""
    with app.test_request_context():
        request_password_reset(user.email)
        db.session.commit()
    message = mail.wait_for(lambda m: m["To"] == user.email)
    return re.search(r"/reset/(\S+)", message.get_content()).group(1)
