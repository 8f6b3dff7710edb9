"""What organizers do with projects: open or close the gallery, give one team more time, and
take the list away as CSV."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from eventhub.core.audit import audit
from eventhub.errors import DomainError
from eventhub.events.models import Event
from eventhub.events.phases import submission_deadline
from eventhub.extensions import db
from eventhub.safetext import web_url
from eventhub.submissions import queries
from eventhub.submissions.models import DeadlineExtension, Submission
from eventhub.teams.models import Team
from eventhub.textfmt import plain_text
from eventhub.timefmt import format_datetime


def set_gallery(event: Event, data: dict, *, actor) -> bool:
    event.gallery_open = bool(data["open"])
    audit(actor, "project.gallery", event, event=event, open=event.gallery_open)
    db.session.flush()
    return event.gallery_open


def grant_extension(team: Team, data: dict, *, actor) -> DeadlineExtension:
    """One extension per team: granting again moves its end."""
    until: datetime = data["until"]
    if until <= submission_deadline(team.event):
        zone = team.event.timezone
        raise DomainError(
            "An extension must end after the event's deadline, "
            f"{format_datetime(submission_deadline(team.event), zone)} ({zone}).",
            field="until",
        )
    extension = queries.extension_of(team.id) or DeadlineExtension(team_id=team.id)
    extension.until, extension.reason = until, data.get("reason", "")
    extension.granted_by_id = getattr(actor, "id", None)
    db.session.add(extension)
    db.session.flush()
    audit(actor, "project.extension_grant", team, event=team.event, until=until.isoformat())
    return extension


def revoke_extension(team: Team, *, actor) -> None:
    extension = queries.extension_of(team.id)
    if extension is None:
        raise DomainError(f"{team.name} has no extension.")
    db.session.delete(extension)
    audit(actor, "project.extension_revoke", team, event=team.event)
    db.session.flush()


def projects_csv(event: Event, submissions: list[Submission]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    zone = event.timezone
    writer.writerow(
        [
            "id",
            "title",
            "team",
            "members",
            "challenge",
            "state",
            f"submitted ({zone})",
            f"last change ({zone})",
            "repository",
            "demo",
            "video",
            "datasets",
        ]
    )
    for sub in submissions:
        last = sub.changes[0].at if sub.changes else sub.updated_at
        writer.writerow(
            [
                sub.id,
                _cell(sub.title),
                _cell(sub.team.name),
                _cell("; ".join(m.user.name for m in sub.team.current_members)),
                _cell(sub.challenge.title if sub.challenge else ""),
                sub.state,
                format_datetime(sub.submitted_at, zone),
                format_datetime(last, zone),
                _cell(web_url(sub.repository_url) or ""),
                _cell(web_url(sub.demo_url) or ""),
                _cell(web_url(sub.video_url) or ""),
                _cell("; ".join(plain_text(d.title) for d in sub.datasets)),
            ]
        )
    return out.getvalue()


def _cell(text: str) -> str:
    """Keep spreadsheet programs from running a cell as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
