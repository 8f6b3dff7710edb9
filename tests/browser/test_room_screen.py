"""The demo-day room screen as a projector shows it: no site around it, everything on one
screen at 1920x1080 and 1280x720 with the longest names the forms accept, and back on its
own after the network drops while the organizer moves on from their phone.

The screen asks for news every ``DEMODAY_SCREEN_POLL_SECONDS`` (15 in production); here half
a second, so the waits stay short.
"""

from __future__ import annotations

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture reports the missing Playwright (skip or failure)
    expect = None

from eventhub.accounts.models import User
from eventhub.demoday import services as demoday
from eventhub.events.models import Event
from eventhub.extensions import db
from tests.browser.conftest import settle
from tests.factories import (
    make_challenge,
    make_demo_day,
    make_event,
    make_organizer,
    make_submission,
    make_team,
    make_user,
)

pytestmark = pytest.mark.browser

PROJECTORS = [{"width": 1920, "height": 1080}, {"width": 1280, "height": 720}]

FITS_JS = """() => {
  const root = document.scrollingElement;
  return {height: root.scrollHeight, width: root.scrollWidth,
          innerHeight: window.innerHeight, innerWidth: window.innerWidth};
}"""

# Every link a site page carries in its header: none belongs on a screen in a room.
CHROME_JS = """() => {
  const links = [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'));
  return {
    landmarks: document.querySelectorAll('header, nav, footer, [role=navigation]').length,
    links,
    forms: document.querySelectorAll('form').length,
  };
}"""


def _longest(phrase: str, length: int) -> str:
    """Real words repeated up to ``length`` characters: a value as long as its column allows."""
    words, text = phrase.split(), ""
    while len(text) < length:
        text = f"{text} {words[len(text.split()) % len(words)]}".strip()
    return text[:length].rstrip()


EVENT_TITLE = _longest("Open Data Week Civic Datajam for Transit Housing and Public Health", 200)
LOCATION = _longest("Council Chambers, Municipal Building, 1 Centre Street, Floor 2", 200)
CHALLENGE = _longest("Make bus arrival predictions trustworthy for riders with disabilities", 200)
TEAMS = [
    _longest("Interagency Working Group on Accessible Transit Information", 80),
    _longest("Neighbourhood Air Quality Volunteers and Friends of the Library", 80),
    "Curb Crew",
]
PROJECTS = [
    _longest("Realtime Paratransit Arrival Estimates from Open Vehicle Location Feeds", 120),
    _longest("Street by Street Particulate Matter Maps Built from Community Sensor Uploads", 120),
    "Transit Stop Finder",
]


def _room() -> str:
    """A published event whose demo day presents TEAMS[i] with PROJECTS[i] in that order (a
    challenge's projects go by title); returns its slug. Olivia organizes it."""
    organizer = make_organizer(name="Olivia Organizer", email="olivia@example.org")
    event = make_event(organizer=organizer, title=EVENT_TITLE, slug="civic-week")
    challenge = make_challenge(event, title=CHALLENGE, position=0)
    for team_name, title in zip(TEAMS, PROJECTS, strict=True):
        team = make_team(event, make_user(), name=team_name)
        make_submission(team, challenge=challenge, title=title, state="submitted")
    make_demo_day(event, location=LOCATION)
    return event.slug


def _start(slug: str) -> None:
    """Olivia presses Next before the first slot: the first team is on stage."""
    event = db.session.scalar(db.select(Event).where(Event.slug == slug))
    olivia = db.session.scalar(db.select(User).where(User.email == "olivia@example.org"))
    demoday.advance(event, {"direction": "next", "from": ""}, actor=olivia)
    db.session.commit()


@pytest.fixture
def config_overrides():
    return {
        "WTF_CSRF_ENABLED": True,
        "SEND_FILE_MAX_AGE_DEFAULT": 3600,
        "DEMODAY_SCREEN_POLL_SECONDS": 0.5,
    }


@pytest.mark.parametrize("size", PROJECTORS, ids=lambda s: f"{s['width']}x{s['height']}")
def test_room_screen_fits_a_projector_and_shows_no_site_around_it(app, new_page, size):
    slug = _room()
    settle()
    screen = new_page("desktop", viewport=size)
    problems = []

    for state in ("before the start", "during the first slot"):
        if state == "during the first slot":
            _start(slug)
            settle()
        screen.goto(f"/events/{slug}/demo-day/now")
        expect(screen.locator("main")).to_contain_text(TEAMS[0])
        fits = screen.evaluate(FITS_JS)
        if fits["height"] > fits["innerHeight"] or fits["width"] > fits["innerWidth"]:
            problems.append(f"{state}: {fits['width']}x{fits['height']} px of page on {size}")
        chrome = screen.evaluate(CHROME_JS)
        if chrome["landmarks"] or chrome["forms"]:
            problems.append(f"{state}: site header, navigation, footer or forms: {chrome}")
        elsewhere = [h for h in chrome["links"] if not h.startswith(f"/events/{slug}/demo-day")]
        if elsewhere:
            problems.append(f"{state}: links away from the demo day: {elsewhere}")
        for name in (TEAMS[0], PROJECTS[0]):
            if not screen.get_by_text(name[:40]).first.is_visible():
                problems.append(f"{state}: {name[:40]!r} is not on the screen")

    assert not problems, "\n".join(problems)


def test_room_screen_recovers_by_itself_after_the_network_drops(app, new_page, sign_in):
    slug = _room()
    _start(slug)
    settle()
    screen = new_page("desktop", viewport=PROJECTORS[1])
    screen.goto(f"/events/{slug}/demo-day/now")
    now = screen.locator(".eh-screen__now")
    expect(now).to_contain_text(TEAMS[0])
    screen.evaluate("() => { window.sameDocument = true; }")

    screen.context.set_offline(True)
    expect(screen.get_by_text("Reconnecting")).to_be_visible()
    phone = new_page("phone")
    sign_in(phone, "olivia@example.org")
    phone.goto(f"/events/{slug}/manage/demo-day/control")
    phone.get_by_role("button", name="Next").click()
    expect(phone.get_by_role("status")).to_contain_text(f"Now presenting: {TEAMS[1]}")
    screen.wait_for_timeout(1500)  # three polls' worth of failures
    offline_text = now.text_content()
    screen.context.set_offline(False)

    assert TEAMS[0] in offline_text  # the last good state stays up, no browser error page
    expect(now).to_contain_text(TEAMS[1], timeout=5000)
    expect(screen.get_by_text("Reconnecting")).to_be_hidden()
    assert screen.evaluate("() => window.sameDocument === true"), "the screen reloaded"
    assert screen.url.endswith(f"/events/{slug}/demo-day/now")
