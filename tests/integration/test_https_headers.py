"""Strict-Transport-Security: sent when the page was served over https, never over http."""

import pytest


def _hsts(response) -> str | None:
    return response.headers.get("Strict-Transport-Security")


@pytest.mark.parametrize("path", ["/", "/login", "/events/no-such-event", "/healthz"])
def test_https_responses_carry_hsts_and_http_ones_do_not(app, path):
    secure = app.test_client().get(path, base_url="https://localhost")
    plain = app.test_client().get(path, base_url="http://localhost")

    assert _hsts(secure) == "max-age=31536000"
    assert _hsts(plain) is None


@pytest.mark.parametrize("config_overrides", [{"PROXY_FIX": True}])
def test_behind_the_proxy_fix_the_forwarded_scheme_decides_hsts(app):
    client = app.test_client()

    forwarded_https = client.get("/login", headers={"X-Forwarded-Proto": "https"})
    forwarded_http = client.get("/login", headers={"X-Forwarded-Proto": "http"})
    direct = client.get("/login")

    assert _hsts(forwarded_https) == "max-age=31536000"
    assert _hsts(forwarded_http) is None
    assert _hsts(direct) is None


def test_without_the_proxy_fix_a_forwarded_scheme_is_not_believed(app):
    response = app.test_client().get("/login", headers={"X-Forwarded-Proto": "https"})

    assert _hsts(response) is None
