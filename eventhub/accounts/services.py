"""Accounts: sign-up, sign-in, sessions, password reset, organizer rights."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app, url_for
from sqlalchemy.exc import IntegrityError

from eventhub import mail
from eventhub.accounts.models import PasswordReset, User, lower_email
from eventhub.accounts.passwords import hash_password, password_problem, verify_password
from eventhub.clock import now
from eventhub.core.audit import audit
from eventhub.errors import DomainError
from eventhub.extensions import db


def find_user(email: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.email == lower_email(email)))


def check_password(user: User, password: str) -> None:
    problem = password_problem(password, user_inputs=[user.email, user.name])
    if problem:
        raise DomainError(problem, field="password")


def create_account(email: str, name: str, password: str) -> User:
    """An account made at once, for the command line (create-admin). People signing up on
    the site go through eventhub.accounts.signup, which proves the address first."""
    email = lower_email(email)
    user = User(email=email, name=name.strip(), password_hash="")
    check_password(user, password)
    if find_user(email) is not None:
        raise DomainError(
            "An account with this email already exists. Sign in or reset your password.",
            field="email",
        )
    user.password_hash = hash_password(password)
    db.session.add(user)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise DomainError("An account with this email already exists.", field="email") from None
    audit(user, "account.create", user)
    return user


def authenticate(email: str, password: str) -> User | None:
    """The same work and the same answer whether or not the email is known."""
    user = find_user(email)
    if not verify_password(user.password_hash if user else None, password):
        return None
    return user


def end_all_sessions(user: User) -> None:
    user.session_epoch += 1


def change_password(user: User, current: str, new: str) -> None:
    if not verify_password(user.password_hash, current):
        raise DomainError("Your current password is not right.", field="current_password")
    check_password(user, new)
    user.password_hash = hash_password(new)
    end_all_sessions(user)
    end_reset_links(user)
    audit(user, "account.password_change", user)


def update_profile(user: User, *, name: str, affiliation: str, bio: str, skills: str) -> None:
    user.name = name.strip()
    user.affiliation = affiliation.strip()
    user.bio = bio.strip()
    user.skills = ", ".join(s.strip() for s in skills.split(",") if s.strip())
    audit(user, "account.profile_update", user)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def request_password_reset(email: str) -> None:
    """Mail a reset link if the account exists; say nothing either way."""
    user = find_user(email)
    if user is None:
        return
    token = secrets.token_urlsafe(32)
    minutes = current_app.config["PASSWORD_RESET_MINUTES"]
    db.session.add(
        PasswordReset(
            user_id=user.id,
            token_hash=_token_hash(token),
            expires_at=now() + timedelta(minutes=minutes),
        )
    )
    link = current_app.config["BASE_URL"].rstrip("/") + url_for(
        "accounts.reset_confirm", token=token
    )
    mail.queue(
        db.session,
        user.email,
        "Reset your EventHub password",
        "password_reset",
        user=user,
        link=link,
        minutes=minutes,
    )


def end_reset_links(user: User) -> None:
    """Every reset link of the account still outstanding stops working: once the password
    is chosen again, a link left in a mailbox is only a way in for whoever reads it."""
    db.session.execute(
        db.update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=now())
    )


def find_reset(token: str) -> PasswordReset | None:
    reset = db.session.scalar(
        db.select(PasswordReset).where(PasswordReset.token_hash == _token_hash(token))
    )
    if reset is None or reset.used_at is not None or reset.expires_at <= now():
        return None
    return reset


def reset_password(token: str, new: str) -> User:
    reset = find_reset(token)
    if reset is None:
        raise DomainError("This reset link has expired or was already used. Ask for a new one.")
    user = reset.user
    check_password(user, new)
    # Taken with a conditional update: two uses of one link cannot both succeed.
    taken = db.session.execute(
        db.update(PasswordReset)
        .where(PasswordReset.id == reset.id, PasswordReset.used_at.is_(None))
        .values(used_at=now())
    ).rowcount
    if taken != 1:
        raise DomainError("This reset link has expired or was already used. Ask for a new one.")
    user.password_hash = hash_password(new)
    end_all_sessions(user)
    end_reset_links(user)
    audit(user, "account.password_reset", user)
    return user


def set_organizer_right(user: User, allowed: bool, *, actor: User) -> None:
    user.can_organize = allowed
    audit(actor, "account.organizer_right", user, allowed=allowed)


def make_admin(
    email: str, *, name: str | None = None, password: str | None = None
) -> tuple[User, bool]:
    """Promote an account, or create it when a password is given. Returns (user, created)."""
    user = find_user(email)
    created = False
    if user is None:
        if password is None:
            raise DomainError(f"No account with the email {lower_email(email)}.")
        user = create_account(email, name or email.split("@")[0], password)
        created = True
    user.is_admin = True
    user.can_organize = True
    audit(None, "account.make_admin", user)
    return user, created
