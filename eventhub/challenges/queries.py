"""Reads for challenge pages. A challenge is only ever found through its event, so another
event's slug or prize id is a 404 under this one, never a leak."""

from __future__ import annotations

from flask import abort
from sqlalchemy.orm import selectinload

from eventhub.challenges.models import Challenge, ChallengeDataset, Prize
from eventhub.datasets.models import Dataset
from eventhub.datasets.queries import Filters, Results, search_datasets
from eventhub.events.models import Event
from eventhub.extensions import db

SEARCH_LIMIT = 200


def _with_details(stmt):
    """Prizes and datasets in two more queries, however many challenges: pages stay flat."""
    return stmt.options(
        selectinload(Challenge.prizes),
        selectinload(Challenge.dataset_links)
        .joinedload(ChallengeDataset.dataset)
        .joinedload(Dataset.publisher),
    )


def challenges_of(event: Event) -> list[Challenge]:
    stmt = (
        db.select(Challenge)
        .where(Challenge.event_id == event.id)
        .order_by(Challenge.position, Challenge.id)
    )
    return list(db.session.scalars(_with_details(stmt)))


def find_challenge(event: Event, slug: str) -> Challenge | None:
    return db.session.scalar(
        db.select(Challenge).where(Challenge.event_id == event.id, Challenge.slug == slug)
    )


def get_challenge(event: Event, slug: str) -> Challenge:
    """The event's challenge with this slug, with its prizes and datasets; else 404."""
    challenge = db.session.scalar(
        _with_details(
            db.select(Challenge).where(Challenge.event_id == event.id, Challenge.slug == slug)
        )
    )
    if challenge is None:
        abort(404)
    return challenge


def get_prize(challenge: Challenge, prize_id: int) -> Prize:
    prize = db.session.scalar(
        db.select(Prize).where(Prize.id == prize_id, Prize.challenge_id == challenge.id)
    )
    if prize is None:
        abort(404)
    return prize


def get_link(challenge: Challenge, dataset_id: int) -> ChallengeDataset:
    link = db.session.get(ChallengeDataset, (challenge.id, dataset_id))
    if link is None:
        abort(404)
    return link


def get_dataset(dataset_id: int) -> Dataset | None:
    return db.session.get(Dataset, dataset_id)


def search_catalog(q: str, page: int = 1) -> Results | None:
    """Catalog matches for the picker; None until something is asked (no wall of datasets)."""
    q = (q or "").strip()[:SEARCH_LIMIT]
    if not q:
        return None
    return search_datasets(Filters(q=q), page=page, facets=False)
