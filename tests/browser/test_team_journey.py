"""A team's whole way through an event in Chromium: formed by invite code, completed from
the looking-for-team board, then its project built, submitted, edited, and locked at the
deadline, which is shown in the event's time zone.

The clock is frozen at 2026-03-02 15:00 UTC; the event starts a week later, after the United
States moved to summer time, so its Chicago deadline reads CDT.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture reports the missing Playwright (skip or failure)
    expect = None

from tests.browser.conftest import settle
from tests.browser.team_world import screenshot_png
from tests.factories import (
    link_dataset,
    make_challenge,
    make_dataset,
    make_event,
    make_organizer,
    make_user,
    register,
)

pytestmark = pytest.mark.browser

DEADLINE_TEXT = "Tue, Mar 10, 2026, 4:00 PM CDT (America/Chicago)"
GAUGES = "River gauge readings, 15-minute intervals"
RAINFALL = "Hourly rainfall totals by weather station"


def _flood_jam():
    """An event in Chicago time with a challenge suggesting one dataset; another dataset is
    only in the catalog. Returns (slug, deadline, the three participants' emails)."""
    organizer = make_organizer(name="Olivia Organizer")
    event = make_event(
        organizer=organizer,
        slug="flood-data-jam",
        title="Flood Data Jam",
        timezone="America/Chicago",
        hours=32,
    )
    event.submission_deadline = event.starts_at + timedelta(hours=30)
    challenge = make_challenge(event, title="Flood-ready neighborhoods")
    link_dataset(challenge, make_dataset(title=GAUGES, keywords=["Flooding", "Rivers"]))
    make_dataset(title=RAINFALL, keywords=["Rainfall", "Weather"])
    people = [
        make_user(name="Cora Captain", email="cora@example.org"),
        make_user(name="Milo Member", email="milo@example.org"),
        make_user(name="Jo Joiner", email="jo@example.org"),
    ]
    for person in people:
        register(event, person)
    deadline = event.submission_deadline
    settle()
    return event.slug, deadline, [p.email for p in people]


def _form_team_by_code(captain, member, slug: str) -> None:
    captain.goto(f"/events/{slug}/teams")
    captain.get_by_label("Team name").fill("Flood Mappers")
    captain.get_by_label("Skills the team needs").fill("GIS, hydrology")
    captain.get_by_role("button", name="Create team").click()
    expect(captain.get_by_role("status")).to_contain_text("You are its captain")
    code = captain.locator("#invite-code").inner_text()

    member.goto(f"/events/{slug}/teams")
    member.get_by_label("Invite code").fill(code)
    member.get_by_role("button", name="Join team").click()
    expect(member.get_by_role("status")).to_contain_text("You joined “Flood Mappers”")
    expect(member.locator("#members")).to_contain_text("Cora Captain (captain)")


def _ask_from_the_board(joiner, slug: str) -> None:
    joiner.goto(f"/events/{slug}/board")
    joiner.get_by_label("Filter by skill").fill("gis")
    joiner.get_by_role("button", name="Filter").click()
    joiner.locator("#board-teams").get_by_role("link", name="Flood Mappers").click()
    joiner.get_by_label("Message to the captain").fill("I map river gauges for the county.")
    joiner.get_by_role("button", name="Ask to join").click()
    expect(joiner.get_by_role("status")).to_contain_text("Your request is sent")


def _create_project(captain, slug: str) -> None:
    captain.goto(f"/events/{slug}")  # the gallery is not open yet: the event page leads there
    captain.get_by_role("link", name="Submit a project").click()
    captain.get_by_label("Project title").fill("Flood Watch Blocks")
    captain.get_by_label("Tagline").fill("Which blocks flood first when the river rises.")
    captain.get_by_label("Challenge", exact=True).select_option(label="Flood-ready neighborhoods")
    captain.get_by_label("Description", exact=True).fill("Gauge readings joined to elevation.")
    captain.get_by_role("button", name="Save as draft").click()
    expect(captain.get_by_role("status")).to_contain_text("Project saved as a draft")


def _add_screenshot(captain) -> None:
    captain.get_by_role("navigation", name="Your project").get_by_role(
        "link", name="Screenshots"
    ).click()
    captain.get_by_label("Screenshot", exact=True).set_input_files(
        files=[{"name": "blocks.png", "mimeType": "image/png", "buffer": screenshot_png()}]
    )
    captain.get_by_label("Description of the image").fill("Map of blocks by flood risk")
    captain.get_by_role("button", name="Upload").click()
    expect(captain.get_by_role("status")).to_contain_text("Screenshot added.")
    shot = captain.get_by_role("img", name="Map of blocks by flood risk")
    expect(shot).to_be_visible()
    assert shot.evaluate("img => img.naturalWidth") == 640  # the image itself is served


def _add_two_datasets(captain) -> None:
    captain.get_by_role("navigation", name="Your project").get_by_role(
        "link", name="Datasets used"
    ).click()
    captain.get_by_role("button", name=f"Add {GAUGES}").click()  # suggested by the challenge
    expect(captain.get_by_role("status")).to_contain_text("is listed as used by this project")
    captain.get_by_label("Search the dataset catalog").fill("rainfall")
    captain.locator("main").get_by_role("button", name="Search", exact=True).click()
    captain.get_by_role("button", name=f"Add {RAINFALL}").click()
    expect(captain.locator("#used")).to_contain_text(GAUGES)
    expect(captain.locator("#used")).to_contain_text(RAINFALL)


def _save_tagline(captain, tagline: str) -> None:
    captain.get_by_role("navigation", name="Your project").get_by_role(
        "link", name="Edit details"
    ).click()
    captain.get_by_label("Tagline").fill(tagline)
    captain.get_by_role("button", name="Save project").click()


def test_team_forms_by_code_and_board_then_submits_until_the_deadline(
    app, new_page, sign_in, clock
):
    slug, deadline, (cora, milo, jo) = _flood_jam()
    captain, member, joiner = new_page("desktop"), new_page("desktop"), new_page("phone")
    for page, email in ((captain, cora), (member, milo), (joiner, jo)):
        sign_in(page, email)

    _form_team_by_code(captain, member, slug)
    _ask_from_the_board(joiner, slug)
    captain.reload()
    expect(captain.get_by_role("heading", name="Requests to join (1)")).to_be_visible()
    expect(captain.locator("#requests")).to_contain_text("I map river gauges for the county.")
    captain.get_by_role("button", name="Accept Jo Joiner").click()
    expect(captain.get_by_role("status")).to_contain_text("Jo Joiner joined the team.")
    expect(captain.locator("#members")).to_contain_text("Jo Joiner")
    joiner.reload()
    expect(joiner.locator("#members")).to_contain_text("Jo Joiner")

    _create_project(captain, slug)
    _add_screenshot(captain)
    _add_two_datasets(captain)
    captain.get_by_role("navigation", name="Your project").get_by_role(
        "link", name="Project page"
    ).click()
    captain.get_by_role("button", name="Submit project").click()
    expect(captain.get_by_role("status")).to_contain_text("Project submitted")
    expect(captain.locator("#project-state")).to_contain_text("Submitted")
    expect(captain.locator("#project-state")).to_contain_text(
        f"Changes are possible until {DEADLINE_TEXT}"
    )
    expect(captain.locator("#datasets-used")).to_contain_text(RAINFALL)

    _save_tagline(captain, "The blocks that flood first, an hour ahead.")
    expect(captain.get_by_role("status")).to_contain_text("Project saved.")
    expect(captain.locator(".usa-intro")).to_have_text(
        "The blocks that flood first, an hour ahead."
    )

    captain.get_by_role("navigation", name="Your project").get_by_role(
        "link", name="Edit details"
    ).click()
    clock.set(deadline + timedelta(minutes=1))  # the deadline passes while they type
    captain.get_by_label("Tagline").fill("Edited too late.")
    captain.get_by_role("button", name="Save project").click()
    expect(captain.locator("main")).to_contain_text(
        f"The submission deadline passed on {DEADLINE_TEXT}. The project is locked"
    )
    expect(captain.get_by_label("Tagline")).to_have_value("Edited too late.")
    expect(captain.get_by_role("button", name="Save project")).to_have_count(0)
    expect(captain.get_by_role("link", name="Edit details")).to_have_count(0)
    member.goto(captain.url.removesuffix("/edit"))
    expect(member.locator(".usa-intro")).to_have_text("The blocks that flood first, an hour ahead.")
