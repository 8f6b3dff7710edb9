"""A tiny HTTP client with its own cookie jar, for driving a real server like a browser would."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request

CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browserish:
    def __init__(self, base_url: str, timeout: float = 30.0):
        self.base_url = base_url
        self.timeout = timeout
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def request(self, method: str, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base_url + path, data=body, method=method)
        try:
            with self.opener.open(req, timeout=self.timeout) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:  # 3xx (not followed), 4xx and 5xx
            return exc.code, exc.read().decode(errors="replace")

    def csrf_token(self, path: str) -> str:
        status, page = self.request("GET", path)
        assert status == 200, f"GET {path} answered {status}"
        match = CSRF_FIELD.search(page)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def sign_in(self, email: str, password: str) -> None:
        token = self.csrf_token("/login")
        status, _ = self.request(
            "POST", "/login", {"csrf_token": token, "email": email, "password": password}
        )
        assert status == 302, f"sign-in of {email} answered {status}"


def server_env(database_url: str) -> dict[str, str]:
    """What a race test's gunicorn runs with."""
    return {
        "EVENTHUB_DATABASE_URL": database_url,
        "EVENTHUB_SECRET_KEY": "race-test-secret",
        "EVENTHUB_LOG_LEVEL": "WARNING",
    }


def press_together(
    base_url: str, people, page: str, action: str, form: dict | None = None
) -> list[tuple[int, str]]:
    """Sign each person in, read a CSRF token from ``page``, then have all of them POST
    ``action`` at the same moment (a barrier releases them). Bounded: one request each, a
    30 s timeout per request and 60 s per thread. Returns (status, body) per press."""
    import threading

    from tests.factories import PASSWORD

    clients = []
    for person in people:
        client = Browserish(base_url)
        client.sign_in(person.email, PASSWORD)
        clients.append((client, client.csrf_token(page)))
    start = threading.Barrier(len(clients))
    answers: list[tuple[int, str]] = []

    def press(client: Browserish, token: str) -> None:
        start.wait(timeout=30)
        answers.append(client.request("POST", action, {"csrf_token": token, **(form or {})}))

    threads = [threading.Thread(target=press, args=pair) for pair in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers
