"""Sessions, response headers and safe redirects."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, g, request

from eventhub.extensions import db, login_manager

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: https:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)
# Browsers that once reached the site over https keep to https for a year. Not for
# subdomains: an install does not own its siblings.
HSTS = "max-age=31536000"


def safe_next(target: str | None, fallback: str) -> str:
    """Only a path on this site: no scheme, no host, no protocol-relative '//' trick, and no
    control character (browsers drop tabs and line breaks from a URL, so "/\n/evil" is
    "//evil"; in a Location header they would end it)."""
    if not target or any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in target):
        return fallback
    target = target.strip().replace("\\", "/")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target


def _load_user(session_id: str):
    from eventhub.accounts.models import User

    user_id, _, epoch = session_id.partition(":")
    if not user_id.isdigit() or not epoch.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_epoch != int(epoch):
        return None
    return user


def _headers(response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if response.mimetype == "text/html":
        response.headers.setdefault("Content-Security-Policy", CSP)
    if request.is_secure:  # https here, or at the proxy when EVENTHUB_PROXY_FIX is on
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    if request.endpoint not in (None, "static") and "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = "no-store" if _is_private(response) else "no-cache"
    return response


def _is_private(response: Response) -> bool:
    from flask_login import current_user

    return bool(getattr(current_user, "is_authenticated", False))


BodyLimit = Callable[[], tuple[int, str]]


def larger_body(limit: BodyLimit):
    """Let a view accept a request body larger than the site-wide limit: ``limit()`` gives the
    byte limit and the message a 413 shows. Applied before any before_request hook runs (CSRF
    reads the form there), so the view's limit is the one in force."""

    def decorate(view):
        view.body_limit = limit
        return view

    return decorate


def _apply_body_limit(endpoint, values) -> None:
    view = current_app.view_functions.get(endpoint) if endpoint else None
    limit = getattr(view, "body_limit", None)
    if limit is not None:
        request.max_content_length, g.too_large_message = limit()


def configure_security(app: Flask) -> None:
    login_manager.user_loader(_load_user)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.after_request(_headers)
    app.url_value_preprocessor(_apply_body_limit)
    if app.config.get("PROXY_FIX"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]
