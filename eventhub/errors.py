"""DomainError and the error pages. A failed request never leaves half-written rows."""

from __future__ import annotations

from flask import Flask, g, jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, DBAPIError, InterfaceError, OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException

from eventhub.extensions import db, login_manager

# Seconds a client is asked to wait when the database cannot answer (locked, down, away).
RETRY_AFTER = 10
SQLITE_ERROR = 1  # SQLite's generic code: a bad statement or a missing table, not an outage


class DomainError(Exception):
    """A rule was broken; the message tells a person what to do about it."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


TITLES = {
    400: "Bad request",
    403: "Not allowed",
    404: "Page not found",
    405: "Method not allowed",
    413: "Too large",
    429: "Too many attempts",
    500: "Something went wrong",
    503: "Service unavailable",
}


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def render_error(code: int, message: str | None = None):
    db.session.rollback()
    title = TITLES.get(code, "Error")
    if wants_json():
        return jsonify(error=title, message=message or title), code
    return render_template("errors/error.html", code=code, title=title, message=message), code


def database_unavailable(exc: DBAPIError) -> bool:
    """Whether the database could not serve the request (unreachable, disconnected, locked,
    busy) rather than refused a statement, which is a bug and stays a 500."""
    if exc.connection_invalidated or isinstance(exc, InterfaceError):
        return True
    if not isinstance(exc, OperationalError):
        return False
    code = getattr(exc.orig, "sqlite_errorcode", None)  # SQLite reports most errors this way
    return code is None or code & 0xFF != SQLITE_ERROR


def render_unavailable(app: Flask, exc: DBAPIError):
    said = str(exc.orig).strip()
    cause = said.splitlines()[0][:200] if said else ""
    app.logger.warning(
        "database unavailable on %s %s: %s: %s",
        request.method,
        request.path,
        type(exc.orig).__name__,
        cause,
    )
    try:
        db.session.rollback()
    except SQLAlchemyError:
        pass  # the connection is gone; the pool replaces it
    # Nothing more may ask the database in this request: not the page, not the headers.
    g._login_user = login_manager.anonymous_user()
    title = TITLES[503]
    message = "The site cannot reach its data just now. Nothing was changed; try again shortly."
    if wants_json():
        response = make_response(jsonify(error=title, message=message), 503)
    else:
        page = render_template("errors/unavailable.html", title=title, message=message)
        response = make_response(page, 503)
    response.headers["Retry-After"] = str(RETRY_AFTER)
    return response


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        return render_error(
            400,
            "The form expired or was sent from another site. "
            "Go back, reload the page and try again.",
        )

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        message = exc.description if exc.code in (400, 413, 429) else None
        if exc.code == 413:
            # A view that accepts large uploads says what its own limit is.
            message = (
                g.get("too_large_message") or "What you sent is larger than this site accepts."
            )
        if exc.code == 429:
            message = f"Too many attempts. Wait {_limit_window(exc)} and try again."
        response = make_response(render_error(exc.code or 500, message))
        if exc.code == 405 and exc.valid_methods:
            response.headers["Allow"] = ", ".join(exc.valid_methods)
        return response

    @app.errorhandler(DBAPIError)
    def database_error(exc: DBAPIError):
        if database_unavailable(exc):
            return render_unavailable(app, exc)
        if isinstance(exc, DataError) and "NUL" in str(exc.orig):
            # PostgreSQL takes no NUL in text; whatever input let one through is the
            # client's, and the request changes nothing.
            return render_error(400, "What you sent holds a NUL character. Remove it and retry.")
        return unexpected(exc)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return render_error(500)


def _limit_window(exc: HTTPException) -> str:
    """How long the refused limit's window is, in words: Flask-Limiter's exception carries
    the limit that was hit (``10 per minute`` for sign-ins, ``5 per hour`` for sign-ups)."""
    item = getattr(getattr(exc, "limit", None), "limit", None)
    seconds = item.get_expiry() if item is not None else 60
    return "a minute" if seconds <= 60 else "an hour" if seconds <= 3600 else "a day"
