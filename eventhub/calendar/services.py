"""A person's private feed: made (or replaced), revoked, its reminders chosen.

The token is a random secret (``secrets.token_urlsafe(32)``) that only the person ever sees,
once; the database keeps its SHA-256. A signature that expires would be wrong here: a
subscribed calendar would stop updating without anyone noticing.
"""

from __future__ import annotations

import hashlib
import secrets

from eventhub.calendar.models import REMINDERS, CalendarToken
from eventhub.core.audit import audit
from eventhub.errors import DomainError
from eventhub.extensions import db

NO_FEED = "You have no calendar feed. Make one first."


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_of(user) -> CalendarToken | None:
    return db.session.scalar(db.select(CalendarToken).where(CalendarToken.user_id == user.id))


def _check_reminder(reminder: str) -> None:
    if reminder not in REMINDERS:
        raise DomainError("Choose no reminder, 1 hour before or 1 day before.", field="reminder")


def create_feed(user, data: dict, *, actor) -> str:
    """Make the person's feed, or give it a new address: the old one stops working at once.
    Returns the token, which is not stored and cannot be shown again."""
    reminder = data.get("reminder", "none")
    _check_reminder(reminder)
    token = secrets.token_urlsafe(32)
    feed = feed_of(user)
    replaced = feed is not None
    if feed is None:
        feed = CalendarToken(user_id=user.id)
        db.session.add(feed)
    feed.token_hash, feed.reminder = token_hash(token), reminder
    db.session.flush()
    audit(actor, "calendar.replace" if replaced else "calendar.create", feed, reminder=reminder)
    return token


def revoke_feed(user, data: dict | None = None, *, actor) -> None:
    feed = feed_of(user)
    if feed is None:
        raise DomainError(NO_FEED)
    audit(actor, "calendar.revoke", feed)
    db.session.delete(feed)
    db.session.flush()


def set_reminder(user, data: dict, *, actor) -> CalendarToken:
    feed = feed_of(user)
    if feed is None:
        raise DomainError(NO_FEED)
    _check_reminder(data.get("reminder", ""))
    if feed.reminder != data["reminder"]:
        feed.reminder = data["reminder"]
        db.session.flush()
        audit(actor, "calendar.reminder", feed, reminder=feed.reminder)
    return feed
