"""Judging settings: judges per entry, the judging window in the event's zone, the pairwise
first round, and the people's-choice window; bad input changes nothing."""

from datetime import UTC, datetime

import pytest

from eventhub.core.models import AuditEntry
from eventhub.extensions import db
from eventhub.judging.models import JudgingSettings
from tests.factories import make_event, make_organizer
from tests.integration.pages import field_error, page

URL = "/events/budget-jam/manage/judging/settings"


def _event():
    organizer = make_organizer()
    make_event(organizer=organizer, slug="budget-jam", timezone="America/New_York")
    return organizer


def form(**changes) -> dict:
    data = {
        "judges_per_entry": "3",
        "opens_at": "",
        "closes_at": "",
        "finalists": "10",
        "voting_opens_at": "",
        "voting_closes_at": "",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def saved():
    db.session.rollback()
    row = db.session.scalar(db.select(JudgingSettings))
    if row is None:
        return None
    return (
        row.judges_per_entry,
        row.opens_at,
        row.closes_at,
        row.pairwise,
        row.finalists,
        row.voting_opens_at,
        row.voting_closes_at,
    )


def test_settings_page_shows_the_defaults_before_anything_is_saved(client, login_as):
    login_as(_event())

    shown = page(client.get(URL))

    assert shown.value("judges_per_entry") == "3"
    assert shown.value("finalists") == "10"
    assert shown.value("opens_at") == ""
    assert "In America/New_York." in shown.text
    assert saved() is None


def test_settings_save_local_times_as_utc_and_show_them_back_in_the_event_zone(client, login_as):
    login_as(_event())

    response = client.post(
        URL,
        data=form(
            judges_per_entry="5",
            opens_at="2026-04-10T09:00",
            closes_at="2026-04-10T17:30",
            pairwise="y",
            finalists="8",
            voting_opens_at="2026-04-10T12:00",
            voting_closes_at="2026-04-10T15:00",
        ),
    )
    shown = page(client.get(URL))

    assert response.headers["Location"] == URL
    assert saved() == (
        5,
        datetime(2026, 4, 10, 13, 0, tzinfo=UTC),  # 9:00 EDT
        datetime(2026, 4, 10, 21, 30, tzinfo=UTC),
        True,
        8,
        datetime(2026, 4, 10, 16, 0, tzinfo=UTC),
        datetime(2026, 4, 10, 19, 0, tzinfo=UTC),
    )
    assert shown.value("opens_at") == "2026-04-10T09:00"
    assert shown.value("voting_closes_at") == "2026-04-10T15:00"
    entry = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "judging.settings")
    ).one()
    assert entry.detail["judges_per_entry"] == 5 and entry.detail["created"] is True


def test_settings_saved_again_update_the_one_row_and_audit_only_what_changed(client, login_as):
    login_as(_event())

    client.post(URL, data=form(judges_per_entry="4"))
    client.post(URL, data=form(judges_per_entry="2"))

    assert db.session.scalar(db.select(db.func.count()).select_from(JudgingSettings)) == 1
    assert saved()[0] == 2
    details = [
        e.detail
        for e in db.session.scalars(
            db.select(AuditEntry)
            .where(AuditEntry.action == "judging.settings")
            .order_by(AuditEntry.id)
        )
    ]
    assert details[1] == {"created": False, "judges_per_entry": 2}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("judges_per_entry", "0", "Enter a number of judges from 1 to 20."),
        ("judges_per_entry", "21", "Enter a number of judges from 1 to 20."),
        ("judges_per_entry", "three", "Enter a number of judges from 1 to 20."),
        ("judges_per_entry", "", "Enter how many judges score each entry, from 1 to 20."),
        ("finalists", "0", "Enter a number of finalists from 1 to 500."),
        ("opens_at", "next tuesday", "Not a valid datetime value."),
    ],
)
def test_settings_out_of_bounds_are_refused_and_the_saved_row_stays(
    client, login_as, field, value, message
):
    login_as(_event())
    client.post(URL, data=form(judges_per_entry="4", opens_at="2026-04-10T09:00"))
    before = saved()

    response = client.post(URL, data=form(**{field: value}))

    assert response.status_code == 200
    assert field_error(response, field) == [message]
    assert saved() == before


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"opens_at": "2026-04-10T17:00", "closes_at": "2026-04-10T09:00"},
            "closes_at",
            "Judging must close after it opens.",
        ),
        (
            {"opens_at": "2026-04-10T17:00", "closes_at": "2026-04-10T17:00"},
            "closes_at",
            "Judging must close after it opens.",
        ),
        (
            {"voting_opens_at": "2026-04-10T12:00"},
            "voting_closes_at",
            "Enter both when voting opens and when it closes, or leave both empty for no vote.",
        ),
        (
            {"voting_closes_at": "2026-04-10T12:00"},
            "voting_opens_at",
            "Enter both when voting opens and when it closes, or leave both empty for no vote.",
        ),
        (
            {"voting_opens_at": "2026-04-10T15:00", "voting_closes_at": "2026-04-10T12:00"},
            "voting_closes_at",
            "Voting must close after it opens.",
        ),
    ],
)
def test_settings_windows_must_close_after_they_open(client, login_as, changes, field, message):
    login_as(_event())

    response = client.post(URL, data=form(**changes))

    assert response.status_code == 200
    assert field_error(response, field) == [message]
    assert saved() is None
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEntry)) == 0
