"""Rate-limit counters in an SQLite file that every process of one host shares.

A storage for the ``limits`` library (which Flask-Limiter uses), registered under the
``sqlite`` scheme, its path written as in EVENTHUB_DATABASE_URL:
``EVENTHUB_RATELIMIT_STORAGE_URL=sqlite:////srv/eventhub/ratelimits.sqlite3``.
It is the default, so the gunicorn workers of ``make run`` count sign-in, reset and sign-up
attempts together with no server to run. Several hosts share Redis instead.

The counters live in their own file, never in the app database: each attempt takes SQLite's
write lock for a moment, and that must not wait behind, or hold up, the app's transactions.
A fixed-window counter is one row; one ``INSERT ... ON CONFLICT`` statement increments it or
starts a new window, so two workers counting the same key at once both count.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from pathlib import Path

from limits.storage import Storage

SCHEME = "sqlite"
# Expired rows are swept every this many increments of a process; reads ignore them anyway.
_SWEEP_EVERY = 500

_SCHEMA = """
CREATE TABLE IF NOT EXISTS counters (
    key TEXT PRIMARY KEY,
    count INTEGER NOT NULL,
    expires_at REAL NOT NULL
) WITHOUT ROWID
"""

_INCR = """
INSERT INTO counters (key, count, expires_at) VALUES (:key, :amount, :now + :expiry)
ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN expires_at <= :now THEN excluded.count ELSE count + excluded.count END,
    expires_at = CASE WHEN expires_at <= :now THEN excluded.expires_at ELSE expires_at END
RETURNING count
"""


def storage_path(uri: str) -> Path:
    """As in SQLAlchemy's URLs: ``sqlite:////abs/file`` is /abs/file, ``sqlite:///rel/file``
    is rel/file (from the working directory)."""
    _, sep, rest = uri.partition(":///")
    if not sep or not rest:
        raise ValueError(f"expected sqlite:///path/to/file, got {uri!r}")
    return Path(rest)


class SQLiteStorage(Storage):
    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.path = storage_path(uri or "")
        self.timeout = float(options.get("timeout", 5.0))
        self._local = threading.local()
        self._increments = 0

    @property
    def base_exceptions(self) -> type[Exception]:
        return sqlite3.Error

    def _db(self) -> sqlite3.Connection:
        """One connection per thread, opened in the process that uses it (never across a
        fork), and only on first use: building the app alone creates no file."""
        conn = getattr(self._local, "conn", None)
        if conn is None or self._local.pid != os.getpid():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute(_SCHEMA)
            self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        db = self._db()
        rows = db.execute(_INCR, {"key": key, "amount": amount, "now": now, "expiry": expiry})
        count = rows.fetchall()[0][0]  # read to the end: the statement then lets the lock go
        self._increments += 1
        if self._increments % _SWEEP_EVERY == 0:
            db.execute("DELETE FROM counters WHERE expires_at <= ?", (now,))
        return int(count)

    def get(self, key: str) -> int:
        row = (
            self._db()
            .execute(
                "SELECT count FROM counters WHERE key = ? AND expires_at > ?", (key, time.time())
            )
            .fetchone()
        )
        return int(row[0]) if row else 0

    def get_expiry(self, key: str) -> float:
        now = time.time()
        row = (
            self._db()
            .execute("SELECT expires_at FROM counters WHERE key = ? AND expires_at > ?", (key, now))
            .fetchone()
        )
        return float(row[0]) if row else now

    def check(self) -> bool:
        try:
            self._db().execute("SELECT 1").fetchall()
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        return self._db().execute("DELETE FROM counters").rowcount

    def clear(self, key: str) -> None:
        self._db().execute("DELETE FROM counters WHERE key = ?", (key,))
