from datetime import UTC, datetime

from eventhub.timefmt import format_datetime, format_range, to_input, to_utc


def test_wall_clock_time_after_november_dst_change_lands_at_17_utc():
    # 2026-11-01 is the US fall-back day; the next day Los Angeles is on PST (UTC-8).
    assert to_utc(datetime(2026, 11, 2, 9, 0), "America/Los_Angeles") == datetime(
        2026, 11, 2, 17, 0, tzinfo=UTC
    )


def test_format_names_the_zone_abbreviation_for_the_date():
    summer = datetime(2026, 7, 1, 16, 0, tzinfo=UTC)
    winter = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)
    assert format_datetime(summer, "America/New_York") == "Wed, Jul 1, 2026, 12:00 PM EDT"
    assert format_datetime(winter, "America/New_York") == "Tue, Dec 1, 2026, 12:00 PM EST"


def test_range_on_one_local_day_states_the_date_once():
    start = datetime(2026, 3, 9, 14, 0, tzinfo=UTC)
    end = datetime(2026, 3, 9, 22, 0, tzinfo=UTC)
    assert (
        format_range(start, end, "America/New_York")
        == "Mon, Mar 9, 2026, 10:00 AM EDT to 6:00 PM EDT"
    )


def test_input_value_round_trips_through_the_zone():
    at = datetime(2026, 3, 9, 14, 30, tzinfo=UTC)
    text = to_input(at, "Asia/Kolkata")
    assert text == "2026-03-09T20:00"
    assert to_utc(datetime.fromisoformat(text), "Asia/Kolkata") == at
