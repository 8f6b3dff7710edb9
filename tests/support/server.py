"""Run the real app under gunicorn on 127.0.0.1, for load and race tests.

The server is a separate process group started from the repository root (``wsgi:app``
is imported from there) with the settings module ``make run`` passes (``-c``), configured
only through the environment: ``os.environ`` plus the ``env`` the test passes
(EVENTHUB_DATABASE_URL, EVENTHUB_SECRET_KEY, ...). Unless ``env`` names one, its rate-limit
counters are an SQLite file of its own (the default storage, never the checkout's
instance/). Its output goes to temporary files, not pipes, so a chatty server under load
never blocks on a full pipe.
"""

from __future__ import annotations

import contextlib
import os
import pathlib
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

from .net import free_port

__all__ = ["free_port", "running_gunicorn", "GunicornError", "REPO_ROOT", "GUNICORN_CONFIG"]

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
# What the Makefile's run target passes with -c (a test checks that it still does).
GUNICORN_CONFIG = "eventhub/gunicorn_conf.py"
HEALTH_PATH = "/healthz"
STOP_GRACE_SECONDS = 10.0
START_ATTEMPTS = 3


class GunicornError(RuntimeError):
    """gunicorn did not become healthy; the message carries its stderr."""


@contextlib.contextmanager
def running_gunicorn(
    env: dict[str, str],
    *,
    workers: int | None = 4,
    threads: int | None = 4,
    timeout: float = 30.0,
    app_dir: pathlib.Path = REPO_ROOT,
) -> Iterator[str]:
    """Yield the base URL of a gunicorn serving ``wsgi:app`` once GET /healthz answers 200.

    ``app_dir`` is where ``wsgi.py`` is imported from: the checkout, except in the tests of
    this helper itself. ``workers`` or ``threads`` None: as the settings module (and so
    ``make run``) has them.
    """
    with tempfile.TemporaryDirectory(prefix="eventhub-gunicorn-") as logs:
        for attempt in range(1, START_ATTEMPTS + 1):
            port = free_port()
            stderr_path = pathlib.Path(logs, f"stderr-{attempt}.log")
            process = _spawn(env, port, workers, threads, app_dir, pathlib.Path(logs), stderr_path)
            try:
                base_url = f"http://127.0.0.1:{port}"
                _wait_healthy(process, base_url, timeout, stderr_path)
            except _PortTaken:
                _terminate(process)
                if attempt == START_ATTEMPTS:
                    raise GunicornError(_failure("port stayed in use", stderr_path)) from None
                continue
            except BaseException:
                _terminate(process)
                raise
            break
        try:
            yield base_url
        finally:
            _terminate(process)


class _PortTaken(Exception):
    pass


def _spawn(env, port, workers, threads, app_dir, log_dir, stderr_path) -> subprocess.Popen:
    command = [sys.executable, "-m", "gunicorn", "-c", str(REPO_ROOT / GUNICORN_CONFIG)]
    if workers is not None:
        command += ["--workers", str(workers)]
    if threads is not None:
        command += ["--threads", str(threads)]
    command += ["--bind", f"127.0.0.1:{port}", "wsgi:app"]
    counters = f"sqlite:///{log_dir / 'ratelimits.sqlite3'}"
    with open(log_dir / f"stdout-{port}.log", "wb") as stdout, open(stderr_path, "wb") as stderr:
        return subprocess.Popen(
            command,
            cwd=app_dir,
            env={**os.environ, "EVENTHUB_RATELIMIT_STORAGE_URL": counters, **env},
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=stderr,
            start_new_session=True,  # its own process group, so workers stop with it
        )


def _wait_healthy(process, base_url, timeout, stderr_path) -> None:
    deadline = time.monotonic() + timeout
    last_problem = "no answer yet"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            if b"Connection in use" in stderr_path.read_bytes():
                raise _PortTaken
            raise GunicornError(
                _failure(f"gunicorn exited with code {process.returncode}", stderr_path)
            )
        try:
            with urllib.request.urlopen(base_url + HEALTH_PATH, timeout=2) as response:
                if response.status == 200:
                    return
                last_problem = f"{HEALTH_PATH} answered {response.status}"
        except urllib.error.HTTPError as error:
            last_problem = f"{HEALTH_PATH} answered {error.code}"
        except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
            last_problem = f"{HEALTH_PATH}: {error}"
        time.sleep(0.1)
    raise GunicornError(_failure(f"not healthy within {timeout} s ({last_problem})", stderr_path))


def _terminate(process: subprocess.Popen) -> None:
    """SIGTERM the whole group (arbiter and workers); SIGKILL it after the grace period."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(STOP_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            pass
    # Workers can outlive an arbiter that died on its own: sweep the group either way.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _failure(reason: str, stderr_path: pathlib.Path) -> str:
    stderr = stderr_path.read_text(errors="replace")[-8000:] if stderr_path.exists() else ""
    return f"gunicorn on 127.0.0.1: {reason}\n--- gunicorn stderr ---\n{stderr}"
