"""event_phase: the one place an event's phase comes from, checked at its boundaries."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from eventhub.enums import EventPhase, EventStatus
from eventhub.events.models import Event
from eventhub.events.phases import event_phase, registration_is_open, window

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


DEADLINE = datetime(2026, 4, 11, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("at", "phase"),
    [
        (STARTS - TICK, EventPhase.REGISTRATION_OPEN),
        (STARTS, EventPhase.HACKING),
        (DEADLINE - TICK, EventPhase.HACKING),
        (DEADLINE, EventPhase.SUBMISSIONS_CLOSED),
        (ENDS - TICK, EventPhase.SUBMISSIONS_CLOSED),
        (ENDS, EventPhase.ENDED),
    ],
)
def test_phase_with_a_submission_deadline_has_hacking_then_submissions_closed(at, phase):
    assert event_phase(_event(submission_deadline=DEADLINE), at) == phase


def test_phase_with_deadline_after_the_end_keeps_hacking_until_the_deadline():
    later = ENDS + timedelta(days=7)
    event = _event(submission_deadline=later)

    assert event_phase(event, ENDS + timedelta(days=1)) == EventPhase.HACKING
    assert event_phase(event, later) == EventPhase.ENDED


def test_team_formation_closes_at_its_own_time_else_the_deadline_else_the_end():
    from eventhub.events.phases import team_formation_closes, team_formation_open

    own = DEADLINE - timedelta(hours=3)

    assert (
        team_formation_closes(_event(team_formation_closes_at=own, submission_deadline=DEADLINE))
        == own
    )
    assert team_formation_closes(_event(submission_deadline=DEADLINE)) == DEADLINE
    assert team_formation_closes(_event()) == ENDS
    assert team_formation_open(_event(submission_deadline=DEADLINE), DEADLINE - TICK)
    assert not team_formation_open(_event(submission_deadline=DEADLINE), DEADLINE)
    assert not team_formation_open(_event(EventStatus.DRAFT), STARTS)


@pytest.mark.parametrize(
    ("closings", "closes"),
    [
        ((None, None), None),
        ((CLOSES, None), CLOSES),
        ((None, OPENS), OPENS),
        ((CLOSES, OPENS), OPENS),
        ((OPENS, CLOSES), OPENS),
    ],
)
def test_window_closes_at_the_earliest_closing_moment_that_applies(closings, closes):
    shut = window(OPENS - timedelta(days=1), *closings)

    assert shut.closes == closes
    if closes is not None:
        assert shut.is_open(closes - TICK) and not shut.is_open(closes)
        assert shut.has_closed(closes) and not shut.has_closed(closes - TICK)
    else:
        assert shut.is_open(ENDS + timedelta(days=365)) and not shut.has_closed(ENDS)


def test_window_not_held_is_never_open():
    assert not window(None, None, held=False).is_open(OPENS)
