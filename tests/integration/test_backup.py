import sqlite3
import subprocess

from sqlalchemy import create_engine, text

from eventhub.backup import _debian_pg_dump
from tests.factories import make_event, make_user


def test_backup_command_writes_a_restorable_copy(app, backend, tmp_path, postgres_url_factory):
    make_user(email="kept@example.org")
    make_event(title="Kept Datajam")
    out = tmp_path / "eventhub.backup"
    result = app.test_cli_runner().invoke(args=["backup", str(out)])
    assert result.exit_code == 0, result.output
    assert f"Backup written to {out}" in result.output

    if backend == "sqlite":
        with sqlite3.connect(out) as conn:
            emails = [r[0] for r in conn.execute("SELECT email FROM users")]
            titles = [r[0] for r in conn.execute("SELECT title FROM events")]
    else:
        target = postgres_url_factory("restored")
        restore = _debian_pg_dump().replace("pg_dump", "pg_restore")
        plain = target.replace("postgresql+psycopg://", "postgresql://")
        done = subprocess.run(
            [restore, "--no-owner", f"--dbname={plain}", str(out)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        engine = create_engine(target)
        with engine.connect() as conn:
            emails = list(conn.scalars(text("SELECT email FROM users")))
            titles = list(conn.scalars(text("SELECT title FROM events")))
        engine.dispose()
    assert emails == ["kept@example.org"]
    assert titles == ["Kept Datajam"]


def test_backup_refuses_to_overwrite(app, tmp_path):
    out = tmp_path / "existing.backup"
    out.write_text("keep me")
    result = app.test_cli_runner().invoke(args=["backup", str(out)])
    assert result.exit_code != 0
    assert "already exists" in result.output
    assert out.read_text() == "keep me"
