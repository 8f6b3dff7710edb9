"""/healthz: what a load balancer asks before sending traffic; and the 503 every page gives
while the database cannot answer (locked, down), which tells clients when to come back."""

import logging
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from eventhub import create_app
from eventhub.extensions import db
from tests.factories import make_event, make_user
from tests.support.net import free_port

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_reports_ok_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_json() == {"status": "ok", "database": "ok"}


def healthz(database_url: str):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )
    try:
        return app.test_client().get("/healthz")
    finally:
        with app.app_context():
            db.engine.dispose()


def upgrade(database_url: str, revision: str = "head") -> None:
    """The schema as `flask db upgrade` (what `make run` does) makes it."""
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "eventhub", "db", "upgrade", revision],
        cwd=ROOT,
        env={**os.environ, "EVENTHUB_DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_healthz_is_unavailable_for_an_empty_database_file(tmp_path):
    empty = tmp_path / "empty.sqlite3"
    empty.touch()

    response = healthz(f"sqlite:///{empty}")

    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": "not migrated"}


def test_healthz_is_ok_only_for_a_schema_at_the_migrations_head(tmp_path):
    path = tmp_path / "migrated.sqlite3"
    url = f"sqlite:///{path}"
    upgrade(url)
    at_head = healthz(url)
    with sqlite3.connect(path) as conn:
        head = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        conn.execute("UPDATE alembic_version SET version_num = '0001'")
    behind = healthz(url)
    with sqlite3.connect(path) as conn:  # the version row right, the tables not ours
        conn.execute("UPDATE alembic_version SET version_num = ?", (head,))
        conn.execute("DROP TABLE users")
    foreign = healthz(url)

    assert at_head.status_code == 200 and at_head.get_json()["database"] == "ok"
    assert behind.status_code == 503
    assert behind.get_json() == {"status": "unavailable", "database": "schema out of date"}
    assert foreign.status_code == 503
    assert foreign.get_json() == {"status": "unavailable", "database": "tables missing"}


def test_healthz_reports_unavailable_when_the_database_cannot_be_reached():
    closed = free_port()  # a PostgreSQL address where nothing listens
    response = healthz(f"postgresql+psycopg://eventhub@127.0.0.1:{closed}/eventhub")

    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": "unreachable"}


def test_pages_answer_503_with_retry_after_when_postgresql_cannot_be_reached(caplog):
    closed = free_port()
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": f"postgresql+psycopg://eventhub@127.0.0.1:{closed}/eventhub",
            "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"connect_timeout": 2}},
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )
    client = app.test_client()
    try:
        with caplog.at_level(logging.WARNING, logger="eventhub"):
            page = client.get("/events")
            api = client.get("/events", headers={"Accept": "application/json"})
    finally:
        with app.app_context():
            db.engine.dispose()

    assert page.status_code == 503 and page.headers["Retry-After"].isdigit()
    assert "cannot reach its data" in page.get_data(as_text=True)
    assert api.status_code == 503 and api.get_json()["error"] == "Service unavailable"
    assert [r.getMessage() for r in caplog.records if r.exc_info] == []
    logged = [r.getMessage() for r in caplog.records if "database unavailable" in r.getMessage()]
    assert len(logged) == 2 and "OperationalError" in logged[0]


@pytest.fixture
def config_overrides():
    return {"SQLITE_BUSY_TIMEOUT_MS": 100}


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_post_to_a_locked_database_answers_503_with_retry_after(
    client, login_as, database_url, caplog
):
    event = make_event()
    person = make_user()
    login_as(person)
    db.session.commit()
    holder = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with caplog.at_level(logging.WARNING, logger="eventhub"):
            response = client.post(f"/events/{event.slug}/register")
            shown = client.get(f"/events/{event.slug}")  # readers are not blocked in WAL mode
    finally:
        holder.execute("ROLLBACK")
        holder.close()

    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    assert "try again shortly" in response.get_data(as_text=True)
    assert shown.status_code == 200
    assert [r.getMessage() for r in caplog.records if r.exc_info] == []
    assert any("database is locked" in r.getMessage() for r in caplog.records)
