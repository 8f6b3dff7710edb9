"""Login limits hold across gunicorn workers when they share Redis (the production setting).

Bounded: 11 requests to 127.0.0.1; Redis and gunicorn stop at the end.
"""

import pytest

from tests.conftest import unavailable
from tests.factories import make_user
from tests.load.http import Browserish
from tests.support.redis import RedisServer, redis_server_path
from tests.support.server import running_gunicorn

pytestmark = pytest.mark.load


@pytest.fixture
def redis_url():
    if redis_server_path() is None:
        unavailable("redis", "redis-server not installed (apt-get install redis-server)")
    server = RedisServer()
    yield server.start()
    server.stop()


@pytest.fixture
def backend():
    return "sqlite"  # the database is not what this test is about


def test_eleventh_failed_login_is_refused_across_four_workers(app, database_url, redis_url):
    person = make_user(email="target@example.org")
    env = {
        "EVENTHUB_DATABASE_URL": database_url,
        "EVENTHUB_SECRET_KEY": "limit-test-secret",
        "EVENTHUB_RATELIMIT_STORAGE_URL": redis_url,
        "EVENTHUB_LOG_LEVEL": "WARNING",
    }
    with running_gunicorn(env, workers=4, threads=2) as base_url:
        client = Browserish(base_url)
        token = client.csrf_token("/login")
        statuses = [
            client.request(
                "POST",
                "/login",
                {
                    "csrf_token": token,
                    "email": person.email,
                    "password": "wrong password, try again",
                },
            )[0]
            for _ in range(11)
        ]
    assert statuses[:10] == [200] * 10  # the form again, with its error
    assert statuses[10] == 429
