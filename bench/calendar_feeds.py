"""Calendar feed benchmark: the site feed at scale, against the budget of the issue.

Budget (this machine):
  site feed of 1,000 events with 10 sessions each, built               < 300 ms

Figures printed (ratio = figure / budget; below 1.00 is within budget):
  - built warm: the feed as a process that has answered before builds it (each event's
    VEVENTs come from memory, keyed by the fingerprint of the rows they show);
  - first build of a fresh process: in a new process (a new gunicorn worker, another
    host), with the parts the others wrote read from the database (calendar/store.py);
  - one event edited: a warm build after an organizer changed one event (its 11 items are
    written again, the other 10,989 are reused);
  - whole request: GET /calendar.ics through the app, warm;
  - 304: a conditional GET that is current, and the queries it ran.
Also printed, without a budget: a fresh process's first build with no part stored at all,
every VEVENT written through icalendar (after a release that writes differently, or on an
emptied table), which happens once for all processes and hosts.
A pure-Python loop is timed first so figures can be compared across machines.

Runs on a throwaway SQLite file by default; set EVENTHUB_BENCH_DATABASE_URL to an empty
PostgreSQL database (it will be filled and left) to measure there. Not part of `make test`.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import os  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402

from sqlalchemy import event as sa_event  # noqa: E402

from eventhub import create_app  # noqa: E402
from eventhub.calendar import feeds, store  # noqa: E402
from eventhub.calendar.models import CalendarPart  # noqa: E402
from eventhub.enums import EventKind  # noqa: E402
from eventhub.events.models import AgendaSession, Event  # noqa: E402
from eventhub.extensions import db  # noqa: E402

EVENTS, SESSIONS = 1_000, 10
BUDGET = 0.300
NOW = datetime(2026, 3, 2, 15, tzinfo=UTC)
ZONES = ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
         "Pacific/Honolulu"]  # fmt: skip
WORDS = ["Open", "Data", "Budget", "Transit", "Health", "Civic", "Maps", "Census", "Climate"]


def report(label: str, seconds: float, budget: float = BUDGET) -> None:
    print(
        f"{label:<52} {seconds * 1000:9.1f} ms   budget {budget * 1000:5.0f} ms   "
        f"ratio {seconds / budget:5.2f}"
    )


def calibrate() -> float:
    start = time.perf_counter()
    total = 0
    for i in range(1_000_000):
        total += i
    return time.perf_counter() - start


def fill() -> None:
    rng = random.Random(2026)
    kinds = [kind.value for kind in EventKind]
    events, sessions = [], []
    for n in range(1, EVENTS + 1):
        starts = NOW + timedelta(days=rng.randint(-80, 200), hours=rng.randint(0, 12))
        title = " ".join(rng.sample(WORDS, 3)) + f", edition {n}; all welcome"
        events.append(
            dict(
                id=n,
                slug=f"event-{n}",
                title=title,
                kind=rng.choice(kinds),
                summary="A day of open data: bring a laptop, questions and ideas.",
                description="",
                timezone=rng.choice(ZONES),
                starts_at=starts,
                ends_at=starts + timedelta(hours=10),
                venue_name="City Hall",
                venue_address=f"{n} Main Street",
                online_url="",
                status="published",
                seats_taken=0,
                team_min_size=1,
                team_max_size=5,
                gallery_open=False,
                sequence=rng.randint(0, 3),
                created_at=NOW - timedelta(days=100),
                updated_at=NOW - timedelta(days=rng.randint(1, 90)),
            )
        )
        for k in range(SESSIONS):
            at = starts + timedelta(minutes=55 * k)
            sessions.append(
                dict(
                    event_id=n,
                    title=f"Session {k + 1}: {rng.choice(WORDS)} and {rng.choice(WORDS)}",
                    kind="talk",
                    starts_at=at,
                    ends_at=at + timedelta(minutes=50),
                    location=f"Room {k + 1}",
                    description="Talks, questions; and a demo.",
                    status="cancelled" if rng.random() < 0.02 else "scheduled",
                    sequence=rng.randint(0, 2),
                    created_at=NOW - timedelta(days=100),
                    updated_at=NOW - timedelta(days=rng.randint(1, 90)),
                )
            )
    db.session.execute(db.insert(Event), events)
    db.session.execute(db.insert(AgendaSession), sessions)
    db.session.commit()


def timed(build, runs: int = 5) -> tuple[float, bytes]:
    times, body = [], b""
    for _ in range(runs):
        db.session.rollback()
        start = time.perf_counter()
        body = build()
        times.append(time.perf_counter() - start)
    return statistics.median(times), body


def make_app(url: str):
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "LOG_LEVEL": "WARNING",
            "BASE_URL": "https://events.example.gov",
            "CLOCK": lambda: NOW,
        }
    )


def first_build(url: str) -> None:
    """In a new process (``--first URL``): print the seconds its first site feed takes to
    build, then to store the parts it wrote."""
    app = make_app(url)
    with app.app_context(), app.test_request_context():
        parts = store.Parts()
        start = time.perf_counter()
        feeds.site_feed(NOW, (), parts)
        built = time.perf_counter() - start
        parts.save()
        print(built, time.perf_counter() - start - built)


def in_new_processes(url: str, runs: int, empty_first: bool) -> tuple[float, float]:
    """Median (build, store) seconds of a fresh process's first site feed."""
    builds, stores = [], []
    for _ in range(runs):
        if empty_first:
            db.session.execute(db.delete(CalendarPart))
            db.session.commit()
        out = subprocess.run(
            [sys.executable, __file__, "--first", url], capture_output=True, text=True, check=True
        ).stdout.split()
        builds.append(float(out[-2]))
        stores.append(float(out[-1]))
    return statistics.median(builds), statistics.median(stores)


def main() -> None:
    url = os.environ.get("EVENTHUB_BENCH_DATABASE_URL")
    with tempfile.TemporaryDirectory() as tmp:
        url = url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        app = make_app(url)
        with app.app_context():
            db.create_all()
            print(f"database: {db.engine.dialect.name}")
            print(f"(1,000,000 additions in pure Python: {calibrate() * 1000:.0f} ms here)")
            fill()
            nothing, saving = in_new_processes(url, 3, empty_first=True)
            stored, _ = in_new_processes(url, 3, empty_first=False)
            with app.test_request_context():
                site = lambda: feeds.site_feed(NOW, (), store.Parts())  # noqa: E731
                body = site()
                warm, again = timed(site)
                assert body == again
                items = body.count(b"BEGIN:VEVENT")
                print(f"(feed: {items:,} items, {len(body) / 1e6:.1f} MB)")
                report(f"site feed, {EVENTS:,} events x {SESSIONS} sessions, built warm", warm)
                report("site feed, first build of a fresh process", stored)
                after_edit = []
                for event_id in range(1, 6):
                    edited = db.session.get(Event, event_id)
                    edited.title += " (moved)"  # SEQUENCE follows (calendar/sequence.py)
                    db.session.commit()
                    after_edit.append(timed(site, runs=1)[0])
                report("site feed after one event was edited", statistics.median(after_edit))
                print(
                    "(with no part stored, as after a release that writes differently: "
                    f"built in {nothing * 1000:.0f} ms, parts stored in {saving * 1000:.0f} ms, "
                    "once for every process and host)"
                )
            client = app.test_client()
            page, response = timed(lambda: client.get("/calendar.ics"))
            report("GET /calendar.ics, whole request, warm", page)
            etag = client.get("/calendar.ics").headers["ETag"]
            statements: list[str] = []
            sa_event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
            current, _ = timed(lambda: client.get("/calendar.ics", headers={"If-None-Match": etag}))
            quiet = ("BEGIN", "PRAGMA", "COMMIT", "ROLLBACK")
            queries = [s for s in statements if not s.lstrip().upper().startswith(quiet)]
            report("GET /calendar.ics answered 304", current)
            print(f"(queries per 304 answer: {len(queries) // 5})")
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--first"]:
        first_build(sys.argv[2])
    else:
        main()
