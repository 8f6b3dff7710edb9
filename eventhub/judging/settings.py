"""The event's judging settings: judges per entry, the judging window, the optional pairwise
first round and the people's-choice voting window. The row is made on the first save; until
then queries.settings_of answers with the defaults."""

from __future__ import annotations

from datetime import datetime

from eventhub.core.audit import audit
from eventhub.errors import DomainError
from eventhub.events.models import Event
from eventhub.extensions import db
from eventhub.judging.models import JudgingSettings

FIELDS = (
    "judges_per_entry",
    "opens_at",
    "closes_at",
    "pairwise",
    "finalists",
    "voting_opens_at",
    "voting_closes_at",
)


def _check_windows(data: dict) -> None:
    opens, closes = data.get("opens_at"), data.get("closes_at")
    if opens and closes and closes <= opens:
        raise DomainError("Judging must close after it opens.", field="closes_at")
    opens, closes = data.get("voting_opens_at"), data.get("voting_closes_at")
    if (opens is None) != (closes is None):
        missing = "voting_closes_at" if closes is None else "voting_opens_at"
        raise DomainError(
            "Enter both when voting opens and when it closes, or leave both empty for no vote.",
            field=missing,
        )
    if opens and closes and closes <= opens:
        raise DomainError("Voting must close after it opens.", field="voting_closes_at")


def _check_numbers(data: dict) -> None:
    if not 1 <= data["judges_per_entry"] <= 20:
        raise DomainError("Enter a number of judges from 1 to 20.", field="judges_per_entry")
    if not 1 <= data["finalists"] <= 500:
        raise DomainError("Enter a number of finalists from 1 to 500.", field="finalists")


def _plain(value):
    return value.isoformat() if isinstance(value, datetime) else value


def save_settings(event: Event, data: dict, *, actor) -> JudgingSettings:
    _check_numbers(data)
    _check_windows(data)
    settings = db.session.get(JudgingSettings, event.id)
    created = settings is None
    if created:
        settings = JudgingSettings(event_id=event.id)
        db.session.add(settings)
    changed = {
        name: _plain(data[name])
        for name in FIELDS
        if created or getattr(settings, name) != data[name]
    }
    for name in FIELDS:
        setattr(settings, name, data[name])
    db.session.flush()
    if changed:
        audit(actor, "judging.settings", event, event=event, created=created, **changed)
    return settings
