"""event_phase: the one place an event's phase comes from, checked at its boundaries."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from eventhub.enums import EventPhase, EventStatus
from eventhub.events.models import Event
from eventhub.events.phases import event_phase, registration_is_open

OPENS = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)
CLOSES = datetime(2026, 4, 9, 12, 0, tzinfo=UTC)
STARTS = datetime(2026, 4, 10, 13, 0, tzinfo=UTC)
ENDS = datetime(2026, 4, 11, 21, 0, tzinfo=UTC)
TICK = timedelta(microseconds=1)


def _event(status=EventStatus.PUBLISHED, **fields) -> Event:
    fields.setdefault("registration_opens_at", OPENS)
    fields.setdefault("registration_closes_at", None)
    return Event(
        slug="phase-test",
        title="Phase test",
        kind="datajam",
        timezone="UTC",
        starts_at=STARTS,
        ends_at=ENDS,
        status=status.value,
        **fields,
    )


@pytest.mark.parametrize(
    ("at", "phase"),
    [
        (OPENS - timedelta(days=30), EventPhase.UPCOMING),
        (OPENS - TICK, EventPhase.UPCOMING),
        (OPENS, EventPhase.REGISTRATION_OPEN),
        (STARTS - TICK, EventPhase.REGISTRATION_OPEN),
        (STARTS, EventPhase.IN_PROGRESS),
        (ENDS - TICK, EventPhase.IN_PROGRESS),
        (ENDS, EventPhase.ENDED),
        (ENDS + timedelta(days=365), EventPhase.ENDED),
    ],
)
def test_published_event_phase_at_each_boundary(at, phase):
    assert event_phase(_event(), at) == phase


@pytest.mark.parametrize(
    ("at", "phase"),
    [
        (CLOSES - TICK, EventPhase.REGISTRATION_OPEN),
        (CLOSES, EventPhase.UPCOMING),  # registration over, event not yet begun
        (STARTS - TICK, EventPhase.UPCOMING),
        (STARTS, EventPhase.IN_PROGRESS),
    ],
)
def test_published_event_with_early_close_is_upcoming_between_close_and_start(at, phase):
    assert event_phase(_event(registration_closes_at=CLOSES), at) == phase


def test_published_event_without_opening_time_is_open_at_once():
    event = _event(registration_opens_at=None)

    assert event_phase(event, OPENS - timedelta(days=300)) == EventPhase.REGISTRATION_OPEN


@pytest.mark.parametrize("at", [OPENS - TICK, OPENS, STARTS, ENDS - TICK, ENDS, ENDS + TICK])
def test_draft_event_is_draft_at_any_time(at):
    event = _event(EventStatus.DRAFT)

    assert event_phase(event, at) == EventPhase.DRAFT
    assert not registration_is_open(event, at)


@pytest.mark.parametrize("at", [OPENS - TICK, OPENS, STARTS, ENDS - TICK, ENDS, ENDS + TICK])
def test_cancelled_event_is_cancelled_at_any_time(at):
    event = _event(EventStatus.CANCELLED)

    assert event_phase(event, at) == EventPhase.CANCELLED
    assert not registration_is_open(event, at)


@pytest.mark.parametrize(
    ("at", "is_open"),
    [
        (OPENS - TICK, False),
        (OPENS, True),
        (STARTS - TICK, True),
        (STARTS, False),
    ],
)
def test_registration_window_opens_inclusive_and_closes_exclusive(at, is_open):
    assert registration_is_open(_event(), at) is is_open


def test_phase_is_the_same_instant_seen_from_any_zone():
    at = STARTS.astimezone(ZoneInfo("Pacific/Auckland"))

    assert event_phase(_event(), at) == EventPhase.IN_PROGRESS
    assert event_phase(_event(), at - TICK) == EventPhase.REGISTRATION_OPEN
