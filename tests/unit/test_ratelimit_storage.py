"""The SQLite rate-limit storage: one count for every process that opens the file."""

import threading
import time

import pytest
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from eventhub.config import finish, from_env
from eventhub.ratelimits import SQLiteStorage

KEY = "RANDOM_KEY_q7Vd2kR9-xLw4PzN8bT1sYe6HcJ0mUa5gFo3iKr"


def _storage(tmp_path):
    return storage_from_string(f"sqlite:///{tmp_path / 'limits.sqlite3'}")


def test_the_default_storage_is_a_shared_sqlite_file_in_instance():
    uri = from_env({})["RATELIMIT_STORAGE_URI"]

    assert uri.startswith("sqlite:////") and uri.endswith("/instance/ratelimits.sqlite3")


def test_two_storages_on_one_file_count_together(tmp_path):
    one, other = _storage(tmp_path), _storage(tmp_path)  # as two worker processes would
    limit = parse("10 per minute")
    first, second = FixedWindowRateLimiter(one), FixedWindowRateLimiter(other)

    answers = [(first if n % 2 else second).hit(limit, "login", "ada") for n in range(11)]

    assert isinstance(one, SQLiteStorage)
    assert answers == [True] * 10 + [False]
    assert other.get("LIMITER/login/ada/10/1/minute") == 11  # the refused one counted too
    assert first.hit(limit, "login", "bob")  # another key is not touched


def test_concurrent_increments_are_all_counted(tmp_path):
    storages = [_storage(tmp_path) for _ in range(4)]

    def hammer(storage):
        for _ in range(25):
            storage.incr("k", 60)

    threads = [threading.Thread(target=hammer, args=(s,)) for s in storages]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert storages[0].get("k") == 100


def test_a_window_that_ran_out_starts_again_from_one(tmp_path):
    storage = _storage(tmp_path)
    storage.incr("k", 1)
    storage.incr("k", 1)
    time.sleep(1.05)

    assert storage.get("k") == 0
    assert storage.incr("k", 60) == 1
    assert storage.get_expiry("k") > time.time() + 58


def test_reset_and_clear_forget_counts(tmp_path):
    storage = _storage(tmp_path)
    storage.incr("a", 60)
    storage.incr("b", 60)

    storage.clear("a")
    assert (storage.get("a"), storage.get("b")) == (0, 1)
    storage.reset()
    assert storage.get("b") == 0
    assert storage.check()


def test_building_the_storage_creates_no_file(tmp_path):
    _storage(tmp_path / "not-yet")

    assert not (tmp_path / "not-yet").exists()


@pytest.mark.parametrize("uri", ["memory://", ""])
def test_production_refuses_per_process_counters(uri):
    with pytest.raises(RuntimeError, match="EVENTHUB_RATELIMIT_STORAGE_URL must be shared"):
        finish({"EVENTHUB_ENV": "production", "SECRET_KEY": KEY, "RATELIMIT_STORAGE_URI": uri})


@pytest.mark.parametrize("uri", ["redis://127.0.0.1:6379/0", "sqlite:////srv/limits.sqlite3"])
def test_production_accepts_shared_counters(uri):
    config = {"EVENTHUB_ENV": "production", "SECRET_KEY": KEY, "RATELIMIT_STORAGE_URI": uri}

    assert finish(config)["RATELIMIT_STORAGE_URI"] == uri
