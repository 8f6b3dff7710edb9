"""Online backups of the live database, taken by the database itself (never a file copy)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from eventhub.extensions import db


class BackupError(RuntimeError):
    pass


def backup(out: Path) -> Path:
    """SQLite: VACUUM INTO (a consistent copy while the app runs). PostgreSQL: pg_dump -Fc."""
    out = out.resolve()
    if out.exists():
        raise BackupError(f"{out} already exists; choose a new file name.")
    out.parent.mkdir(parents=True, exist_ok=True)
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        raw = db.engine.raw_connection()  # VACUUM must run outside any transaction
        try:
            raw.cursor().execute("VACUUM INTO ?", (str(out),))
        finally:
            raw.close()
        return out
    if url.get_backend_name() == "postgresql":
        return _pg_dump(url, out)
    raise BackupError(f"No backup method for {url.get_backend_name()}.")


def _pg_dump(url, out: Path) -> Path:
    binary = shutil.which("pg_dump") or _debian_pg_dump()
    if binary is None:
        raise BackupError("pg_dump not found; install the PostgreSQL client tools.")
    plain = make_url(str(url.render_as_string(hide_password=False))).set(drivername="postgresql")
    env = {**os.environ}
    if plain.password:
        env["PGPASSWORD"] = plain.password
        plain = plain.set(password=None)
    result = subprocess.run(
        [
            binary,
            "--format=custom",
            "--no-owner",
            f"--file={out}",
            f"--dbname={plain.render_as_string(hide_password=False)}",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    if result.returncode != 0:
        out.unlink(missing_ok=True)
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    return out


def _debian_pg_dump() -> str | None:
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_dump"), reverse=True):
        return str(candidate)
    return None
