"""Every model module, imported once so metadata (and migrations) see all tables."""

from eventhub.accounts.models import PasswordReset, User
from eventhub.core.models import AuditEntry
from eventhub.events.models import AgendaSession, Event, EventRole, Partner, Registration

__all__ = [
    "AgendaSession",
    "AuditEntry",
    "Event",
    "EventRole",
    "Partner",
    "PasswordReset",
    "Registration",
    "User",
]
