"""safe_next: after signing in, only a path on this site is followed."""

import pytest

from eventhub.security import safe_next

FALLBACK = "/events"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "http://evil.example",
        "HTTPS://evil.example",
        "//evil.example/path",
        "///evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "\\/evil.example",
        " //evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        "/events\r\nSet-Cookie: session=stolen",
        "/events\n",
        "/events\x00",
        "/events\x85",
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "http:evil.example",
        "evil.example",
        "events",
    ],
)
def test_safe_next_refuses_anything_but_a_path_of_ours(target):
    assert safe_next(target, FALLBACK) == FALLBACK


@pytest.mark.parametrize(
    "target", ["/events", "/events/open-budget?tab=agenda", "/account#bio", "/"]
)
def test_safe_next_keeps_a_path_of_ours(target):
    assert safe_next(target, FALLBACK) == target


@pytest.mark.parametrize("target", [None, ""])
def test_safe_next_without_a_target_uses_the_fallback(target):
    assert safe_next(target, FALLBACK) == FALLBACK
