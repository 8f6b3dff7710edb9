"""Sign-in limits hold across gunicorn workers: with the default storage (an SQLite file the
workers of `make run` share) and with Redis (several hosts). Several workers counting alone
(memory://) are refused at start, and no response names the server software.

Bounded: at most 11 requests per server to 127.0.0.1; Redis and gunicorn stop at the end.
"""

import re
import urllib.request

import pytest

from tests.conftest import unavailable
from tests.factories import make_user
from tests.load.http import Browserish
from tests.support.redis import RedisServer, redis_server_path
from tests.support.server import GUNICORN_CONFIG, REPO_ROOT, GunicornError, running_gunicorn

pytestmark = pytest.mark.load

SOFTWARE = re.compile(r"gunicorn|werkzeug|python", re.IGNORECASE)


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


def _env(database_url: str, **more: str) -> dict[str, str]:
    return {
        "EVENTHUB_DATABASE_URL": database_url,
        "EVENTHUB_SECRET_KEY": "limit-test-secret",
        "EVENTHUB_LOG_LEVEL": "WARNING",
        **more,
    }


def _eleven_failed_sign_ins(base_url: str, email: str) -> list[int]:
    """Each attempt on a new connection, so any worker may answer it."""
    client = Browserish(base_url)
    token = client.csrf_token("/login")
    form = {"csrf_token": token, "email": email, "password": "wrong password, try again"}
    return [client.request("POST", "/login", form)[0] for _ in range(11)]


def test_makefile_run_serves_with_the_settings_module_the_tests_use():
    recipe = re.search(r"^run:.*?\n((?:\t.*\n)+)", (REPO_ROOT / "Makefile").read_text(), re.M)
    serve = [line for line in recipe.group(1).splitlines() if "gunicorn" in line]

    assert len(serve) == 1 and f"-c {GUNICORN_CONFIG} " in serve[0]
    assert "--workers" not in serve[0] and "--threads" not in serve[0]  # as the module says
    assert (REPO_ROOT / GUNICORN_CONFIG).is_file()


def test_eleventh_failed_login_is_refused_across_the_workers_of_make_run(app, database_url):
    person = make_user(email="target@example.org")

    with running_gunicorn(_env(database_url), workers=None, threads=None) as base_url:
        statuses = _eleven_failed_sign_ins(base_url, person.email)
        with urllib.request.urlopen(base_url + "/login", timeout=10) as response:
            headers = response.headers

    assert statuses[:10] == [200] * 10  # the form again, with its error
    assert statuses[10] == 429
    assert not SOFTWARE.search(headers.get("Server", "")), headers.get("Server")
    assert "Strict-Transport-Security" not in headers  # plain http here


def test_eleventh_failed_login_is_refused_across_four_workers_sharing_redis(
    app, database_url, redis_url
):
    person = make_user(email="target@example.org")
    env = _env(database_url, EVENTHUB_RATELIMIT_STORAGE_URL=redis_url)

    with running_gunicorn(env, workers=4, threads=2) as base_url:
        statuses = _eleven_failed_sign_ins(base_url, person.email)

    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429


def test_several_workers_with_per_process_counters_refuse_to_start(tmp_path):
    database = tmp_path / "unused.sqlite3"
    env = _env(f"sqlite:///{database}", EVENTHUB_RATELIMIT_STORAGE_URL="memory://")

    with pytest.raises(GunicornError, match="would each keep their own rate-limit counters"):
        with running_gunicorn(env, workers=None, threads=None, timeout=20):
            pass

    assert not database.exists()  # refused before any worker started
