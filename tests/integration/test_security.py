"""CSRF, session cookies, redirects, response headers, body size and sign-in rate limits.

This module runs with CSRF protection on, as production does: every POST here carries the
token a browser would have taken from the rendered form.
"""

import os

import pytest

from eventhub import create_app
from eventhub.accounts.models import User
from eventhub.extensions import db
from tests.factories import PASSWORD, make_user
from tests.integration.pages import page
from tests.integration.world import build_world

STRONG = "ledger quartz meadow 1987"
PRODUCTION_KEY = "q7Vd2kR9-xLw4PzN8bT1sYe6HcJ0mUa5gFo3iKr_ZnS"


@pytest.fixture
def config_overrides():
    return {"WTF_CSRF_ENABLED": True}


@pytest.fixture
def clean_env(monkeypatch):
    """Apps built by hand here must not pick up the developer's EVENTHUB_* settings."""
    for name in [n for n in os.environ if n.startswith("EVENTHUB_")]:
        monkeypatch.delenv(name)


def _token(client, path: str = "/login") -> str:
    return page(client.get(path)).csrf_token()


def _snapshot() -> dict[str, list]:
    """Every row of every table: what "changes nothing" is checked against."""
    db.session.rollback()
    rows = {}
    for table in db.metadata.sorted_tables:
        rows[table.name] = [
            tuple(r)
            for r in db.session.execute(db.select(table).order_by(*table.primary_key.columns)).all()
        ]
    db.session.rollback()
    return rows


def _session_cookie(response) -> str:
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert len(cookies) == 1, response.headers.getlist("Set-Cookie")
    return cookies[0]


# --- CSRF ------------------------------------------------------------------------------


def _bodies(world) -> dict[str, dict]:
    """For each form, what a person would submit: without CSRF these would change rows."""
    bystander = db.session.get(User, world.bystander_id).email
    event_times = {
        "starts_at": "2026-03-09T11:00",
        "ends_at": "2026-03-09T19:00",
        "timezone": "America/New_York",
        "kind": "datajam",
    }
    return {
        "accounts.signup": {
            "name": "Mal Icious",
            "email": "mal@example.org",
            "password": STRONG,
            "confirm": STRONG,
        },
        "accounts.login": {"email": "mal@example.org", "password": STRONG},
        "accounts.profile": {"name": "Renamed by another site"},
        "accounts.password": {"current_password": PASSWORD, "password": STRONG, "confirm": STRONG},
        "accounts.reset_request": {"email": bystander},
        "accounts.reset_confirm": {"password": STRONG, "confirm": STRONG},
        "admin.organizer_right": {"allowed": "1"},
        "events.create": {"title": "Forged", "slug": "forged", **event_times},
        "events.edit": {"title": "Forged", "slug": world.slug, **event_times},
        "events.organizers": {"email": bystander},
        "events.partners": {"name": "Forged Partner"},
        "events.add_session": {
            "title": "Forged",
            "kind": "talk",
            "starts_at": "2026-03-09T12:00",
            "ends_at": "2026-03-09T13:00",
        },
        "events.edit_session": {
            "title": "Forged",
            "kind": "talk",
            "starts_at": "2026-03-09T12:00",
            "ends_at": "2026-03-09T13:00",
        },
    }


def test_every_post_without_csrf_token_is_refused_and_changes_nothing(app, client, login_as, mail):
    world = build_world(app, mail)
    login_as(world.user("admin"))  # an admin may do everything: only CSRF can refuse
    bodies = _bodies(world)
    adapter = app.url_map.bind("localhost")
    posts = [rule for rule in app.url_map.iter_rules() if "POST" in rule.methods]
    before = _snapshot()

    answers = {}
    for rule in posts:
        path = adapter.build(
            rule.endpoint, world.path_values(rule.endpoint, set(rule.arguments)), method="POST"
        )
        response = client.post(path, data=bodies.get(rule.endpoint, {}))
        answers[rule.endpoint] = response.status_code
        if response.status_code == 400:
            assert "The form expired or was sent from another site." in response.text

    assert len(posts) >= 20
    assert {e: s for e, s in answers.items() if s != 400} == {}
    assert _snapshot() == before
    assert client.get("/account").status_code == 200  # the forged sign-out did not happen


def test_csrf_token_from_another_session_is_refused(app, client):
    make_user(email="ada@example.org")
    foreign = _token(app.test_client())
    _token(client)

    response = client.post(
        "/login", data={"csrf_token": foreign, "email": "ada@example.org", "password": PASSWORD}
    )

    assert response.status_code == 400
    assert client.get("/account").status_code == 302


def test_login_with_the_token_from_the_rendered_form_signs_in(client):
    make_user(email="ada@example.org")
    token = _token(client)

    response = client.post(
        "/login", data={"csrf_token": token, "email": "ada@example.org", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert client.get("/account").status_code == 200


# --- session cookie --------------------------------------------------------------------


def test_session_cookie_is_httponly_and_samesite_lax(client):
    make_user(email="ada@example.org")
    token = _token(client)

    response = client.post(
        "/login", data={"csrf_token": token, "email": "ada@example.org", "password": PASSWORD}
    )

    cookie = _session_cookie(response)
    assert "; HttpOnly" in cookie
    assert "; SameSite=Lax" in cookie
    assert "; Secure" not in cookie  # development runs on http://


def _production_app(tmp_path, **config):
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
            "RATELIMIT_STORAGE_URI": f"sqlite:///{tmp_path / 'limits.sqlite3'}",
            **config,
        }
    )


@pytest.mark.usefixtures("clean_env")
def test_production_session_cookie_is_secure(tmp_path):
    app = _production_app(tmp_path, EVENTHUB_ENV="production", SECRET_KEY=PRODUCTION_KEY)

    response = app.test_client().get("/login")

    cookie = _session_cookie(response)
    assert "; Secure" in cookie and "; HttpOnly" in cookie and "; SameSite=Lax" in cookie


@pytest.mark.usefixtures("clean_env")
def test_production_from_environment_variables_has_secure_cookie(tmp_path, monkeypatch):
    monkeypatch.setenv("EVENTHUB_ENV", "production")
    monkeypatch.setenv("EVENTHUB_SECRET_KEY", PRODUCTION_KEY)

    response = _production_app(tmp_path).test_client().get("/login")

    assert "; Secure" in _session_cookie(response)


@pytest.mark.usefixtures("clean_env")
def test_production_without_secret_key_refuses_to_start(tmp_path):
    with pytest.raises(RuntimeError, match="EVENTHUB_SECRET_KEY must be set in production"):
        _production_app(tmp_path, EVENTHUB_ENV="production")


# --- redirects after sign-in -----------------------------------------------------------


def _login_with_next(client, target: str):
    make_user(email="ada@example.org")
    token = _token(client)
    return client.post(
        "/login",
        query_string={"next": target},
        data={"csrf_token": token, "email": "ada@example.org", "password": PASSWORD},
    )


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "/\t/evil.example",
    ],
)
def test_login_next_to_another_site_goes_to_events_instead(client, target):
    response = _login_with_next(client, target)

    assert response.status_code == 302
    assert response.headers["Location"] == "/events"


def test_login_next_to_a_page_of_ours_is_followed(client):
    response = _login_with_next(client, "/events/open-budget?tab=agenda")

    assert response.headers["Location"] == "/events/open-budget?tab=agenda"


# --- response headers ------------------------------------------------------------------


def _check_html_headers(response, where: str) -> list[str]:
    problems = []
    headers = response.headers
    csp = dict(
        (d.split(" ", 1) + [""])[:2]
        for d in (part.strip() for part in headers.get("Content-Security-Policy", "").split(";"))
        if d
    )
    scripts = csp.get("script-src", csp.get("default-src"))
    if scripts is None:
        problems.append(f"{where}: no Content-Security-Policy for scripts")
    elif "'unsafe-inline'" in scripts or "'unsafe-eval'" in scripts:
        problems.append(f"{where}: script-src allows inline code: {scripts}")
    if headers.get("X-Content-Type-Options") != "nosniff":
        problems.append(f"{where}: X-Content-Type-Options is not nosniff")
    if not headers.get("Referrer-Policy"):
        problems.append(f"{where}: no Referrer-Policy")
    # The policy forbids inline code, so a page must not rely on any.
    html = page(response)
    if any("src" not in s.attrs for s in html.all("script")) or html.all("style"):
        problems.append(f"{where}: inline <script> or <style> the policy would block")
    if any(
        n
        for n in html.root.walk()
        if "style" in n.attrs or any(a.startswith("on") for a in n.attrs)
    ):
        problems.append(f"{where}: inline style or event-handler attribute")
    return problems


def test_every_html_page_carries_the_security_headers(app, login_as, mail):
    world = build_world(app, mail)
    adapter = app.url_map.bind("localhost")
    problems, seen = [], 0
    for role in ("anonymous", "admin"):
        client = app.test_client()
        if world.user(role) is not None:
            login_as(world.user(role), on=client)
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint == "static":
                continue
            path = adapter.build(
                rule.endpoint, world.path_values(rule.endpoint, set(rule.arguments))
            )
            response = client.get(path)
            assert response.headers.get("X-Content-Type-Options") == "nosniff", path
            if response.mimetype == "text/html":
                seen += 1
                problems += _check_html_headers(response, f"GET {path} as {role}")

    assert seen > 20
    assert problems == []


def test_error_pages_carry_the_security_headers(app, client, login_as):
    login_as(make_user())
    errors = {
        404: client.get("/events/no-such-event"),
        403: client.get("/admin/users"),
        400: client.post("/account", data={"name": "No token"}),
        405: client.get("/logout"),
    }
    assert set(errors[405].headers["Allow"].split(", ")) == {"OPTIONS", "POST"}

    for status, response in errors.items():
        assert response.status_code == status
        assert response.mimetype == "text/html"
        assert _check_html_headers(response, str(status)) == []


# --- body size -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "config_overrides", [{"WTF_CSRF_ENABLED": True, "MAX_CONTENT_LENGTH": 4096}]
)
def test_body_over_the_size_limit_is_refused_with_413(client):
    token = _token(client, "/signup")

    response = client.post(
        "/signup",
        data={
            "csrf_token": token,
            "name": "Big Sender",
            "email": "big@example.org",
            "password": STRONG,
            "confirm": STRONG,
            "padding": "x" * 8000,
        },
    )

    assert response.status_code == 413
    assert "What you sent is larger than this site accepts." in response.text
    assert _check_html_headers(response, "413") == []
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


# --- sign-in rate limits -----------------------------------------------------------------
# The limiter keeps its own wall-clock window (limits' memory storage reads time.time), which
# the test clock does not move; so these tests show the refusal and that it is narrow.


def _attempt(client, token, email, password, address):
    return client.post(
        "/login",
        data={"csrf_token": token, "email": email, "password": password},
        environ_overrides={"REMOTE_ADDR": address},
    )


def test_eleventh_failed_login_for_one_account_is_refused_from_any_address(app, client):
    make_user(email="ada@example.org")
    make_user(email="bob@example.org")
    token = _token(client)
    ada_phone = app.test_client()
    phone_token = _token(ada_phone)

    answers = []
    for n in range(10):
        if n in (3, 7):  # Ada herself signs in meanwhile: successes are not counted
            assert (
                _attempt(
                    ada_phone, phone_token, "ada@example.org", PASSWORD, f"10.9.0.{n}"
                ).status_code
                == 302
            )
        failed = _attempt(client, token, "ada@example.org", "guess", f"10.0.0.{n}")
        answers.append(failed.status_code)
    eleventh = _attempt(client, token, "ada@example.org", "guess", "10.0.0.200")
    right_password = _attempt(client, token, "ada@example.org", PASSWORD, "10.0.0.201")
    elsewhere = app.test_client()
    bob = _attempt(elsewhere, _token(elsewhere), "bob@example.org", PASSWORD, "10.0.1.1")

    assert answers == [200] * 10
    assert eleventh.status_code == 429
    assert "Too many attempts. Wait a minute and try again." in eleventh.text
    assert _check_html_headers(eleventh, "429") == []
    assert right_password.status_code == 429  # locked for the minute, whoever asks
    assert bob.status_code == 302


def test_eleventh_failed_login_from_one_address_is_refused_for_any_account(app, client):
    make_user(email="ada@example.org")
    make_user(email="bob@example.org")
    token = _token(client)

    signed_in = _attempt(client, token, "ada@example.org", PASSWORD, "10.0.0.1")
    answers = [
        _attempt(client, token, f"guess{n}@example.org", "guess", "10.0.0.1").status_code
        for n in range(10)
    ]
    eleventh = _attempt(client, token, "guess-again@example.org", "guess", "10.0.0.1")
    elsewhere = app.test_client()
    bob = _attempt(elsewhere, _token(elsewhere), "bob@example.org", PASSWORD, "10.0.0.2")

    assert signed_in.status_code == 302
    assert answers == [200] * 10
    assert eleventh.status_code == 429
    assert bob.status_code == 302


def test_reset_requests_from_one_address_are_limited(client):
    token = _token(client, "/reset")

    answers = [
        client.post(
            "/reset",
            data={"csrf_token": token, "email": f"p{n}@example.org"},
            environ_overrides={"REMOTE_ADDR": "10.0.0.1"},
        ).status_code
        for n in range(11)
    ]

    assert answers == [302] * 10 + [429]
