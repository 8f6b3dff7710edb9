"""Showing UTC times in an event's zone, always with the zone named."""

from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones


@lru_cache(maxsize=1)
def zone_names() -> tuple[str, ...]:
    return tuple(
        sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc/")) + ["UTC"]
    )


def is_zone(name: str) -> bool:
    return name in zone_names()


def local(value: datetime, zone: str) -> datetime:
    return value.astimezone(ZoneInfo(zone))


def _clock(value: datetime) -> str:
    return value.strftime("%I:%M %p").lstrip("0")


def format_datetime(value: datetime | None, zone: str) -> str:
    """'Tue, Mar 3, 2026, 9:00 AM EST'."""
    if value is None:
        return ""
    t = local(value, zone)
    return f"{t:%a, %b} {t.day}, {t.year}, {_clock(t)} {t.tzname()}"


def format_time(value: datetime, zone: str) -> str:
    t = local(value, zone)
    return f"{_clock(t)} {t.tzname()}"


def format_date(value: datetime, zone: str) -> str:
    t = local(value, zone)
    return f"{t:%A, %B} {t.day}, {t.year}"


def format_range(start: datetime, end: datetime, zone: str) -> str:
    """A span in the zone; the date is not repeated when both ends fall on one local day."""
    a, b = local(start, zone), local(end, zone)
    if a.date() == b.date():
        return f"{format_datetime(start, zone)} to {_clock(b)} {b.tzname()}"
    return f"{format_datetime(start, zone)} to {format_datetime(end, zone)}"


def to_utc(naive_local: datetime, zone: str) -> datetime:
    """A wall-clock time typed in the event's zone, as aware UTC."""
    from datetime import UTC

    return naive_local.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


def to_input(value: datetime | None, zone: str) -> str:
    """The value for an <input type=datetime-local> in the event's zone."""
    return "" if value is None else local(value, zone).strftime("%Y-%m-%dT%H:%M")
