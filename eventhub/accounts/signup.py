"""Sign-up by emailed link: the page answers the same whether or not an address is taken.

A new address gets a link that makes the account; a taken one gets a message saying an
account exists, with sign-in and reset links. The same work is done either way (the password
is hashed, one message is queued), so neither the page nor its timing tells them apart.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import current_app, url_for
from sqlalchemy.exc import IntegrityError

from eventhub import mail
from eventhub.accounts.models import PendingSignup, User, lower_email
from eventhub.accounts.passwords import hash_password, verify_password
from eventhub.accounts.services import check_password, find_user
from eventhub.clock import now
from eventhub.core.audit import audit
from eventhub.errors import DomainError
from eventhub.extensions import db

EXPIRED = "This sign-up link has expired or was already used. Sign up again."
TAKEN = "An account with this email already exists. Sign in or reset your password."


def token_hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _link(endpoint: str, **values) -> str:
    return current_app.config["BASE_URL"].rstrip("/") + url_for(endpoint, **values)


def start_sign_up(email: str, name: str, password: str, *, browser: str, next_path: str) -> None:
    """Mail the next step to ``email``. ``browser`` is a random value kept in the signing-up
    browser's session; ``next_path`` is where the finished account goes (a local path)."""
    email, name = lower_email(email), name.strip()
    check_password(User(email=email, name=name), password)
    password_hash = hash_password(password)  # before the branch: both ways cost the same
    db.session.execute(db.delete(PendingSignup).where(PendingSignup.expires_at <= now()))
    existing = find_user(email)
    if existing is not None:
        mail.queue(
            db.session,
            existing.email,
            "You already have an EventHub account",
            "signup_exists",
            user=existing,
            login_link=_link("accounts.login"),
            reset_link=_link("accounts.reset_request"),
        )
        return
    # One sign-up per address at a time: a second one replaces the first.
    db.session.execute(db.delete(PendingSignup).where(PendingSignup.email == email))
    token = secrets.token_urlsafe(32)
    hours = current_app.config["SIGNUP_CONFIRM_HOURS"]
    db.session.add(
        PendingSignup(
            email=email,
            name=name,
            password_hash=password_hash,
            token_hash=token_hash(token),
            browser_hash=token_hash(browser),
            next_path=next_path,
            expires_at=now() + timedelta(hours=hours),
        )
    )
    mail.queue(
        db.session,
        email,
        "Finish creating your EventHub account",
        "signup_confirm",
        name=name,
        link=_link("accounts.signup_confirm", token=token),
        hours=hours,
    )


def find_pending(token: str) -> PendingSignup | None:
    pending = db.session.scalar(
        db.select(PendingSignup).where(PendingSignup.token_hash == token_hash(token))
    )
    if pending is None or pending.expires_at <= now():
        return None
    return pending


def same_browser(pending: PendingSignup, browser: str | None) -> bool:
    return bool(browser) and hmac.compare_digest(token_hash(browser), pending.browser_hash)


def finish_sign_up(token: str, *, browser: str | None, password: str) -> tuple[User, str]:
    """Make the account of a pending sign-up; returns it and where it goes next.

    Another browser than the one that signed up must give the chosen password: whoever
    typed someone else's address cannot have the owner finish an account they control."""
    pending = find_pending(token)
    if pending is None:
        raise DomainError(EXPIRED)
    if not same_browser(pending, browser):
        if not password:
            raise DomainError("Enter the password you chose when you signed up.", field="password")
        if not verify_password(pending.password_hash, password):
            raise DomainError(
                "That is not the password you chose when you signed up.", field="password"
            )
    if find_user(pending.email) is not None:
        raise DomainError(TAKEN)
    user = User(email=pending.email, name=pending.name, password_hash=pending.password_hash)
    next_path = pending.next_path
    # Taken with a conditional delete: two presses of one link cannot both make an account.
    taken = db.session.execute(
        db.delete(PendingSignup)
        .where(PendingSignup.id == pending.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if taken != 1:
        raise DomainError(EXPIRED)
    db.session.add(user)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise DomainError(TAKEN) from None
    audit(user, "account.create", user)
    return user, next_path
