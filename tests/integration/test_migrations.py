"""The migrations build the schema the models describe, on SQLite and on PostgreSQL."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

import eventhub.models  # noqa: F401  (every table on the metadata)
from eventhub.datasets import search
from eventhub.extensions import db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def empty_database_url(backend, tmp_path, postgres_url_factory):
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
    return postgres_url_factory("migrations")


def test_db_upgrade_command_builds_schema_matching_models(empty_database_url):
    env = {**os.environ, "EVENTHUB_DATABASE_URL": empty_database_url}
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "eventhub", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr

    engine = create_engine(empty_database_url)
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            expected = {t.name for t in db.metadata.sorted_tables}
            assert "registrations" in expected and expected <= tables
            # The full-text index is made by the migration but kept outside the ORM.
            assert search.INDEX_TABLE in tables
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "include_object": search.include_object}
            )
            assert compare_metadata(context, db.metadata) == []
    finally:
        engine.dispose()
