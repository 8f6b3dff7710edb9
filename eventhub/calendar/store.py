"""Feed parts as last written, reused by this process and shared with every other one.

Writing a VEVENT costs tens of microseconds (icalendar's escaping and folding), so a site
feed of 11,000 items written from nothing takes over a second, and a VTIMEZONE for a zone
without daylight saving takes icalendar a tenth of one. Each part is written once, then
reused:

- in memory, per process (``MEMORY``): a warm feed is a join of bytes;
- in the database (``calendar_parts``): a fresh process (a new gunicorn worker, another
  host) reads what the others wrote, in one query, instead of writing it again.

A part is keyed by what it is (``site-event-42``, ``zone-Pacific/Honolulu-2025-2027``) and
carries the fingerprint of what it was written from: its rows' versions and the URL rules
it links by (a zone's: its compiled rules, ``ics.zone_rules``) and the code that writes
them (``ics.FORMAT``). A part whose stored fingerprint is not the one wanted is written
again and replaced, so a part is never stale, only missing; the table is derived data and
may be emptied at any time.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

from flask import current_app
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from eventhub.calendar.ics import FORMAT
from eventhub.calendar.models import CalendarPart
from eventhub.extensions import db


class Memory:
    """Each part's latest bytes with their fingerprint, by key (so an edited event replaces
    its old bytes instead of leaving them behind), least recently used first out; safe
    across gthread threads."""

    def __init__(self, size: int = 20_000):
        self.size, self.found = size, OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str, print_: str) -> bytes | None:
        with self.lock:
            found = self.found.get(key)
            if found is None or found[0] != print_:
                return None
            self.found.move_to_end(key)
            return found[1]

    def put(self, key: str, print_: str, value: bytes) -> None:
        with self.lock:
            self.found[key] = (print_, value)
            self.found.move_to_end(key)
            while len(self.found) > self.size:
                self.found.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.found.clear()


MEMORY = Memory()


def fingerprint(*values) -> str:
    """What a part is written from, as a short digest (``str`` of each value: the same in
    every process, whatever its hash seed)."""
    text = "|".join(str(value) for value in (FORMAT, *values))
    return hashlib.sha256(text.encode()).hexdigest()[:40]


class Parts:
    """The parts of one feed: from memory, else from the database, else written by the
    feed (``add``) and stored once it is built (``save``)."""

    def __init__(self) -> None:
        self.written: dict[str, tuple[str, bytes]] = {}

    def find(self, wanted: dict[str, str]) -> dict[str, bytes]:
        """The parts of ``wanted`` (key: fingerprint) that exist as wanted."""
        found: dict[str, bytes] = {}
        for key, print_ in wanted.items():
            body = MEMORY.get(key, print_)
            if body is not None:
                found[key] = body
        rest = {key: print_ for key, print_ in wanted.items() if key not in found}
        if rest:
            rows = db.session.execute(
                select(CalendarPart.key, CalendarPart.fingerprint, CalendarPart.body).where(
                    CalendarPart.key.in_(list(rest))
                )
            )
            for key, print_, body in rows:
                if rest[key] == print_:
                    found[key] = bytes(body)
                    MEMORY.put(key, print_, found[key])
        return found

    def add(self, key: str, print_: str, body: bytes) -> None:
        MEMORY.put(key, print_, body)
        self.written[key] = (print_, body)

    def save(self) -> None:
        """Store the parts this feed wrote, on a connection and in a transaction of their
        own: the request's session is left as it was, and on SQLite a new transaction that
        writes waits its turn for the lock (a reading one that starts writing would fail
        outright if another process wrote meanwhile). Two processes storing the same part
        both succeed, the later one's bytes stay. A failure costs only speed: it is logged
        and the feed is served all the same."""
        if not self.written:
            return
        rows = [
            {"key": key, "fingerprint": print_, "body": body}
            for key, (print_, body) in sorted(self.written.items())  # one lock order
        ]
        self.written = {}
        try:
            with db.engine.begin() as connection:
                connection.execute(_upsert(connection.dialect.name), rows)
        except SQLAlchemyError as exc:
            current_app.logger.warning(
                "calendar parts not stored (%s); the next feed writes them again",
                type(exc).__name__,
            )


def _upsert(dialect: str):
    """INSERT ... ON CONFLICT (key) DO UPDATE, which SQLite and PostgreSQL both accept."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(CalendarPart)
    return statement.on_conflict_do_update(
        index_elements=[CalendarPart.key],
        set_={"fingerprint": statement.excluded.fingerprint, "body": statement.excluded.body},
    )
