"""Demo day in the room: the screen (before, during, after), the organizer's phone control
with Next and Back, and two organizers pressing Next at once. The event: demoday_support.py.
"""

from __future__ import annotations

import threading

from eventhub.accounts.models import User
from eventhub.core.models import AuditEntry
from eventhub.database import writing
from eventhub.demoday import services
from eventhub.demoday.models import DemoDay
from eventhub.errors import DomainError
from eventhub.events.models import Event
from eventhub.extensions import db
from tests.integration.demoday_support import (
    BASE,
    MANAGE,
    built,
    demo_day,
    flashed,
    press,
    screen_text,
    setup_event,
    slots,
    withdraw,
)
from tests.integration.pages import page


def test_room_screen_before_during_and_after_the_demo_day(client, login_as):
    built(client, login_as)
    ids = [slot.id for slot in slots()]
    screen = client.application.test_client()

    before = screen.get(f"{BASE}/demo-day/now")
    press(client, "next", "")
    first = screen_text(screen)
    press(client, "next", str(ids[0]))
    press(client, "next", str(ids[1]))
    on_break = screen_text(screen)
    for seen in ids[2:]:
        press(client, "next", str(seen))
    after = screen_text(screen)

    # The screen's script asks again every 15 seconds; no Refresh header, which would leave
    # the browser's error page on the projector when the network drops.
    assert "Refresh" not in before.headers
    assert page(before).all("main", **{"data-poll-ms": "15000"})
    text = page(before).text
    assert "Starting at 3:00 PM EDT" in text
    assert "First up Route Runners Bus Radar Faster Buses · 3:00 PM to 3:05 PM EDT" in text
    assert "Now presenting Route Runners Bus Radar Faster Buses · 3:00 PM to 3:05 PM EDT" in first
    assert "Up next Curb Crew Stop Finder Faster Buses · 3:05 PM to 3:10 PM EDT" in first
    assert "Now Break 10 minutes · 3:10 PM to 3:20 PM EDT" in on_break
    assert "Up next Breathe Easy Air Watch" in on_break
    assert "That's all — thank you" in after and "Up next" not in after


def test_room_screen_stops_updating_on_request_and_says_when_there_is_no_order(client):
    setup_event()

    empty = client.get(f"{BASE}/demo-day/now")
    still = client.get(f"{BASE}/demo-day/now?refresh=off")

    assert empty.status_code == 200 and "No running order yet" in page(empty).text
    assert page(empty).all("main", **{"data-poll-ms": "15000"})
    assert not page(still).all("main", **{"data-poll-ms": "15000"})
    assert "Keep this screen up to date" in page(still).text


def test_control_page_moves_next_and_back_and_shows_now_and_next(client, login_as):
    built(client, login_as)
    ids = [slot.id for slot in slots()]

    started = press(client, "next", "")
    moved = press(client, "next", str(ids[0]))
    back = press(client, "back", str(ids[1]))
    to_start = press(client, "back", str(ids[0]))

    assert "Now presenting: Route Runners — Bus Radar." in flashed(started)
    assert "Now presenting: Curb Crew — Stop Finder." in flashed(moved)
    stage = page(moved).by_id("stage")[0].text
    assert stage.startswith("Now Curb Crew — Stop Finder (3:05 PM to 3:10 PM EDT)")
    assert "Up next Break (3:10 PM to 3:20 PM EDT)" in stage
    assert "Now presenting: Route Runners — Bus Radar." in flashed(back)
    assert "nobody yet, the demo day has not started" in flashed(to_start)
    assert demo_day().current_slot_id is None
    audited = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "demoday.advance")
    ).all()
    assert [e.detail["now"] for e in audited] == [ids[0], ids[1], ids[0], None]


def test_stale_next_is_refused_and_says_what_is_on_now(client, login_as):
    s = built(client, login_as)
    first = slots()[0].id
    other = client.application.test_client()
    login_as(s.co_organizer, on=other)
    press(client, "next", "")

    stale = press(other, "next", "")  # the co-organizer's screen still said "not started"

    assert "Someone already moved on; now presenting: Route Runners — Bus Radar." in flashed(stale)
    assert demo_day().current_slot_id == first


def test_next_after_the_end_and_back_before_the_start_are_refused(client, login_as):
    built(client, login_as)
    last = slots()[-1].id
    before = press(client, "back", "")
    db.session.execute(db.update(DemoDay).values(current_slot_id=last))
    db.session.commit()
    press(client, "next", str(last))

    after = press(client, "next", "done")
    returned = press(client, "back", "done")

    assert "The demo day has not started yet: press Next to begin." in flashed(before)
    assert "The demo day is already over." in flashed(after)
    assert "Now presenting: Ledger Team — Open Ledger." in flashed(returned)
    assert demo_day().current_slot_id == last


def test_next_skips_a_withdrawn_project(client, login_as):
    s = built(client, login_as)
    bus = slots()[0].id
    withdraw(s.projects["Stop Finder"])

    press(client, "next", "")
    moved = press(client, "next", str(bus))

    assert "Now presenting: Break." in flashed(moved)


def test_removing_the_slot_on_stage_puts_the_next_one_there(client, login_as):
    built(client, login_as)
    bus, stop = slots()[0].id, slots()[1].id
    press(client, "next", "")

    client.post(f"{MANAGE}/slots/{bus}/remove")

    assert demo_day().current_slot_id == stop
    assert "Now presenting Curb Crew Stop Finder" in screen_text(client)


def test_two_organizers_pressing_next_together_move_the_room_once(app, client, login_as):
    s = built(client, login_as)
    first = slots()[0].id
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def run(person_id):
        with app.app_context():
            writing()
            start.wait(timeout=10)
            try:
                event = db.session.get(Event, s.event.id)
                actor = db.session.get(User, person_id)
                services.advance(event, {"direction": "next", "from": ""}, actor=actor)
                db.session.commit()
                outcomes.append("moved")
            except DomainError as exc:
                outcomes.append(exc.message)
            except Exception as exc:  # the test reports it, rather than a thread dying silently
                outcomes.append(repr(exc))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(p.id,)) for p in (s.organizer, s.co_organizer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == [
        "Someone already moved on; now presenting: Route Runners — Bus Radar.",
        "moved",
    ]
    assert demo_day().current_slot_id == first
