from eventhub.core.models import AuditEntry
from eventhub.extensions import db


def audit(actor, action: str, target, *, event=None, **detail) -> AuditEntry:
    """Record an action in the same transaction as the change it describes."""
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        event_id=getattr(event, "id", None),
        action=action,
        target_type=type(target).__name__,
        target_id=getattr(target, "id", None),
        detail=detail,
    )
    db.session.add(entry)
    return entry
