"""Defaults, each overridable by an EVENTHUB_<NAME> environment variable.

Every setting the README documents is listed in ``ENV_SETTINGS``; ``from_env`` reads them with
their types so a typo in production fails at start-up instead of at the first request.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"


def _bool(text: str) -> bool:
    value = text.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"expected a boolean, got {text!r}")


# name -> (flask config key, parser, default)
ENV_SETTINGS: dict[str, tuple[str, type | object, object]] = {
    "DATABASE_URL": ("SQLALCHEMY_DATABASE_URI", str, f"sqlite:///{INSTANCE / 'eventhub.sqlite3'}"),
    "SECRET_KEY": ("SECRET_KEY", str, None),
    "BASE_URL": ("BASE_URL", str, "http://127.0.0.1:8000"),
    "ENV": ("EVENTHUB_ENV", str, "development"),
    "MAIL_SERVER": ("MAIL_SERVER", str, ""),
    "MAIL_PORT": ("MAIL_PORT", int, 25),
    "MAIL_USERNAME": ("MAIL_USERNAME", str, ""),
    "MAIL_PASSWORD": ("MAIL_PASSWORD", str, ""),
    "MAIL_USE_TLS": ("MAIL_USE_TLS", _bool, False),
    "MAIL_USE_SSL": ("MAIL_USE_SSL", _bool, False),
    "MAIL_SENDER": ("MAIL_SENDER", str, "EventHub <noreply@eventhub.localhost>"),
    "MAIL_TIMEOUT": ("MAIL_TIMEOUT", float, 10.0),
    "MAX_CONTENT_LENGTH": ("MAX_CONTENT_LENGTH", int, 2 * 1024 * 1024),
    "RATELIMIT_STORAGE_URL": (
        "RATELIMIT_STORAGE_URI",
        str,
        f"sqlite:///{INSTANCE / 'ratelimits.sqlite3'}",
    ),
    "LOGIN_RATE_LIMIT": ("LOGIN_RATE_LIMIT", str, "10 per minute"),
    "SIGNUP_RATE_LIMIT": ("SIGNUP_RATE_LIMIT", str, "5 per hour"),
    "SIGNUP_CLIENT_RATE_LIMIT": ("SIGNUP_CLIENT_RATE_LIMIT", str, "50 per hour"),
    "SESSION_COOKIE_SECURE": ("SESSION_COOKIE_SECURE", _bool, None),
    "PROXY_FIX": ("PROXY_FIX", _bool, False),
    "LOG_LEVEL": ("LOG_LEVEL", str, "INFO"),
    "IMPORT_MAX_BYTES": ("IMPORT_MAX_BYTES", int, 20 * 1024 * 1024),
    "IMPORT_TIMEOUT": ("IMPORT_TIMEOUT", float, 20.0),
    "IMPORT_RATE_LIMIT": ("IMPORT_RATE_LIMIT", str, "30 per hour"),
    "INVITE_RATE_LIMIT": ("INVITE_RATE_LIMIT", str, "20 per hour"),
    "UPLOAD_DIR": ("UPLOAD_DIR", str, str(INSTANCE / "uploads")),
}


def local_secret(path: Path = INSTANCE / "secret_key") -> str:
    """A random key kept in instance/ so every worker and restart of a local run shares it.

    Written to a temporary file and linked into place, so a worker starting at the same
    moment reads either no file or the whole key, never a half-written one.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(48))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text().strip()


def from_env(environ: os._Environ[str] | dict[str, str] = os.environ) -> dict[str, object]:
    settings: dict[str, object] = {}
    for name, (key, parse, default) in ENV_SETTINGS.items():
        raw = environ.get(f"EVENTHUB_{name}")
        if raw is None:
            settings[key] = default
            continue
        try:
            settings[key] = parse(raw)  # type: ignore[operator]
        except ValueError as exc:
            raise RuntimeError(f"EVENTHUB_{name}: {exc}") from None
    return settings


MIN_SECRET_BYTES = 32
# Values people copy from examples and tutorials; compared case-insensitively.
PLACEHOLDER_SECRETS = frozenset(
    {
        "change-me",
        "changeme",
        "change_me",
        "change-this",
        "replace-me",
        "secret",
        "secret-key",
        "secret_key",
        "mysecret",
        "dev",
        "development",
        "test",
        "testing",
        "password",
        "insecure",
        "default",
        "eventhub",
        "your-secret-key",
    }
)


def secret_key_problem(key: str) -> str | None:
    """Why ``key`` is too weak to sign production sessions, or None."""
    raw = key.encode()
    if key.strip().lower() in PLACEHOLDER_SECRETS:
        return "is a placeholder from an example; generate a random one"
    if len(raw) < MIN_SECRET_BYTES:
        return f"is {len(raw)} bytes; use at least {MIN_SECRET_BYTES} random bytes"
    # A short unit said again and again ("change-me" * 4) is as guessable as the unit.
    for size in range(1, 17):
        if len(key) % size == 0 and key == key[:size] * (len(key) // size):
            return "repeats a short value; generate a random one"
    return None


def per_process_limits(storage_uri: str) -> bool:
    """Rate-limit counters that each process keeps alone (``memory://``): with several
    processes every limit is multiplied by their number."""
    return storage_uri.partition("://")[0] in ("memory", "")


def finish(config: dict[str, object]) -> dict[str, object]:
    """Fill values that depend on others and refuse unsafe production settings."""
    production = config.get("EVENTHUB_ENV") == "production"
    if not config.get("SECRET_KEY"):
        if production:
            raise RuntimeError("EVENTHUB_SECRET_KEY must be set in production.")
        config["SECRET_KEY"] = local_secret()
    elif production and (problem := secret_key_problem(str(config["SECRET_KEY"]))):
        raise RuntimeError(
            f"EVENTHUB_SECRET_KEY {problem} "
            '(python -c "import secrets; print(secrets.token_urlsafe(48))").'
        )
    limits_storage = config.get("RATELIMIT_STORAGE_URI")
    if production and limits_storage is not None and per_process_limits(str(limits_storage)):
        raise RuntimeError(
            "EVENTHUB_RATELIMIT_STORAGE_URL must be shared by every process in production "
            "(redis://host:6379/0, or sqlite:////path/ratelimits.sqlite3 on a single host)."
        )
    if config.get("SESSION_COOKIE_SECURE") is None:
        config["SESSION_COOKIE_SECURE"] = production
    return config


DEFAULTS: dict[str, object] = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "WTF_CSRF_TIME_LIMIT": None,
    "RATELIMIT_HEADERS_ENABLED": True,
    "PASSWORD_RESET_MINUTES": 30,
    "SIGNUP_CONFIRM_HOURS": 24,
    "CLOCK": None,
    # Tests only: one origin ("http://127.0.0.1:PORT") exempt from the https and public-address
    # rules of remote imports, so a local server can stand in for a portal.
    "IMPORT_TEST_ORIGIN": None,
}
