"""What the pages offer: each feed three ways (webcal for Apple Calendar and Outlook, Google's
subscribe link, the address to copy into any other app), and an "add to calendar" file for
every event and session; each link leads to what it says."""

from urllib.parse import quote, urlsplit

import icalendar

from tests.factories import make_event, make_session
from tests.integration.pages import Page, page

GOOGLE = "https://calendar.google.com/calendar/render?cid="


def _subscribe_links(shown: Page, field_id: str) -> tuple[str, str, str]:
    """(webcal, google, https) of the subscribe block whose address field is ``field_id``."""
    https = shown.by_id(field_id)[0].attrs["value"]
    hrefs = [a.attrs["href"] for a in shown.all("a")]
    webcal = next(h for h in hrefs if h.startswith("webcal://"))
    google = next(h for h in hrefs if h.startswith(GOOGLE))
    return webcal, google, https


def _calendar_at(client, url: str) -> icalendar.Calendar:
    parts = urlsplit(url)
    response = client.get(parts.path + (f"?{parts.query}" if parts.query else ""))
    assert response.status_code == 200, url
    assert response.mimetype == "text/calendar"
    return icalendar.Calendar.from_ical(response.data)


def test_site_page_offers_the_chosen_kinds_feed_three_ways(client):
    make_event(kind="hackathon", title="Civic Hack Night")
    make_event(kind="roundtable", title="Data Roundtable")

    shown = page(client.get("/calendar?kind=hackathon"))

    webcal, google, https = _subscribe_links(shown, "site-feed-url")
    assert https.startswith("http://localhost/calendar.ics?kind=hackathon")
    assert webcal == "webcal://" + https.removeprefix("http://")
    assert google == GOOGLE + quote(webcal, safe="")
    feed = _calendar_at(client, https)
    assert [str(e["SUMMARY"]) for e in feed.walk("VEVENT")] == ["Civic Hack Night"]
    assert shown.by_id("kind-hackathon")[0].attrs.get("checked") is not None


def test_event_page_offers_the_event_file_and_the_event_feed(client):
    event = make_event(title="Open Budget Datajam")
    make_session(event, title="Welcome")

    shown = page(client.get(f"/events/{event.slug}"))

    add = next(a for a in shown.all("a") if a.text == "Add Open Budget Datajam to your calendar")
    single = _calendar_at(client, add.attrs["href"])
    assert [str(e["SUMMARY"]) for e in single.walk("VEVENT")] == ["Open Budget Datajam"]
    webcal, google, https = _subscribe_links(shown, "event-feed-url")
    assert https == f"http://localhost/events/{event.slug}/calendar.ics"
    assert webcal == f"webcal://localhost/events/{event.slug}/calendar.ics"
    assert google == GOOGLE + quote(webcal, safe="")
    summaries = {str(e["SUMMARY"]) for e in _calendar_at(client, https).walk("VEVENT")}
    assert summaries == {"Open Budget Datajam", "Welcome"}


def test_agenda_offers_each_session_as_its_own_file(client):
    event = make_event(title="Open Budget Datajam")
    make_session(event, title="Welcome, and coffee")
    make_session(event, title="Demos", offset_hours=2)

    shown = page(client.get(f"/events/{event.slug}/agenda"))

    for title in ("Welcome, and coffee", "Demos"):
        add = next(a for a in shown.all("a") if a.text == f"Add “{title}” to your calendar")
        single = _calendar_at(client, add.attrs["href"])
        assert [str(e["SUMMARY"]) for e in single.walk("VEVENT")] == [title]
        assert "download" in add.attrs
