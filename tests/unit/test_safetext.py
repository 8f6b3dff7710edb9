"""The rules every door applies: which addresses may be links, which characters may be stored."""

import pytest

from eventhub.safetext import has_control, mail_address, strip_control, web_url


@pytest.mark.parametrize(
    ("given", "linked"),
    [
        ("https://data.cms.gov/provider-data/", "https://data.cms.gov/provider-data/"),
        (
            "http://www.agency.gov/feeds/widgets-all.json",
            "http://www.agency.gov/feeds/widgets-all.json",
        ),
        ("  https://example.org/a?b=c#d  ", "https://example.org/a?b=c#d"),
        ("HTTPS://Example.org/Path", "https://Example.org/Path"),
        ("https://[2001:db8::1]:8443/x", "https://[2001:db8::1]:8443/x"),
        (
            "https://data.example.gov/files/All Rows.csv",
            "https://data.example.gov/files/All%20Rows.csv",
        ),
    ],
)
def test_web_addresses_are_links(given, linked):
    assert web_url(given) == linked


@pytest.mark.parametrize(
    "given",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "\tjavascript:alert(1)",
        "java\nscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "mailto:someone@example.org",
        "/relative/path",
        "//evil.example/x",
        "evil.example/page",
        "https:evil.example",
        "http:/evil.example",
        "https:\\\\evil.example",
        "https://",
        "https://:80/",
        "https://exa mple.org",
        "https:// example.org/",
        "https://example.org/a\u00a0b",
        "https://example.org/\x00",
        "https://example.org:99999/",
        "https://example.org:port/",
        "",
        None,
        42,
    ],
)
def test_anything_else_is_not_a_link(given):
    assert web_url(given) is None


def test_mail_addresses_carry_nothing_but_the_address():
    assert mail_address("IPAG_Data_Products@cms.hhs.gov") == "IPAG_Data_Products@cms.hhs.gov"
    for bad in ("a@b.org?cc=c@d.org", "a@b.org&body=x", "javascript:alert(1)", "x@y", "a b@c.org"):
        assert mail_address(bad) is None


@pytest.mark.parametrize(
    "char", ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x80", "\x85", "\x9f"]
)
def test_control_characters_are_refused_everywhere(char):
    assert has_control(f"a{char}b") and has_control(f"a{char}b", multiline=True)
    assert strip_control(f"a{char}b") == "ab" == strip_control(f"a{char}b", multiline=True)


def test_tab_is_text_and_line_breaks_only_where_lines_are_allowed():
    assert not has_control("a\tb") and not has_control("a\tb", multiline=True)
    assert has_control("a\r\nb") and not has_control("a\r\nb", multiline=True)
    assert strip_control("first\r\nsecond\nthird") == "first second third"
    assert strip_control("first\r\nsecond", multiline=True) == "first\r\nsecond"
    assert not has_control("Zoë – “quoted” · 東京 \u00a0")  # text beyond the C1 block is text
