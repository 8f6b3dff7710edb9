"""Whole journeys through the real forms in Chromium: organizing an event, the waitlist
moving up with its email, door check-in on a phone, and tying a dataset to a challenge.

The clock is frozen at 2026-03-02 15:00 UTC (10:00 AM EST); every event starts after it.
"""

from __future__ import annotations

import re

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture reports the missing Playwright (skip or failure)
    expect = None

from tests.browser.conftest import horizontal_overflow, settle
from tests.factories import (
    make_challenge,
    make_dataset,
    make_event,
    make_organizer,
    make_user,
    register,
)
from tests.integration.pages import signup_link

pytestmark = pytest.mark.browser


def _agenda_day(page, heading: str):
    """The list of sessions under one day's heading on the agenda page."""
    return page.locator("h2", has_text=heading).locator("xpath=following-sibling::ul[1]")


def test_organizer_builds_and_publishes_an_event_through_the_forms(app, new_page, sign_in):
    organizer = make_organizer(name="Olivia Organizer")
    email = organizer.email
    settle()
    page = new_page("desktop")
    sign_in(page, email)

    page.get_by_role("link", name="New event").click()
    page.get_by_label("Title").fill("River Data Jam")
    page.get_by_label("Web address").fill("river-data-jam")
    page.get_by_label("Kind").select_option(label="Datajam")
    page.get_by_label("Summary").fill("A weekend with the state's water quality data.")
    # Pacific time: the evening session starts on April 11 in UTC but April 10 locally.
    page.get_by_label("Time zone").select_option("America/Los_Angeles")
    page.get_by_label("Start").fill("2026-04-10T09:00")
    page.get_by_label("End", exact=True).fill("2026-04-11T18:00")
    page.get_by_label("Venue", exact=True).fill("Riverside Library")
    page.get_by_label("Capacity").fill("60")
    page.get_by_role("button", name="Create draft").click()
    expect(page.get_by_role("status")).to_contain_text("Event created as a draft")
    expect(page.get_by_role("heading", level=1)).to_have_text("River Data Jam")

    sessions = [
        ("Evening lightning talks", "Talk", "2026-04-10T18:30", "2026-04-10T19:30", "Main hall"),
        ("Demo day", "Demo", "2026-04-11T09:00", "2026-04-11T11:00", "Auditorium"),
    ]
    for title, kind, starts, ends, room in sessions:
        page.get_by_role("link", name="Add a session").click()
        page.get_by_label("Title").fill(title)
        page.get_by_label("Kind").select_option(label=kind)
        page.get_by_label("Start").fill(starts)
        page.get_by_label("End").fill(ends)
        page.get_by_label("Location").fill(room)
        page.get_by_role("button", name="Add session").click()
        expect(page.get_by_role("status")).to_contain_text("Session added to the agenda")

    public = new_page("desktop")
    assert public.goto("/events/river-data-jam").status == 404  # a draft is not public yet

    page.get_by_role("link", name="River Data Jam").click()
    page.get_by_role("button", name="Publish event").click()
    expect(page.get_by_role("status")).to_contain_text("The event is published")

    public.goto("/events/river-data-jam")
    expect(public.get_by_role("heading", level=1)).to_have_text("River Data Jam")
    expect(public.locator(".eh-facts")).to_contain_text(
        "Fri, Apr 10, 2026, 9:00 AM PDT to Sat, Apr 11, 2026, 6:00 PM PDT"
    )
    expect(public.get_by_text("2 sessions.")).to_be_visible()
    public.get_by_role("link", name="See the agenda").click()
    expect(public.get_by_text("All times are in America/Los_Angeles.")).to_be_visible()
    expect(public.locator("main h2")).to_have_text(
        ["Friday, April 10, 2026", "Saturday, April 11, 2026"]
    )
    friday, saturday = (
        _agenda_day(public, "Friday, April 10, 2026"),
        _agenda_day(public, "Saturday, April 11, 2026"),
    )
    expect(friday).to_contain_text("Evening lightning talks")
    expect(friday).to_contain_text("6:30 PM PDT to 7:30 PM PDT")
    expect(friday).not_to_contain_text("Demo day")
    expect(saturday).to_contain_text("Demo day")
    expect(saturday).to_contain_text("9:00 AM PDT to 11:00 AM PDT")
    expect(saturday).not_to_contain_text("Evening lightning talks")


def _sign_up_from_event_page(page, mail, slug: str, name: str, email: str, password: str) -> None:
    page.goto(f"/events/{slug}")
    page.get_by_role("link", name="create an account").click()
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Repeat password").fill(password)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    page.goto(signup_link(mail, email))  # the link in the email, opened in the same browser
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("status")).to_contain_text("Welcome to EventHub")
    expect(page).to_have_url(re.compile(f"/events/{slug}$"))  # back where they started


def test_cancellation_moves_the_waitlist_up_and_emails_the_promoted(app, new_page, mail):
    event = make_event(capacity=1, title="Open Budget Roundtable", slug="open-budget-roundtable")
    slug, title = event.slug, event.title
    settle()
    ana, ben = new_page("desktop"), new_page("desktop")

    _sign_up_from_event_page(
        ana, mail, slug, "Ana Silva", "ana@example.net", "orbit-lantern-meadow-42"
    )
    ana.get_by_role("button", name="Register").click()
    expect(ana.get_by_role("status")).to_contain_text("You are registered")

    _sign_up_from_event_page(
        ben, mail, slug, "Ben Okafor", "ben@example.net", "copper-violet-harbor-97"
    )
    expect(ben.get_by_text("The event is full")).to_be_visible()
    ben.get_by_role("button", name="Join the waitlist").click()
    expect(ben.get_by_role("status")).to_contain_text("number 1 on the waitlist")
    expect(ben.locator("#your-place").locator("..")).to_contain_text(
        "You are number 1 on the waitlist."
    )

    ana.get_by_role("link", name="Cancel my registration").click()
    expect(ana.locator("main")).to_contain_text("Your place at Open Budget Roundtable goes to")
    ana.get_by_role("button", name="Cancel my registration").click()
    expect(ana.get_by_role("status")).to_contain_text("Your registration is cancelled")

    ben.reload()
    expect(ben.locator("#your-place").locator("..")).to_contain_text("You are registered.")
    signed_up = "Finish creating your EventHub account"
    message = mail.wait_for(lambda m: m["To"] == "ben@example.net" and m["Subject"] != signed_up)
    assert message["Subject"] == f"You have a place at {title}"
    assert f"/events/{slug}" in message.get_content()
    assert [m["Subject"] for m in mail.messages if m["To"] == "ana@example.net"] == [signed_up]


def test_organizer_checks_a_person_in_on_a_phone(app, new_page, sign_in):
    organizer = make_organizer()
    event = make_event(organizer=organizer, capacity=50)
    for name in ("Dana Doorway", "Eli Early", "Fay Latecomer"):
        register(event, make_user(name=name))
    email, slug = organizer.email, event.slug
    settle()
    page = new_page("phone")
    sign_in(page, email)

    page.goto(f"/events/{slug}")
    page.get_by_role("link", name="Check-in").click()
    page.get_by_label("Find a person by name or email").fill("dana")
    page.get_by_role("button", name="Find").click()
    expect(page.locator(".eh-checkin__row")).to_have_count(1)
    button = page.get_by_role("button", name="Check in Dana Doorway")
    expect(button).to_be_in_viewport()
    button.tap()

    expect(page.get_by_role("status")).to_contain_text("Dana Doorway is checked in.")
    row = page.locator(".eh-checkin__row", has_text="Dana Doorway")
    expect(row).to_contain_text("Checked in 10:00 AM EST")
    expect(row.get_by_role("button", name="Undo check-in of Dana Doorway")).to_be_visible()
    expect(page.get_by_label("Find a person by name or email")).to_have_value("dana")
    assert not horizontal_overflow(page), horizontal_overflow(page)

    page.goto(f"/events/{slug}/roster")
    expect(page.get_by_role("row", name=re.compile("Dana Doorway"))).to_contain_text("10:00 AM EST")
    expect(page.get_by_role("row", name=re.compile("Eli Early"))).to_contain_text("No")


PRESCRIBERS = "Medicare Part D Prescribers - by Provider and Drug"


@pytest.mark.parametrize("script", [True, False], ids=["with script", "without script"])
def test_organizer_adds_a_dataset_from_the_picker_and_the_public_sees_it(
    app, new_page, sign_in, script
):
    """With scripts the results come as the organizer types (static/js/dataset-picker.js);
    without, from the Search button. Either way the same "Add" button links the dataset."""
    organizer = make_organizer(name="Olivia Organizer")
    event = make_event(organizer=organizer, slug="opioid-data-jam", title="Opioid Data Jam")
    make_challenge(event, slug="prescribing-patterns", title="Prescribing patterns")
    cms = ["Centers for Medicare & Medicaid Services", "U.S. Department of Health & Human Services"]
    for title in (PRESCRIBERS, "Medicare Part D Spending by Drug", "Hospital General Information"):
        make_dataset(title=title, publisher=cms, keywords=["Medicare"])
    email = organizer.email
    settle()
    page = new_page("desktop", java_script_enabled=script)
    sign_in(page, email)

    page.goto("/events/opioid-data-jam/challenges/prescribing-patterns")
    manage = page.get_by_role("navigation", name="Manage this challenge")
    manage.get_by_role("link", name="Datasets").click()
    expect(page.get_by_text("No datasets linked yet.")).to_be_visible()
    page.get_by_label("Search the dataset catalog").fill("prescribers")
    if script:
        expect(page).to_have_url(re.compile(r"/datasets\?q=prescribers$"))  # no form sent
    else:
        page.get_by_role("button", name="Search").click()
    expect(page.locator("#dataset-results")).to_contain_text("1 dataset match “prescribers”.")
    page.get_by_role("button", name=f"Add {PRESCRIBERS}").click()

    expect(page.get_by_role("status")).to_contain_text(f"“{PRESCRIBERS}” is linked")
    expect(page.get_by_role("button", name=f"Remove {PRESCRIBERS}")).to_be_visible()
    expect(page.locator("#dataset-results")).to_contain_text("Linked")

    public = new_page("phone")
    public.goto("/events/opioid-data-jam/challenges/prescribing-patterns")
    datasets = public.get_by_role("region", name="Datasets")
    expect(datasets.get_by_role("listitem")).to_have_text(
        [re.compile(f"^{re.escape(PRESCRIBERS)}\\s*Centers for Medicare")]
    )
    datasets.get_by_role("link", name=PRESCRIBERS).click()
    expect(public.get_by_role("heading", level=1)).to_have_text(PRESCRIBERS)
    featured = public.locator("h2", has_text="Featured in").locator(
        "xpath=following-sibling::ul[1]"
    )
    expect(featured).to_have_text(
        re.compile(r"^\s*Prescribing patterns, a challenge of Opioid Data Jam\s*$")
    )
    featured.get_by_role("link", name="Prescribing patterns").click()
    expect(public.get_by_role("heading", level=1)).to_have_text("Prescribing patterns")
    assert not horizontal_overflow(public), horizontal_overflow(public)
