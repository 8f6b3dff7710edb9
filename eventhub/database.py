"""Engine settings per backend.

SQLite: WAL, a busy timeout, foreign keys, and transactions that take the write lock at
BEGIN for requests that write (POST and friends) and for work that declared it writes
(``writing()``), so two writers queue on the timeout instead of one failing with SQLITE_BUSY
halfway through. Everything else begins deferred: readers never block anyone in WAL mode.
"""

from __future__ import annotations

from flask import Flask, current_app, g, has_app_context, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from eventhub.extensions import db

READ_METHODS = {"GET", "HEAD", "OPTIONS"}


def _sqlite_connect(dbapi_connection, connection_record) -> None:
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
    cursor = dbapi_connection.cursor()
    for pragma in (
        "journal_mode=WAL",
        "busy_timeout=5000",
        "foreign_keys=ON",
        "synchronous=NORMAL",
    ):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _sqlite_begin(connection) -> None:
    writes = (has_request_context() and request.method not in READ_METHODS) or (
        has_app_context() and g.get("writes_database", False)
    )
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


def writing() -> None:
    """Declare, before its first query, that this app context's work writes (a command, a
    job): on SQLite its transactions then take the write lock at BEGIN, as POST requests do,
    so it queues behind other writers instead of failing halfway."""
    g.writes_database = True


def configure_engine(app: Flask) -> None:
    with app.app_context():
        engine: Engine = db.engine
    if engine.dialect.name == "sqlite":
        if engine.url.database and engine.url.database != ":memory:":
            from pathlib import Path

            Path(engine.url.database).parent.mkdir(parents=True, exist_ok=True)
        if not event.contains(engine, "connect", _sqlite_connect):
            event.listen(engine, "connect", _sqlite_connect)
            event.listen(engine, "begin", _sqlite_begin)


def database_ok() -> tuple[bool, str]:
    try:
        db.session.execute(db.text("SELECT 1"))
        db.session.rollback()
        return True, "ok"
    except Exception as exc:  # any failure to reach the database is an unhealthy answer
        db.session.rollback()
        current_app.logger.warning("health check: database unreachable: %s", type(exc).__name__)
        return False, "unreachable"
