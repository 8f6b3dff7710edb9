"""/healthz: what a load balancer asks before sending traffic."""

from eventhub import create_app
from eventhub.extensions import db
from tests.support.net import free_port


def test_healthz_reports_ok_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_unavailable_when_the_database_cannot_be_reached():
    # A PostgreSQL address where nothing listens: every connection attempt is refused.
    closed = free_port()
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": f"postgresql+psycopg://eventhub@127.0.0.1:{closed}/eventhub",
            "SQLALCHEMY_ENGINE_OPTIONS": {
                "pool_pre_ping": True,
                "connect_args": {"connect_timeout": 2},
            },
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )
    try:
        response = app.test_client().get("/healthz")
    finally:
        with app.app_context():
            db.engine.dispose()

    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unavailable"
    assert body["database"] != "ok"
