"""Test setup: the app on SQLite and on a real PostgreSQL, a real SMTP server, a clock.

Every test that uses ``app`` runs once per database backend. PostgreSQL comes from
EVENTHUB_TEST_POSTGRES_URL (what .ci/run starts) or a throwaway cluster started here.
EVENTHUB_TEST_REQUIRE="browser postgresql" turns a missing Chromium or PostgreSQL from a
reported skip into a failure, and in that mode any skipped test fails the run.
"""

from __future__ import annotations

import os
import shutil
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from eventhub import create_app
from eventhub.extensions import db, limiter
from tests.support.postgres import PostgresCluster, pg_bin_dir
from tests.support.smtp import SMTPSink

REQUIRE = set(os.environ.get("EVENTHUB_TEST_REQUIRE", "").split())
BACKENDS = ["sqlite", "postgresql"]


def unavailable(part: str, reason: str):
    """Skip (reported in the summary) or, where the part is required, fail."""
    if part in REQUIRE:
        pytest.fail(f"{reason} (required by EVENTHUB_TEST_REQUIRE)")
    pytest.skip(reason)


def pytest_sessionfinish(session, exitstatus):
    if not REQUIRE:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped and session.exitstatus == 0:
        reporter.write_line(
            f"{len(skipped)} test(s) skipped while EVENTHUB_TEST_REQUIRE is set: "
            "nothing may skip here.",
            red=True,
        )
        session.exitstatus = 1


class Clock:
    """A controllable "now" for the app (the only thing tests may control)."""

    def __init__(self, at: datetime):
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def set(self, at: datetime) -> None:
        self.at = at

    def advance(self, **delta) -> None:
        self.at += timedelta(**delta)


class Client(FlaskClient):
    """Each request gets its own app context (own session, own g), as in production; the
    test's own session ends its transaction around it so both sides see committed rows."""

    def open(self, *args, **kwargs):
        db.session.rollback()
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.rollback()
        return response


# --- PostgreSQL -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def postgres_base_url():
    url = os.environ.get("EVENTHUB_TEST_POSTGRES_URL")
    if url:
        yield url
        return
    if pg_bin_dir() is None:
        yield None
        return
    cluster = PostgresCluster()
    yield cluster.start()
    cluster.stop()


def _create_pg_database(base_url: str, name: str) -> str:
    import psycopg

    plain = base_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return base_url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(scope="session")
def postgres_url_factory(postgres_base_url):
    """Makes a new empty database on the test server; skips or fails where there is none."""

    def make(prefix: str = "eventhub") -> str:
        if postgres_base_url is None:
            unavailable(
                "postgresql",
                "PostgreSQL not available (no EVENTHUB_TEST_POSTGRES_URL, "
                "no /usr/lib/postgresql/15/bin)",
            )
        return _create_pg_database(postgres_base_url, f"{prefix}_{uuid.uuid4().hex[:10]}")

    return make


@pytest.fixture(scope="session")
def postgres_schema_url(postgres_url_factory):
    """One database for the suite's PostgreSQL runs; tables are created once, emptied per test."""
    url = postgres_url_factory("suite")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        db.create_all()
        stamp_migration_head()
        db.engine.dispose()
    return url


# --- the app ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def smtp():
    sink = SMTPSink()
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture
def mail(smtp):
    smtp.clear()
    return smtp


@pytest.fixture
def clock():
    return Clock(datetime(2026, 3, 2, 15, 0, tzinfo=UTC))


@pytest.fixture(params=BACKENDS)
def backend(request):
    return request.param


def base_config(database_url: str, clock: Clock, smtp: SMTPSink) -> dict:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "BASE_URL": "http://localhost",
        "MAIL_SERVER": smtp.host,
        "MAIL_PORT": smtp.port,
        "CLOCK": clock,
        "RATELIMIT_STORAGE_URI": "memory://",
    }


@pytest.fixture(scope="session")
def sqlite_schema(tmp_path_factory) -> Path:
    """An SQLite file with every table, made once per test process and copied for each
    test: a copy takes a millisecond, creating the tables some sixty."""
    path = tmp_path_factory.mktemp("schema") / "schema.sqlite3"
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SECRET_KEY": "schema", "TESTING": True}
    )
    with app.app_context():
        db.create_all()
        stamp_migration_head()
        db.engine.dispose()  # the last connection to close folds the WAL into the file
    return path


def stamp_migration_head() -> None:
    """Record the migrations' head in the tables create_all made (what `flask db stamp head`
    does): the schema is the head's, and /healthz answers 200 only for a schema at the head."""
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from eventhub.database import MIGRATIONS

    with db.engine.begin() as connection:
        MigrationContext.configure(connection).stamp(ScriptDirectory(str(MIGRATIONS)), "heads")


@pytest.fixture
def database_url(backend, tmp_path, request):
    if backend == "sqlite":
        path = tmp_path / "test.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_schema"), path)
        return f"sqlite:///{path}"
    return request.getfixturevalue("postgres_schema_url")


@pytest.fixture
def config_overrides():
    """Override in a module to change settings for its tests."""
    return {}


@pytest.fixture
def app(database_url, backend, clock, smtp, config_overrides, tmp_path):
    uploads = {"UPLOAD_DIR": str(tmp_path / "uploads")}  # never the checkout's instance/
    app = create_app({**base_config(database_url, clock, smtp), **uploads, **config_overrides})
    app.test_client_class = Client
    limiter.reset()
    with app.app_context():
        yield app
        db.session.remove()
        if backend == "postgresql":
            tables = ", ".join(t.name for t in db.metadata.sorted_tables)
            with db.engine.begin() as conn:
                conn.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def login_as(client):
    """Sign a user in on ``client``: the same session cookie a real sign-in sets."""

    def login(user, on=None):
        target = on or client
        with target.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return target

    return login
