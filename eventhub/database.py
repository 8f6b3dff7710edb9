"""Engine settings per backend.

SQLite: WAL, a busy timeout, foreign keys, and transactions that take the write lock at
BEGIN for requests that write (POST and friends) and for work that declared it writes
(``writing()``), so two writers queue on the timeout instead of one failing with SQLITE_BUSY
halfway through. Everything else begins deferred: readers never block anyone in WAL mode.
The timeout is SQLITE_BUSY_TIMEOUT_MS (5000); a request that still finds the database locked
gets the 503 page (errors.py).

The health check asks whether the schema is the one this code expects: the Alembic
revision recorded in the database must be the head of migrations/, read once at start.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from flask import Flask, current_app, g, has_app_context, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from eventhub.extensions import db

READ_METHODS = {"GET", "HEAD", "OPTIONS"}
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
HEADS = "eventhub.schema_heads"
# A table every page needs: a database whose version row is right but that lacks it is
# not one this code can serve.
CORE_TABLE = "users"


def _sqlite_pragmas(busy_timeout_ms: int):
    def connect(dbapi_connection, connection_record) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        for pragma in (
            "journal_mode=WAL",
            f"busy_timeout={int(busy_timeout_ms)}",
            "foreign_keys=ON",
            "synchronous=NORMAL",
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    return connect


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
            Path(engine.url.database).parent.mkdir(parents=True, exist_ok=True)
        if not event.contains(engine, "begin", _sqlite_begin):
            busy = app.config.get("SQLITE_BUSY_TIMEOUT_MS", 5000)
            event.listen(engine, "connect", _sqlite_pragmas(busy))
            event.listen(engine, "begin", _sqlite_begin)
    app.extensions[HEADS] = migration_heads(MIGRATIONS)  # what /healthz expects to find


@cache
def migration_heads(directory: Path) -> frozenset[str]:
    """The head revision(s) of the migrations folder; empty if there is none to read."""
    from alembic.script import ScriptDirectory

    if not (directory / "versions").is_dir():
        return frozenset()
    return frozenset(ScriptDirectory(str(directory)).get_heads())


def database_ok() -> tuple[bool, str]:
    """(healthy, what the health check reports): the database answers, its schema is at the
    migrations' head, and a real table can be read."""
    try:
        return _check_database()
    except Exception as exc:  # any failure to reach the database is an unhealthy answer
        current_app.logger.warning("health check: database unreachable: %s", type(exc).__name__)
        return False, "unreachable"
    finally:
        db.session.rollback()


def _check_database() -> tuple[bool, str]:
    db.session.execute(db.text("SELECT 1"))
    try:
        found = set(db.session.scalars(db.text("SELECT version_num FROM alembic_version")))
    except DBAPIError:  # no version table: an empty, new or foreign database
        db.session.rollback()
        current_app.logger.warning("health check: the database has no schema version")
        return False, "not migrated"
    expected = current_app.extensions[HEADS]
    if not expected or found != expected:
        current_app.logger.warning(
            "health check: schema at %s, the code expects %s",
            ", ".join(sorted(found)) or "nothing",
            ", ".join(sorted(expected)) or "no known revision",
        )
        return False, "schema out of date"
    try:
        table = db.metadata.tables[CORE_TABLE]
        db.session.execute(db.select(db.literal(1)).select_from(table).limit(1))
    except DBAPIError:
        current_app.logger.warning("health check: the %s table cannot be read", CORE_TABLE)
        return False, "tables missing"
    return True, "ok"
