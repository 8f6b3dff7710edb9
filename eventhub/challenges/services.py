"""Challenges, their prizes and their datasets: the rules the HTML views and the API share.

Uniqueness (a slug per event, a dataset once per challenge) is checked first for a clear
message, and the database constraint backs it: a concurrent duplicate ends as the same
message through a savepoint, never as a 500 or a second row.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from eventhub.challenges import queries
from eventhub.challenges.models import Challenge, ChallengeDataset, Prize
from eventhub.core.audit import audit
from eventhub.errors import DomainError
from eventhub.events.models import Event
from eventhub.extensions import db

RESERVED_SLUGS = frozenset({"new"})  # pages under /events/<slug>/challenges/
CHALLENGE_FIELDS = ("title", "slug", "summary", "problem_statement", "sponsor", "eligibility")
PRIZE_FIELDS = ("name", "description", "amount", "kind", "winners")

SLUG_TAKEN = "Another challenge of this event already uses this web address. Choose another."


def _flush_or(message: str, field: str | None = None) -> None:
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise DomainError(message, field=field) from None


def _check_slug(event: Event, slug: str, current: Challenge | None = None) -> None:
    if slug in RESERVED_SLUGS:
        raise DomainError(
            f"“{slug}” is reserved for a page of the site. Choose another.", field="slug"
        )
    other = queries.find_challenge(event, slug)
    if other is not None and other is not current:
        raise DomainError(SLUG_TAKEN, field="slug")


def create_challenge(event: Event, data: dict, *, actor) -> Challenge:
    _check_slug(event, data["slug"])
    position = db.session.scalar(
        db.select(db.func.count(Challenge.id)).where(Challenge.event_id == event.id)
    )
    challenge = Challenge(event_id=event.id, position=position, **data)
    db.session.add(challenge)
    _flush_or(SLUG_TAKEN, "slug")
    audit(actor, "challenge.create", challenge, event=event, slug=challenge.slug)
    return challenge


def update_challenge(challenge: Challenge, data: dict, *, actor) -> list[str]:
    """Checks before it changes anything, so a refused edit leaves the row as it was."""
    _check_slug(challenge.event, data["slug"], current=challenge)
    changed = [k for k in CHALLENGE_FIELDS if k in data and getattr(challenge, k) != data[k]]
    for key in changed:
        setattr(challenge, key, data[key])
    _flush_or(SLUG_TAKEN, "slug")
    audit(actor, "challenge.update", challenge, event=challenge.event, fields=changed)
    return changed


def _check_prize(data: dict) -> None:
    if data.get("amount") is None and not (data.get("kind") or "").strip():
        raise DomainError(
            "Enter a cash amount in dollars, or describe the prize under “Kind of prize”.",
            field="amount",
        )
    if data.get("amount") is not None and data["amount"] < 0:
        raise DomainError("Enter an amount of 0 dollars or more.", field="amount")
    if data.get("winners", 1) < 1:
        raise DomainError("A prize needs at least 1 winner.", field="winners")


def add_prize(challenge: Challenge, data: dict, *, actor) -> Prize:
    _check_prize(data)
    fields = {k: data[k] for k in PRIZE_FIELDS if k in data}
    prize = Prize(challenge=challenge, position=len(challenge.prizes), **fields)
    db.session.add(prize)
    db.session.flush()
    audit(actor, "challenge.prize_add", prize, event=challenge.event, name=prize.name)
    return prize


def remove_prize(prize: Prize, *, actor) -> None:
    challenge = prize.challenge
    audit(actor, "challenge.prize_remove", prize, event=challenge.event, name=prize.name)
    challenge.prizes.remove(prize)
    db.session.flush()


def link_dataset(challenge: Challenge, dataset_id: int | None, *, actor) -> ChallengeDataset:
    dataset = queries.get_dataset(dataset_id) if dataset_id else None
    if dataset is None:
        raise DomainError(
            "That dataset is not in the catalog. Search again and choose one from the results.",
            field="dataset_id",
        )
    already = f"“{dataset.title}” is already linked to this challenge."
    if any(link.dataset_id == dataset.id for link in challenge.dataset_links):
        raise DomainError(already, field="dataset_id")
    link = ChallengeDataset(
        challenge=challenge, dataset=dataset, position=len(challenge.dataset_links)
    )
    db.session.add(link)
    _flush_or(already, "dataset_id")
    audit(
        actor,
        "challenge.dataset_link",
        challenge,
        event=challenge.event,
        dataset_id=dataset.id,
    )
    return link


def unlink_dataset(link: ChallengeDataset, *, actor) -> None:
    challenge = link.challenge
    audit(
        actor,
        "challenge.dataset_unlink",
        challenge,
        event=challenge.event,
        dataset_id=link.dataset_id,
    )
    challenge.dataset_links.remove(link)
    db.session.flush()
