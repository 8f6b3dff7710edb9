"""Subscribing from a phone or desktop browser: the feed's address is copied with one
button where the page may write the clipboard, and is there to copy by hand where not."""

from __future__ import annotations

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture reports the missing Playwright (skip or failure)
    expect = None

from tests.browser.conftest import settle
from tests.factories import make_event

pytestmark = pytest.mark.browser


def test_copy_button_puts_the_feed_address_on_the_clipboard(app, new_page, live_server):
    event = make_event(title="Open Budget Datajam")
    settle()
    page = new_page("phone")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)

    page.goto(f"/events/{event.slug}")
    address = page.get_by_label("Address of this event, for other calendar apps")
    page.get_by_role("button", name="Copy the address").click()

    expect(page.locator("#event-feed-url-status")).to_have_text(
        "Copied. Paste it where your calendar app asks for a calendar's URL."
    )
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == address.input_value() == f"{live_server.url}/events/{event.slug}/calendar.ics"


def test_without_scripts_the_address_is_there_and_no_button_is_offered(app, new_page, live_server):
    settle()
    page = new_page("desktop", java_script_enabled=False)

    page.goto("/calendar")

    address = page.get_by_label("Address of the events calendar, for other calendar apps")
    assert address.input_value() == f"{live_server.url}/calendar.ics"
    expect(page.get_by_role("button", name="Copy the address")).to_have_count(0)
