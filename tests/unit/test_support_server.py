import urllib.request

import pytest

from tests.support.server import GunicornError, running_gunicorn

pytestmark = pytest.mark.load

WSGI = """
import os

def app(environ, start_response):
    body = os.environ["EVENTHUB_GREETING"].encode()
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [body]
"""


def test_running_gunicorn_serves_wsgi_app_with_given_env(tmp_path):
    (tmp_path / "wsgi.py").write_text(WSGI)

    with running_gunicorn(
        {"EVENTHUB_GREETING": "hello"}, workers=1, threads=2, app_dir=tmp_path
    ) as base_url:
        with urllib.request.urlopen(base_url + "/healthz", timeout=5) as response:
            body = response.read()

    assert body == b"hello"
    with pytest.raises(OSError):
        urllib.request.urlopen(base_url + "/healthz", timeout=2)


def test_running_gunicorn_failure_carries_gunicorn_stderr(tmp_path):
    (tmp_path / "wsgi.py").write_text("raise RuntimeError('broken app factory')\n")

    with pytest.raises(GunicornError, match="broken app factory"):
        with running_gunicorn({}, workers=1, threads=1, timeout=15, app_dir=tmp_path):
            pass
