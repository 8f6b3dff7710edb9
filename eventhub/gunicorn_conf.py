"""gunicorn settings for EventHub: ``gunicorn -c eventhub/gunicorn_conf.py wsgi:app``.

``make run`` serves with it; options given on the command line after ``-c`` still win.
At start it refuses several workers that would each count rate limits alone, and it takes
gunicorn's name out of every response (no ``Server`` header tells what to attack).
"""

import sys
from pathlib import Path

from gunicorn.http import wsgi as _http

# gunicorn reads this file by path before it imports the app: the eventhub package comes from
# this file's checkout (after the working directory, where wsgi.py is found first).
sys.path.append(str(Path(__file__).resolve().parent.parent))

from eventhub.config import from_env, per_process_limits  # noqa: E402

worker_class = "gthread"
workers = 3
threads = 4


def on_starting(server) -> None:
    """Runs in the arbiter before any worker starts; a RuntimeError stops gunicorn with
    its message."""
    storage = str(from_env()["RATELIMIT_STORAGE_URI"])
    if server.cfg.workers > 1 and per_process_limits(storage):
        raise RuntimeError(
            f"{server.cfg.workers} workers would each keep their own rate-limit counters "
            f"({storage}), multiplying every limit. Leave EVENTHUB_RATELIMIT_STORAGE_URL unset "
            "(a shared SQLite file), set it to redis://..., or serve with --workers 1."
        )


def _without_server_header(response) -> list[str]:
    return [line for line in _http_default_headers(response) if not line.startswith("Server:")]


# gunicorn has no setting to leave its banner out: its first header lines are built in one
# method, wrapped here once in the arbiter (workers are forked from it, so they inherit it).
if not getattr(_http.Response.default_headers, "eventhub_wrapped", False):
    _http_default_headers = _http.Response.default_headers
    _without_server_header.eventhub_wrapped = True  # type: ignore[attr-defined]
    _http.Response.default_headers = _without_server_header  # type: ignore[method-assign]
