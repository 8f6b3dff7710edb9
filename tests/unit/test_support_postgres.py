import pathlib

import psycopg
import pytest

from tests.support.postgres import PostgresCluster, pg_bin_dir

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.skipif(pg_bin_dir() is None, reason="PostgreSQL binaries not found"),
]


def _connect(url: str) -> psycopg.Connection:
    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://", 1))


def test_cluster_start_answers_select_1_and_stop_removes_it():
    cluster = PostgresCluster()

    url = cluster.start()
    try:
        with _connect(url) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
        base_dir = cluster.base_dir
    finally:
        cluster.stop()

    assert url.startswith("postgresql+psycopg://postgres@127.0.0.1:")
    assert not pathlib.Path(base_dir).exists()
    with pytest.raises(psycopg.OperationalError):
        _connect(url).close()


def test_cluster_create_database_returns_a_usable_url():
    with PostgresCluster() as cluster:
        url = cluster.create_database("eventhub_test")

        with _connect(url) as conn:
            name = conn.execute("SELECT current_database()").fetchone()[0]

    assert name == "eventhub_test"
    assert url.endswith("/eventhub_test")
