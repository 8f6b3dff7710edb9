"""Production refuses to sign sessions with a weak or copied secret key."""

import pytest

from eventhub.config import finish

RANDOM_KEY = "q7Vd2kR9-xLw4PzN8bT1sYe6HcJ0mUa5gFo3iKr_ZnS"


@pytest.mark.parametrize(
    "key",
    [
        "change-me",
        "CHANGE-ME",
        "secret",
        "dev",
        "your-secret-key",
        "a" * 31,  # one byte short
        "é" * 15,  # 30 bytes, though 15 characters
        "change-me" * 4,  # long enough, but a placeholder said four times
        "s3cret-" * 6,
        "x" * 64,
    ],
)
def test_production_refuses_a_weak_or_placeholder_secret_key(key):
    with pytest.raises(RuntimeError, match="EVENTHUB_SECRET_KEY"):
        finish({"EVENTHUB_ENV": "production", "SECRET_KEY": key})


def test_production_accepts_a_random_key_of_32_bytes_or_more():
    for key in (RANDOM_KEY, RANDOM_KEY[:32]):
        assert finish({"EVENTHUB_ENV": "production", "SECRET_KEY": key})["SECRET_KEY"] == key


def test_development_accepts_a_short_key():
    assert finish({"EVENTHUB_ENV": "development", "SECRET_KEY": "dev"})["SECRET_KEY"] == "dev"
