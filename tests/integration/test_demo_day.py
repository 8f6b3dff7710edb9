"""Demo day: building the running order, reordering it, bad input, the printable public
page and the agenda. The room screen and its phone control: test_demo_day_room.py; the event
and its projects: demoday_support.py.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from eventhub.core.models import AuditEntry
from eventhub.demoday import services
from eventhub.demoday.models import DemoSlot
from eventhub.events.models import Event
from eventhub.extensions import db
from tests.factories import (
    make_demo_day,
    make_event,
    make_session,
    make_submission,
    make_team,
    make_user,
)
from tests.integration.demoday_support import (
    BASE,
    BUILT,
    MANAGE,
    SETTINGS,
    built,
    demo_day,
    flashed,
    order_rows,
    queries_for,
    setup_event,
    slot_titled,
    slots,
    snapshot,
    withdraw,
)
from tests.integration.pages import field_error, page

# --- building ------------------------------------------------------------------------------


def test_build_groups_submitted_projects_by_challenge_with_breaks_between(client, login_as):
    s = built(client, login_as)

    rows = order_rows(client)

    assert rows == BUILT
    assert "Half Done" not in " ".join(rows) and "Gone Project" not in " ".join(rows)
    assert [slot.sequence for slot in slots()] == [0] * 6
    actions = db.session.scalars(db.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-2:] == ["demoday.create", "demoday.build"]
    assert s.event.id == demo_day().event_id


def test_building_again_needs_the_confirmation_and_replaces_the_order(client, login_as):
    built(client, login_as)
    client.post(f"{MANAGE}/slots/{slot_titled('Open Ledger').id}/move", data={"direction": "up"})
    before = snapshot()

    refused = client.post(f"{MANAGE}/build", data={"break_minutes": "0"})
    unchanged = snapshot()
    rebuilt = client.post(f"{MANAGE}/build", data={"break_minutes": "0", "confirm": "y"})

    assert refused.status_code == 200
    assert "A running order exists. Tick “Replace the running order”" in flashed(refused)
    assert unchanged == before
    assert rebuilt.status_code == 302
    assert [slot.title for slot in slots()] == [
        "Bus Radar",
        "Stop Finder",
        "Air Watch",
        "Open Ledger",
    ]


def test_add_missing_projects_appends_new_ones_and_drops_withdrawn_keeping_the_rest(
    client, login_as
):
    s = built(client, login_as)
    client.post(f"{MANAGE}/slots/{slot_titled('Air Watch').id}/move", data={"direction": "up"})
    late = make_submission(
        make_team(s.event, make_user(), name="Late Team"), title="Late Entry", state="submitted"
    )
    withdraw(s.projects["Stop Finder"])

    response = client.post(f"{MANAGE}/sync", follow_redirects=True)

    assert "Added 1 project(s) at the end; removed 1 withdrawn." in flashed(response)
    titles = [slot.title for slot in slots()]
    assert titles == ["Bus Radar", "Air Watch", "Break", "Break", "Open Ledger", "Late Entry"]
    assert slots()[-1].submission_id == late.id


# --- reordering ----------------------------------------------------------------------------


def test_move_up_swaps_times_and_bumps_only_the_two_slots_that_moved(client, login_as):
    built(client, login_as)
    stop_finder = slot_titled("Stop Finder")

    response = client.post(f"{MANAGE}/slots/{stop_finder.id}/move", data={"direction": "up"})

    assert response.status_code == 302
    assert order_rows(client)[:2] == [
        "3:00 PM to 3:05 PM EDT Curb Crew Stop Finder Faster Buses",
        "3:05 PM to 3:10 PM EDT Route Runners Bus Radar Faster Buses",
    ]
    assert order_rows(client)[2:] == BUILT[2:]
    assert [(s.title, s.sequence) for s in slots()] == [
        ("Stop Finder", 1),
        ("Bus Radar", 1),
        ("Break", 0),
        ("Air Watch", 0),
        ("Break", 0),
        ("Open Ledger", 0),
    ]
    entry = db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.action == "demoday.move" and entry.target_id == stop_finder.id


def test_first_slot_cannot_move_up_and_nothing_changes(client, login_as):
    built(client, login_as)
    before = snapshot()

    response = client.post(
        f"{MANAGE}/slots/{slot_titled('Bus Radar').id}/move",
        data={"direction": "up"},
        follow_redirects=True,
    )

    assert "“Bus Radar” is already first." in flashed(response)
    assert snapshot() == before


def test_longer_slot_and_new_position_retime_the_slots_after_them(client, login_as):
    built(client, login_as)
    bus, ledger = slot_titled("Bus Radar"), slot_titled("Open Ledger")

    client.post(f"{MANAGE}/slots/{bus.id}", data={f"slot-{bus.id}-minutes": "12"})
    client.post(
        f"{MANAGE}/slots/{ledger.id}",
        data={f"slot-{ledger.id}-minutes": "5", f"slot-{ledger.id}-position": "1"},
    )

    assert order_rows(client) == [
        "3:00 PM to 3:05 PM EDT Ledger Team Open Ledger No challenge",
        "3:05 PM to 3:17 PM EDT Route Runners Bus Radar Faster Buses",
        "3:17 PM to 3:22 PM EDT Curb Crew Stop Finder Faster Buses",
        "3:22 PM to 3:32 PM EDT Break (10 min)",
        "3:32 PM to 3:37 PM EDT Breathe Easy Air Watch Cleaner Air",
        "3:37 PM to 3:47 PM EDT Break (10 min)",
    ]
    # Every slot's time changed at both steps (the first: all end or start later).
    assert [s.sequence for s in slots()] == [2, 2, 2, 2, 2, 2]


def test_changing_the_last_slot_bumps_only_the_last_slot(client, login_as):
    built(client, login_as)
    ledger = slot_titled("Open Ledger")

    client.post(f"{MANAGE}/slots/{ledger.id}", data={f"slot-{ledger.id}-minutes": "8"})

    assert [s.sequence for s in slots()] == [0, 0, 0, 0, 0, 1]
    assert order_rows(client)[-1] == "3:35 PM to 3:43 PM EDT Ledger Team Open Ledger No challenge"


def test_organizer_adds_renames_and_removes_a_break(client, login_as):
    built(client, login_as)

    client.post(f"{MANAGE}/breaks", data={"after": "1", "title": "Coffee", "minutes": "15"})
    coffee = slot_titled("Coffee")
    client.post(
        f"{MANAGE}/slots/{coffee.id}",
        data={f"slot-{coffee.id}-minutes": "5", f"slot-{coffee.id}-title": "Stretch"},
    )
    with_break = order_rows(client)
    first_break = next(s for s in slots() if s.title == "Break")
    client.post(f"{MANAGE}/slots/{first_break.id}/remove")

    assert with_break[1] == "3:05 PM to 3:10 PM EDT Stretch (5 min)"
    assert with_break[2] == "3:10 PM to 3:15 PM EDT Curb Crew Stop Finder Faster Buses"
    assert [s.title for s in slots()] == [
        "Bus Radar",
        "Stretch",
        "Stop Finder",
        "Air Watch",
        "Break",
        "Open Ledger",
    ]
    assert order_rows(client)[3] == "3:15 PM to 3:20 PM EDT Breathe Easy Air Watch Cleaner Air"


def test_renaming_a_break_bumps_only_that_break(client, login_as):
    built(client, login_as)
    first_break = next(s for s in slots() if s.is_break)

    client.post(
        f"{MANAGE}/slots/{first_break.id}",
        data={f"slot-{first_break.id}-minutes": "10", f"slot-{first_break.id}-title": "Lunch"},
    )

    assert [(s.title, s.sequence) for s in slots()][1:4] == [
        ("Stop Finder", 0),
        ("Lunch", 1),
        ("Air Watch", 0),
    ]
    assert order_rows(client)[2] == "3:10 PM to 3:20 PM EDT Lunch (10 min)"


def test_new_slot_length_changes_slots_with_the_old_length_and_keeps_hand_set_ones(
    client, login_as
):
    built(client, login_as)
    air = slot_titled("Air Watch")
    client.post(f"{MANAGE}/slots/{air.id}", data={f"slot-{air.id}-minutes": "7"})

    client.post(MANAGE, data={**SETTINGS, "slot_minutes": "6", "starts_at": "2026-03-09T15:30"})

    assert {s.title: s.minutes for s in slots()} == {
        "Bus Radar": 6,
        "Stop Finder": 6,
        "Break": 10,
        "Air Watch": 7,
        "Open Ledger": 6,
    }
    assert order_rows(client)[0] == "3:30 PM to 3:36 PM EDT Route Runners Bus Radar Faster Buses"


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"slot_minutes": "0"}, "slot_minutes", "Enter a whole number of minutes from 1 to 120."),
        ({"slot_minutes": "500"}, "slot_minutes", "Enter a whole number of minutes from 1 to 120."),
        (
            {"slot_minutes": "five"},
            "slot_minutes",
            "Enter a whole number of minutes from 1 to 120.",
        ),
        (
            {"starts_at": "2026-03-01T15:00"},
            "starts_at",
            "Start the demo day from Sun, Mar 8, 2026, 10:00 AM EDT to Tue, Mar 10, 2026, "
            "6:00 PM EDT (a day before the event starts to a day after it ends).",
        ),
    ],
)
def test_bad_settings_give_a_message_and_change_nothing(client, login_as, changes, field, message):
    built(client, login_as)
    before, settings = snapshot(), demo_day()
    kept = (settings.starts_at, settings.slot_minutes, settings.location)

    response = client.post(MANAGE, data={**SETTINGS, "location": "Annex", **changes})

    assert response.status_code == 200
    assert field_error(response, field) == [message]
    assert snapshot() == before
    after = demo_day()
    assert (after.starts_at, after.slot_minutes, after.location) == kept


@pytest.mark.parametrize("minutes", ["0", "500", "ten"])
def test_bad_slot_minutes_give_a_message_and_change_nothing(client, login_as, minutes):
    built(client, login_as)
    bus = slot_titled("Bus Radar")
    before = snapshot()

    response = client.post(
        f"{MANAGE}/slots/{bus.id}",
        data={f"slot-{bus.id}-minutes": minutes, f"slot-{bus.id}-position": "3"},
    )

    assert response.status_code == 200
    assert field_error(response, f"slot-{bus.id}-minutes") == [
        "Enter a whole number of minutes from 1 to 120."
    ]
    assert snapshot() == before


def test_position_past_the_end_and_a_break_after_no_slot_are_refused(client, login_as):
    built(client, login_as)
    bus = slot_titled("Bus Radar")
    before = snapshot()

    moved = client.post(
        f"{MANAGE}/slots/{bus.id}",
        data={f"slot-{bus.id}-minutes": "5", f"slot-{bus.id}-position": "9"},
    )
    added = client.post(f"{MANAGE}/breaks", data={"after": "9", "title": "Lunch", "minutes": "30"})

    assert field_error(moved, f"slot-{bus.id}-position") == ["Choose a position from 1 to 6."]
    assert field_error(added, "after") == ["Choose a slot from the running order (0 to 6)."]
    assert snapshot() == before


def test_another_events_slot_is_not_found_here(client, login_as):
    s = built(client, login_as)
    other = make_event(organizer=s.organizer, slug="other-jam")
    team = make_team(other, make_user(), name="Elsewhere")
    make_submission(team, title="Other Project", state="submitted")
    make_demo_day(other)
    theirs = db.session.scalar(db.select(DemoSlot).where(DemoSlot.event_id == other.id))
    before = (theirs.position, theirs.minutes, theirs.sequence)

    answers = [
        client.post(f"{MANAGE}/slots/{theirs.id}/move", data={"direction": "down"}).status_code,
        client.post(
            f"{MANAGE}/slots/{theirs.id}", data={f"slot-{theirs.id}-minutes": "9"}
        ).status_code,
        client.post(f"{MANAGE}/slots/{theirs.id}/remove").status_code,
    ]

    assert answers == [404, 404, 404]
    db.session.rollback()
    again = db.session.get(DemoSlot, theirs.id)
    assert (again.position, again.minutes, again.sequence) == before


# --- the public page -----------------------------------------------------------------------


def test_public_page_is_a_printable_table_with_the_zone_named(client, login_as):
    built(client, login_as)
    anonymous = client.application.test_client()

    response = anonymous.get(f"{BASE}/demo-day")

    current = page(response)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert current.all("h1")[0].text == "Demo day running order"
    assert "Starts Mon, Mar 9, 2026, 3:00 PM EDT in Main hall." in current.text
    assert "All times are in America/New_York." in current.text
    assert 'href="/static/css/demoday.css"' in html  # its @media print hides the site around
    assert "/projects/" not in html  # the gallery is closed: no links to projects
    assert [r.text for r in current.by_id("running-order")[0].walk() if r.tag == "th"][:4] == [
        "Time",
        "Team",
        "Project",
        "Challenge",
    ]


def test_public_page_links_projects_once_the_gallery_is_open(client, login_as):
    built(client, login_as)
    db.session.execute(db.update(Event).values(gallery_open=True))
    db.session.commit()
    bus = slot_titled("Bus Radar")

    html = client.application.test_client().get(f"{BASE}/demo-day").get_data(as_text=True)

    assert f'<a href="{BASE}/projects/{bus.submission_id}">Bus Radar</a>' in html


def test_public_page_without_a_running_order_says_so(client):
    setup_event()

    response = client.get(f"{BASE}/demo-day")

    assert response.status_code == 200
    assert "There is no running order yet." in page(response).text


def test_withdrawn_project_leaves_the_public_order_and_is_flagged_to_organizers(client, login_as):
    s = built(client, login_as)
    withdraw(s.projects["Stop Finder"])

    public = order_rows(client.application.test_client())
    organizer_page = page(client.get(MANAGE))

    assert "Stop Finder" not in " ".join(public)
    assert public[1] == "3:10 PM to 3:20 PM EDT Break (10 min)"  # its time stays a gap
    assert "1 project in the running order was withdrawn." in organizer_page.text
    assert "Withdrawn" in organizer_page.by_id(f"slot-{slot_titled('Stop Finder').id}")[0].text


def test_event_page_links_the_demo_day_once_a_running_order_exists(client, login_as):
    s = setup_event()
    anonymous = client.application.test_client()
    before = anonymous.get(BASE).get_data(as_text=True)
    login_as(s.organizer)
    client.post(MANAGE, data=SETTINGS)
    client.post(f"{MANAGE}/build", data={"break_minutes": "10"})

    after = anonymous.get(BASE).get_data(as_text=True)

    assert f"{BASE}/demo-day" not in before
    assert f'<a href="{BASE}/demo-day">see the demo day running order</a>' in after


# --- the agenda ----------------------------------------------------------------------------


def test_agenda_lists_the_running_order_at_its_start_time(client, login_as):
    s = built(client, login_as)
    make_session(s.event, offset_hours=1, title="Keynote")  # 11:00 AM
    make_session(s.event, offset_hours=7, title="Awards")  # 5:00 PM

    response = client.application.test_client().get(f"{BASE}/agenda")

    current = page(response)
    titles = [h.text for h in current.all("h3")]
    assert titles == ["Keynote", "Demo day", "Awards"]
    entry = current.by_id("agenda-demo-day")[0].text
    assert entry.startswith("3:00 PM EDT to 3:40 PM EDT Demo day Presentations · Main hall")
    assert "3:00 PM to 3:05 PM EDT: Route Runners — Bus Radar" in entry
    assert "3:10 PM to 3:20 PM EDT: Break" in entry
    assert "3:35 PM to 3:40 PM EDT: Ledger Team — Open Ledger" in entry


def test_agenda_makes_as_many_queries_for_one_slot_as_for_nineteen(client):
    event = make_event(slug="civic-jam", start=datetime(2026, 3, 9, 14, 0, tzinfo=UTC))
    make_submission(make_team(event, make_user(), name="First"), title="First", state="submitted")
    make_demo_day(event)
    reader = client.application.test_client()
    few = queries_for(reader, f"{BASE}/agenda")
    for n in range(18):
        team = make_team(event, make_user(), name=f"Extra {n}")
        make_submission(team, title=f"Extra {n}", state="submitted")
    services.sync_order(event, actor=None)
    db.session.commit()

    many = queries_for(reader, f"{BASE}/agenda")

    assert len(slots()) == 19
    assert many == few
