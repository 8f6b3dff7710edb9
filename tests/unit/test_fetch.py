"""The remote catalog fetcher against a real local HTTP server; nothing reaches the internet.

Refused addresses are refused before any connection is made, so those tests need no server.
Fetches that succeed use the server's origin as the test origin, the one place plain http
on loopback is allowed.
"""

from __future__ import annotations

import time

import pytest

from eventhub.datasets.fetch import FetchError, check_url, fetch
from tests.support.fixtures import CATALOGS, FIXTURES
from tests.support.httpserver import (
    MEGABYTE,
    LocalHTTPServer,
    Reply,
    content,
    redirect,
    self_signed_tls,
    slow_headers,
    status,
    stream,
    trickle,
)
from tests.support.net import free_port

FDA = "/catalogs/fda-data.json"


@pytest.fixture
def server():
    with LocalHTTPServer(root=FIXTURES) as running:
        yield running


def refusal(url: str, **options) -> str:
    with pytest.raises(FetchError) as caught:
        fetch(url, **options)
    return caught.value.message


# --- URL rules --------------------------------------------------------------------------


def test_check_url_normalizes_scheme_host_and_default_port():
    normalized = check_url("  HTTPS://Data.Example.ORG:443/api/data.json?q=a b#top ")

    assert normalized == "https://data.example.org/api/data.json?q=a%20b"


def test_check_url_http_refused_with_https_message():
    with pytest.raises(FetchError) as caught:
        check_url("http://data.example.org/data.json")

    assert caught.value.message == (
        "http://data.example.org/data.json cannot be imported: "
        "only https:// addresses are fetched, for a secure connection."
    )


@pytest.mark.parametrize(
    "url",
    ["ftp://data.example.org/data.json", "file:///etc/passwd", "data.example.org/data.json"],
)
def test_check_url_other_schemes_refused(url):
    with pytest.raises(FetchError, match="cannot be imported"):
        check_url(url)


def test_check_url_empty_asks_for_an_address():
    with pytest.raises(FetchError) as caught:
        check_url("   ")

    assert caught.value.message == (
        "Enter the address of a catalog or dataset, starting with https://."
    )


def test_check_url_http_allowed_for_test_origin_only():
    origin = "http://127.0.0.1:54321"

    allowed = check_url(origin + "/data.json", test_origin=origin)

    assert allowed == "http://127.0.0.1:54321/data.json"
    with pytest.raises(FetchError, match="only https:// addresses"):
        check_url("http://127.0.0.1:54322/data.json", test_origin=origin)


@pytest.mark.parametrize(
    ("host", "kind"),
    [
        ("127.0.0.1", "a loopback"),
        ("10.0.0.1", "a private network"),
        ("192.168.1.1", "a private network"),
        ("172.16.0.1", "a private network"),
        ("169.254.169.254", "a link-local"),
        ("[::1]", "a loopback"),
        ("0.0.0.0", "an unspecified"),
        ("[::ffff:127.0.0.1]", "a loopback"),
        ("100.64.0.1", "a shared (carrier-grade NAT)"),
        ("[fe80::1]", "a link-local"),
        ("224.0.0.1", "a multicast"),
        ("2130706433", "a loopback"),
        ("127.1", "a loopback"),
    ],
)
def test_fetch_non_public_ip_literal_refused(host, kind):
    message = refusal(f"https://{host}/data.json")

    assert f"is {kind} address; only public internet addresses are fetched." in message


def test_fetch_localhost_name_refused_after_lookup():
    assert check_url("https://localhost/data.json") == "https://localhost/data.json"

    message = refusal("https://localhost/data.json")

    assert message == (
        "https://localhost/data.json cannot be imported: localhost points to a loopback "
        "address; only public internet addresses are fetched."
    )


@pytest.mark.parametrize(
    "url", ["https://user:secret@data.example.org/data.json", "https://user@data.example.org/"]
)
def test_fetch_userinfo_refused(url):
    message = refusal(url)

    assert "addresses with a user name or password are not fetched" in message


# --- fetching ---------------------------------------------------------------------------


def test_fetch_fixture_whole_from_test_origin(server):
    url = server.url(FDA)

    fetched = fetch(url, test_origin=server.origin)

    assert fetched.body == (CATALOGS / "fda-data.json").read_bytes()
    assert fetched.url == url
    assert fetched.content_type == "application/json"
    sent = server.requests[0].headers
    assert sent["user-agent"] == "EventHub dataset importer"
    assert sent["accept"] == "application/json"
    assert sent["host"] == f"127.0.0.1:{server.port}"


def test_fetch_host_header_names_the_original_host(server):
    origin = f"http://localhost:{server.port}"

    fetched = fetch(origin + FDA, test_origin=origin)

    assert fetched.url == origin + FDA
    assert server.requests[0].headers["host"] == f"localhost:{server.port}"


def test_fetch_content_type_reported_as_sent(server):
    url = server.route("/page", content(b"<html>not json</html>", "application/json"))

    fetched = fetch(url, test_origin=server.origin)

    assert fetched.body == b"<html>not json</html>"
    assert fetched.content_type == "application/json"


def test_fetch_other_loopback_port_refused_even_with_test_origin(server):
    with LocalHTTPServer(root=FIXTURES) as other:
        message = refusal(other.url(FDA), test_origin=server.origin)

        assert "only https:// addresses are fetched" in message
        assert other.requests == []


def test_fetch_not_found_names_status(server):
    message = refusal(server.url("/catalogs/missing.json"), test_origin=server.origin)

    assert message == "The server answered 404 Not Found."


def test_fetch_server_error_names_status(server):
    url = server.route("/broken", status(503))

    message = refusal(url, test_origin=server.origin)

    assert message == "The server answered 503 Service Unavailable."


def test_fetch_connection_refused_names_host():
    origin = f"http://127.0.0.1:{free_port()}"

    message = refusal(origin + "/data.json", test_origin=origin)

    assert message.startswith("The server 127.0.0.1 refused the connection on port")


def test_fetch_untrusted_certificate_refused(tmp_path):
    tls = self_signed_tls(tmp_path)
    if tls is None:
        pytest.skip("the openssl command is not installed")
    with LocalHTTPServer(root=FIXTURES, tls=tls) as server:
        message = refusal(server.url(FDA), test_origin=server.origin)

    assert message.startswith(
        "Could not make a secure connection to 127.0.0.1: its certificate is not valid"
    )


# --- redirects --------------------------------------------------------------------------


@pytest.mark.parametrize("hops", [1, 3])
def test_fetch_redirects_followed_up_to_three(server, hops):
    start = server.redirect_chain(hops, server.url(FDA))

    fetched = fetch(start, test_origin=server.origin)

    assert fetched.url == server.url(FDA)
    assert fetched.body == (CATALOGS / "fda-data.json").read_bytes()
    assert len(server.requests) == hops + 1


def test_fetch_fourth_redirect_refused(server):
    start = server.redirect_chain(4, FDA)

    message = refusal(start, test_origin=server.origin)

    assert message == (
        "The address redirected more than 3 times. Paste the final address of the catalog instead."
    )
    assert len(server.requests) == 4


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_fetch_redirect_to_other_loopback_port_refused(server, scheme):
    with LocalHTTPServer(root=FIXTURES) as other:
        target = f"{scheme}://127.0.0.1:{other.port}{FDA}"
        url = server.route("/away", redirect(target))

        message = refusal(url, test_origin=server.origin)

        assert message.startswith(f"The address redirected to {target}, which cannot be imported")
        assert other.requests == []


def test_fetch_redirect_to_private_address_refused(server):
    url = server.route("/inside", redirect("http://10.0.0.1/latest/meta-data/", status=307))

    message = refusal(url, test_origin=server.origin)

    assert message == (
        "The address redirected to http://10.0.0.1/latest/meta-data/, which cannot be "
        "imported: only https:// addresses are fetched, for a secure connection."
    )


def test_fetch_redirect_without_location_refused(server):
    url = server.route("/nowhere", Reply(status=302))

    message = refusal(url, test_origin=server.origin)

    assert message == "The server answered 302 Found without saying where to."


# --- limits -----------------------------------------------------------------------------


@pytest.mark.parametrize("framing", ["length", "chunked", "close"])
def test_fetch_body_over_20_mb_refused(server, framing):
    url = server.route("/huge", stream(21 * MEGABYTE, framing=framing))

    message = refusal(url, test_origin=server.origin)

    assert message == (
        "The file is larger than 20 MB, the most an import reads. "
        "Import a smaller catalog, or one dataset at a time."
    )


@pytest.mark.parametrize("framing", ["length", "chunked"])
def test_fetch_body_of_exactly_20_mb_accepted(server, framing):
    url = server.route("/full", stream(20 * MEGABYTE, framing=framing))

    fetched = fetch(url, test_origin=server.origin)

    assert len(fetched.body) == 20 * MEGABYTE


def test_fetch_trickling_body_stopped_at_timeout(server):
    url = server.route("/slow", trickle(3.0))
    started = time.monotonic()

    message = refusal(url, timeout=1.0, test_origin=server.origin)

    assert message == (
        "The server 127.0.0.1 took too long: the import stopped after 1 second. Try again later."
    )
    assert time.monotonic() - started < 2.5


def test_fetch_silent_server_stopped_at_timeout(server):
    url = server.route("/silent", trickle(0.1, delay=3.0))
    started = time.monotonic()

    message = refusal(url, timeout=1.0, test_origin=server.origin)

    assert "the import stopped after 1 second" in message
    assert time.monotonic() - started < 2.5


def test_fetch_trickling_headers_stopped_at_timeout(server):
    url = server.route("/slow-head", slow_headers(3.0))
    started = time.monotonic()

    message = refusal(url, timeout=1.0, test_origin=server.origin)

    assert "the import stopped after 1 second" in message
    assert time.monotonic() - started < 2.5


def test_fetch_deadline_covers_redirects_together(server):
    slow_hop = trickle(0.1, delay=0.6)
    server.route("/first", Reply(status=302, headers={"Location": "/second"}, delay=0.6))
    server.route("/second", slow_hop)

    message = refusal(server.url("/first"), timeout=1.0, test_origin=server.origin)

    assert "the import stopped after 1 second" in message
