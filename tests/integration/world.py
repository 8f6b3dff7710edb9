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

ROLES = ("anonymous", "stranger", "registrant", "other_organizer", "organizer", "admin")


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
            "token": self.reset_token,
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

    event = make_event(organizer=organizer, capacity=10, title="Open Budget Datajam")
    add_role(event, co_organizer, EventRoleKind.ORGANIZER)
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
        "registrant": registrant,
        "other_organizer": other_organizer,
        "organizer": organizer,
        "admin": admin,
    }
    return World(
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


def _reset_token(app, mail, user: User) -> str:
    """A live reset link for ``user``, taken from the email the service sends."""
    with app.test_request_context():
        request_password_reset(user.email)
        db.session.commit()
    message = mail.wait_for(lambda m: m["To"] == user.email)
    return re.search(r"/reset/(\S+)", message.get_content()).group(1)
