"""Bad input through the event and session forms, as an organizer types it.

Each mistake is named beside its own field (in the error element the field points to with
aria-describedby), and nothing is saved: no new row, no changed value.
"""

import pytest

from eventhub.events.models import AgendaSession, Event
from eventhub.extensions import db
from tests.factories import make_event, make_organizer, make_session
from tests.integration.pages import field_error, page

FORM = {
    "title": "Open Budget Datajam",
    "slug": "open-budget-datajam",
    "kind": "datajam",
    "summary": "Follow the money.",
    "description": "Bring a laptop.",
    "timezone": "America/New_York",
    "starts_at": "2026-04-10T09:00",
    "ends_at": "2026-04-10T17:00",
    "venue_name": "City Hall",
    "venue_address": "1 Main St",
    "online_url": "",
    "registration_opens_at": "",
    "registration_closes_at": "",
    "capacity": "40",
    "submission_deadline": "",
    "team_formation_closes_at": "",
    "team_min_size": "1",
    "team_max_size": "5",
}

MISTAKES = [
    pytest.param(
        {"ends_at": "2026-04-10T08:00"},
        "ends_at",
        "The end must be after the start.",
        id="end-before-start",
    ),
    pytest.param(
        {"ends_at": "2026-04-10T09:00"},
        "ends_at",
        "The end must be after the start.",
        id="end-equals-start",
    ),
    pytest.param(
        {"timezone": "Mars/Olympus_Mons"},
        "timezone",
        "Choose a time zone from the list, such as America/New_York.",
        id="unknown-zone",
    ),
    pytest.param(
        {"capacity": "-1"},
        "capacity",
        "Enter a number of places from 0 up.",
        id="negative-capacity",
    ),
    pytest.param(
        {"description": "x" * 20_001},
        "description",
        "Use at most 20000 characters.",
        id="description-too-long",
    ),
    pytest.param(
        {"slug": "Open Budget!"},
        "slug",
        "Use lowercase letters, digits and single hyphens, for example health-datapalooza-2027.",
        id="invalid-slug",
    ),
    pytest.param(
        {"slug": "double--hyphen"},
        "slug",
        "Use lowercase letters, digits and single hyphens, for example health-datapalooza-2027.",
        id="double-hyphen-slug",
    ),
    pytest.param(
        {"slug": "taken-slug"},
        "slug",
        "Another event already uses this web address. Choose another.",
        id="duplicate-slug",
    ),
    pytest.param(
        {"online_url": "javascript:alert(1)"},
        "online_url",
        "Enter a web address starting with https:// or http://.",
        id="javascript-link",
    ),
    pytest.param(
        {"online_url": "ftp://example.org/stream"},
        "online_url",
        "Enter a web address starting with https:// or http://.",
        id="ftp-link",
    ),
    pytest.param(
        {"registration_closes_at": "2026-04-11T09:00"},
        "registration_closes_at",
        "Registration must close before the event ends.",
        id="registration-after-end",
    ),
    pytest.param(
        {"submission_deadline": "2026-04-10T08:00"},
        "submission_deadline",
        "Submissions must be due after the event starts.",
        id="deadline-before-start",
    ),
    pytest.param(
        {"submission_deadline": "2026-04-10T15:00", "team_formation_closes_at": "2026-04-10T16:00"},
        "team_formation_closes_at",
        "Teams must close by the time submissions are due.",
        id="teams-close-after-deadline",
    ),
    pytest.param(
        {"team_min_size": "4", "team_max_size": "2"},
        "team_max_size",
        "The largest team cannot be smaller than the smallest.",
        id="largest-team-below-smallest",
    ),
    pytest.param(
        {"team_max_size": "0"},
        "team_max_size",
        "Enter a team size from 1 to 100.",
        id="empty-teams",
    ),
]

SAVED_FIELDS = (
    "title",
    "slug",
    "kind",
    "summary",
    "description",
    "timezone",
    "starts_at",
    "ends_at",
    "online_url",
    "capacity",
    "registration_closes_at",
    "submission_deadline",
    "team_formation_closes_at",
    "team_min_size",
    "team_max_size",
    "sequence",
    "updated_at",
)


def _events() -> int:
    db.session.rollback()
    return db.session.scalar(db.select(db.func.count(Event.id)))


def _stored(event_id: int) -> dict:
    db.session.rollback()
    event = db.session.get(Event, event_id)
    return {name: getattr(event, name) for name in SAVED_FIELDS}


def _assert_refused_beside(response, field: str, message: str) -> None:
    assert response.status_code == 200
    assert message in field_error(response, field)
    assert "Please correct the fields marked below. Nothing was saved." in page(response).text


@pytest.fixture
def organizer(client, login_as):
    person = make_organizer()
    login_as(person)
    make_event(slug="taken-slug", title="Someone Else's Event")
    return person


def test_valid_event_form_creates_a_draft(client, organizer):
    response = client.post("/events/new", data=FORM)

    assert response.status_code == 302
    assert response.headers["Location"] == "/events/open-budget-datajam"
    assert _events() == 2


@pytest.mark.parametrize(("change", "field", "message"), MISTAKES)
def test_new_event_with_a_mistake_names_it_beside_its_field_and_saves_nothing(
    client, organizer, change, field, message
):
    response = client.post("/events/new", data={**FORM, **change})

    _assert_refused_beside(response, field, message)
    assert _events() == 1


@pytest.mark.parametrize(("change", "field", "message"), MISTAKES)
def test_event_edit_with_a_mistake_names_it_beside_its_field_and_changes_nothing(
    client, organizer, change, field, message
):
    event = make_event(organizer=organizer, slug="open-budget-datajam", capacity=40)
    before = _stored(event.id)

    response = client.post(
        "/events/open-budget-datajam/edit", data={**FORM, "title": "Renamed", **change}
    )

    _assert_refused_beside(response, field, message)
    assert _stored(event.id) == before
    assert page(response).value("title") == "Renamed"  # what was typed is kept for fixing


def test_event_edit_that_leaves_a_session_outside_is_refused(client, organizer):
    event = make_event(organizer=organizer, slug="open-budget-datajam")
    make_session(event, title="Closing demos", offset_hours=6)
    before = _stored(event.id)

    response = client.post(
        "/events/open-budget-datajam/edit",
        data={**FORM, "starts_at": "2026-03-09T09:00", "ends_at": "2026-03-09T12:00"},
    )

    _assert_refused_beside(
        response,
        "starts_at",
        "These sessions would fall outside the event: Closing demos. Move them first.",
    )
    assert _stored(event.id) == before


def _sessions() -> list[tuple]:
    db.session.rollback()
    return [
        (s.title, s.starts_at, s.ends_at)
        for s in db.session.scalars(db.select(AgendaSession).order_by(AgendaSession.id))
    ]


# The factory event starts 2026-03-09 15:00 UTC (11:00 in New York) and lasts 8 hours.
@pytest.mark.parametrize(
    ("starts", "ends"),
    [
        pytest.param("2026-03-09T10:00", "2026-03-09T12:00", id="starts-before-event"),
        pytest.param("2026-03-09T18:00", "2026-03-09T20:00", id="ends-after-event"),
        pytest.param("2026-03-12T11:00", "2026-03-12T12:00", id="another-day"),
    ],
)
def test_session_outside_the_event_is_refused_beside_its_start(client, organizer, starts, ends):
    event = make_event(organizer=organizer)
    welcome = make_session(event, title="Welcome")
    before = _sessions()

    added = client.post(
        f"/events/{event.slug}/agenda/new",
        data={"title": "Lightning talks", "kind": "talk", "starts_at": starts, "ends_at": ends},
    )
    edited = client.post(
        f"/events/{event.slug}/agenda/{welcome.id}/edit",
        data={"title": "Welcome", "kind": "talk", "starts_at": starts, "ends_at": ends},
    )

    for response in (added, edited):
        _assert_refused_beside(
            response, "starts_at", "The session must fall within the event's start and end."
        )
    assert _sessions() == before


def test_session_ending_before_it_starts_is_refused_beside_its_end(client, organizer):
    event = make_event(organizer=organizer)

    response = client.post(
        f"/events/{event.slug}/agenda/new",
        data={
            "title": "Backwards",
            "kind": "talk",
            "starts_at": "2026-03-09T13:00",
            "ends_at": "2026-03-09T12:00",
        },
    )

    _assert_refused_beside(response, "ends_at", "The session must end after it starts.")
    assert _sessions() == []


@pytest.mark.parametrize(
    "path", ["/events/no-such-event", "/events/no-such-event/agenda", "/events/no-such-event/edit"]
)
def test_unknown_event_is_a_not_found_page_in_the_site_layout(client, path):
    response = client.get(path)

    assert response.status_code == 404
    shown = page(response)
    assert [h.text for h in shown.all("h1")] == ["Page not found"]
    assert "There is no page at this address." in shown.text
    assert shown.all("a", class_="eh-brand")[0].text == "EventHub"
    assert shown.all("nav", **{"aria-label": "Main"})
    assert shown.all("footer")


def test_reserved_slug_new_is_refused(client, login_as):
    from eventhub.events.models import Event
    from eventhub.extensions import db
    from tests.factories import make_organizer

    login_as(make_organizer())
    response = client.post(
        "/events/new",
        data={
            "title": "New",
            "slug": "new",
            "kind": "datajam",
            "timezone": "UTC",
            "starts_at": "2026-04-01T09:00",
            "ends_at": "2026-04-01T17:00",
        },
    )
    assert "reserved for a page of the site" in response.text
    assert db.session.scalar(db.select(db.func.count(Event.id))) == 0
