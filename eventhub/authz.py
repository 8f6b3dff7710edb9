"""Named permissions: one table, checked by every view through @requires.

Unknown names raise, so a typo is a bug found by tests, never a silent denial or grant.
Event-scoped views first need "event.view": an event a person may not see is a 404,
so drafts do not leak even their existence.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort, g, redirect, request, url_for
from flask_login import current_user

from eventhub.enums import EventRoleKind, RegistrationStatus
from eventhub.extensions import db


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def is_admin(user) -> bool:
    return _signed_in(user) and user.is_admin


def has_role(user, event, role: EventRoleKind) -> bool:
    from eventhub.events.models import EventRole

    if not _signed_in(user) or event is None:
        return False
    cache = g.setdefault("_roles", {})
    key = (user.id, event.id)
    if key not in cache:
        cache[key] = set(
            db.session.scalars(
                db.select(EventRole.role).where(
                    EventRole.event_id == event.id, EventRole.user_id == user.id
                )
            )
        )
    return role in cache[key]


def is_organizer(user, event) -> bool:
    return is_admin(user) or has_role(user, event, EventRoleKind.ORGANIZER)


def is_judge(user, event) -> bool:
    return has_role(user, event, EventRoleKind.JUDGE)


def is_registrant(user, event) -> bool:
    from eventhub.events.models import Registration

    if not _signed_in(user) or event is None:
        return False
    status = db.session.scalar(
        db.select(Registration.status).where(
            Registration.event_id == event.id, Registration.user_id == user.id
        )
    )
    return status == RegistrationStatus.CONFIRMED


def can_view_event(user, event) -> bool:
    return event.is_visible or is_organizer(user, event)


Rule = Callable[[object, object], bool]

PERMISSIONS: dict[str, Rule] = {
    "public": lambda user, event: True,
    "account.self": lambda user, event: _signed_in(user),
    "admin.users": lambda user, event: is_admin(user),
    "event.create": lambda user, event: _signed_in(user) and user.may_organize,
    "dataset.import": lambda user, event: _signed_in(user) and user.may_organize,
    "event.view": lambda user, event: can_view_event(user, event),
    "event.manage": lambda user, event: is_organizer(user, event),
    "event.online_link": lambda user, event: (
        is_organizer(user, event) or is_registrant(user, event)
    ),
    "registration.create": lambda user, event: _signed_in(user) and event.is_visible,
    "registration.manage": lambda user, event: is_organizer(user, event),
    "challenge.view": lambda user, event: can_view_event(user, event),
    "challenge.manage": lambda user, event: is_organizer(user, event),
    # Signed in is enough to ask: the team services check registration, captaincy and the
    # formation window, and answer with a message saying which one failed.
    "team.view": lambda user, event: can_view_event(user, event),
    "team.participate": lambda user, event: _signed_in(user),
    "team.manage": lambda user, event: _signed_in(user),
    "team.organize": lambda user, event: is_organizer(user, event),
    # The project views then apply gallery and draft visibility (404) and team membership.
    "project.view": lambda user, event: can_view_event(user, event),
    "project.edit": lambda user, event: _signed_in(user),
    "project.organize": lambda user, event: is_organizer(user, event),
    # Judging. The judge's services then check assignment, conflicts and the judging window;
    # an invitation page is public (its token is the secret), accepting it needs an account.
    "judging.judge": lambda user, event: is_judge(user, event),
    "judging.invitation": lambda user, event: True,
    "judging.accept": lambda user, event: _signed_in(user),
    "judging.organize": lambda user, event: is_organizer(user, event),
    # Results are public once published (the view 404s before, except for organizers); a
    # team's feedback is for its members (checked by the service).
    "results.view": lambda user, event: can_view_event(user, event),
    "results.feedback": lambda user, event: _signed_in(user),
    "results.organize": lambda user, event: is_organizer(user, event),
    # Voting: registration, the window and one's own team are checked by the service.
    "vote.cast": lambda user, event: _signed_in(user),
    "demoday.view": lambda user, event: can_view_event(user, event),
    "demoday.organize": lambda user, event: is_organizer(user, event),
    # Calendars: the site feed and its page are public (event feeds use "event.view"); a
    # personal feed is open to whoever holds its token (the view checks it: unknown is a
    # 404); making, replacing and revoking one's own feed needs an account.
    "calendar.public": lambda user, event: True,
    "calendar.personal": lambda user, event: True,
    "calendar.manage": lambda user, event: _signed_in(user),
}


def can(user, name: str, event=None) -> bool:
    try:
        rule = PERMISSIONS[name]
    except KeyError:
        raise LookupError(f"unknown permission {name!r}") from None
    return bool(rule(user, event))


def requires(name: str):
    """Declare and enforce the permission a view needs (the url_map test looks for it)."""
    if name not in PERMISSIONS:
        raise LookupError(f"unknown permission {name!r}")

    def decorate(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            event = g.get("event")
            if event is not None and not can_view_event(current_user, event):
                abort(404)
            if not can(current_user, name, event):
                if not _signed_in(current_user):
                    return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
                abort(403)
            return view(*args, **kwargs)

        guarded.permission = name
        return guarded

    return decorate


def exempt_endpoints() -> set[str]:
    """Endpoints served by Flask itself, with no view of ours."""
    return {"static"}
