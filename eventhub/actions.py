"""The act-and-commit step the form views share (request flow: validate, act, commit)."""

from __future__ import annotations

from flask_login import current_user

from eventhub.errors import DomainError
from eventhub.extensions import db


def act(form, service, target):
    """Run ``service(target, form data, actor=...)`` for a valid form and commit. A refusal
    rolls back and lands beside its field. Returns the service's result (or True), or None
    when nothing was done."""
    if not form.validate_on_submit():
        return None
    try:
        result = service(target, form.data_for_service(), actor=current_user)
    except DomainError as exc:
        db.session.rollback()
        form.add_error(exc.message, exc.field)
        return None
    db.session.commit()
    return result or True
