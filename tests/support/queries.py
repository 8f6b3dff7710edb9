"""Counting the SQL a request runs, for the tests that hold a page's query count constant."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event as sa_event

from eventhub.extensions import db

# Transaction control and connection set-up are not the page's queries.
QUIET = ("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA", "SAVEPOINT", "RELEASE")


@contextmanager
def counting() -> Iterator[list[str]]:
    """The SQL statements run while the block runs (transaction control left out)."""
    seen: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(QUIET):
            seen.append(statement)

    sa_event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", note)


def queries_for(client, path: str) -> int:
    """How many queries GET ``path`` runs; the page must answer 200."""
    with counting() as statements:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(statements)
