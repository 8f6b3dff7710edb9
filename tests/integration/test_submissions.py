"""A team's project from draft to submitted: edits by any member until the deadline, the
organizer's extension, history, receipts, the organizer's list and CSV, and a double click.

Bad input and uploads are in test_submission_input.py; who sees what in test_gallery.py.
"""

import threading
from datetime import timedelta

import pytest

from eventhub.core.models import AuditEntry
from eventhub.database import writing
from eventhub.extensions import db
from eventhub.submissions import services
from eventhub.submissions.models import DeadlineExtension, Submission, SubmissionChange
from eventhub.timefmt import format_datetime
from tests.factories import link_dataset, make_dataset, make_submission
from tests.integration.pages import page
from tests.integration.projects_support import setup_event


@pytest.fixture
def config_overrides(tmp_path):
    return {"UPLOAD_DIR": str(tmp_path / "uploads")}


def _submission() -> Submission:
    db.session.rollback()
    return db.session.scalar(db.select(Submission))


def test_member_creates_and_submits_project_and_every_member_gets_a_receipt(client, login_as, mail):
    s = setup_event()
    login_as(s.captain)

    created = client.post(f"{s.base}/new", data=s.form())
    project = _submission()
    state_before = project.state
    submitted = client.post(f"{s.base}/{project.id}/submit")
    shown = client.get(f"{s.base}/{project.id}")

    assert created.headers["Location"] == f"{s.base}/{project.id}"
    assert state_before == "draft"
    assert submitted.headers["Location"] == f"{s.base}/{project.id}"
    assert _submission().state == "submitted"
    text = page(shown).text
    assert "Submitted" in text and "Bus Bunching Radar" in text
    assert "<strong>real-time</strong>" in shown.get_data(as_text=True)
    receipts = [mail.wait_for(lambda m, to=p.email: m["To"] == to) for p in (s.captain, s.member)]
    body = receipts[1].get_content()
    assert receipts[0]["Subject"] == "Project submitted: Bus Bunching Radar · Transit Datajam"
    assert "Challenge: Faster Buses" in body and "Route Runners" in body
    assert "Repository: https://github.com/example/radar" in body
    assert f"/events/transit-jam/projects/{project.id}" in body


def test_second_member_edits_the_same_project_and_new_leads_to_it(client, login_as):
    s = setup_event()
    project = make_submission(s.team, challenge=s.challenge, title="First Draft")
    login_as(s.member)

    new = client.get(f"{s.base}/new")
    saved = client.post(f"{s.base}/{project.id}/edit", data=s.form(title="Second Draft"))

    assert new.headers["Location"] == f"{s.base}/{project.id}/edit"
    assert saved.headers["Location"] == f"{s.base}/{project.id}"
    assert _submission().title == "Second Draft"
    assert db.session.scalar(db.select(db.func.count(Submission.id))) == 1


def test_history_shows_who_changed_which_fields_to_team_and_organizers(client, login_as):
    s = setup_event()
    login_as(s.captain)
    client.post(f"{s.base}/new", data=s.form())
    project = _submission()
    login_as(s.member)
    client.post(f"{s.base}/{project.id}/edit", data=s.form(tagline="Clumps, mapped."))
    login_as(s.organizer)

    history = page(client.get(f"{s.base}/{project.id}")).by_id("history-heading")[0].parent.text

    changes = db.session.scalars(db.select(SubmissionChange).order_by(SubmissionChange.id)).all()
    assert [(c.action, c.actor_id) for c in changes] == [
        ("created", s.captain.id),
        ("edited", s.member.id),
    ]
    assert changes[1].fields == ["tagline"]
    assert "edited by Milo Member (tagline)" in history
    assert "created by Cora Captain" in history


def test_edit_after_the_deadline_is_refused_with_the_deadline_in_the_event_zone(
    client, login_as, clock
):
    s = setup_event()
    project = make_submission(s.team, challenge=s.challenge, title="Locked Project")
    deadline = s.event.ends_at
    clock.set(deadline + timedelta(minutes=1))
    login_as(s.captain)

    response = client.post(f"{s.base}/{project.id}/edit", data=s.form(title="Too Late"))

    expected = f"{format_datetime(deadline, 'America/New_York')} (America/New_York)"
    assert response.status_code == 200
    assert f"The submission deadline passed on {expected}" in page(response).text
    assert page(response).value("title") == "Too Late"  # what they typed is still there
    assert _submission().title == "Locked Project"


def test_submit_after_the_deadline_is_refused(client, login_as, clock):
    s = setup_event()
    project = make_submission(s.team, challenge=s.challenge)
    clock.set(s.event.ends_at + timedelta(hours=1))
    login_as(s.member)

    client.post(f"{s.base}/{project.id}/submit")
    shown = client.get(f"{s.base}/{project.id}")

    assert "The submission deadline passed" in page(shown).text
    assert _submission().state == "draft"


def test_organizer_extension_lets_one_team_edit_after_the_deadline_until_revoked(
    client, login_as, clock
):
    s = setup_event()
    project = make_submission(s.team, challenge=s.challenge, title="Needs Time")
    clock.set(s.event.ends_at + timedelta(minutes=30))
    extension_path = f"/events/transit-jam/manage/teams/{s.team.id}/extension"
    local_end = s.event.ends_at.astimezone(__import__("zoneinfo").ZoneInfo("America/New_York"))
    until = (local_end + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    login_as(s.organizer)

    granted = client.post(extension_path, data={"until": until, "reason": "Power cut"})
    login_as(s.captain)
    edited = client.post(f"{s.base}/{project.id}/edit", data=s.form(title="Made It"))
    login_as(s.organizer)
    revoked = client.post(extension_path, data={"revoke": "1"})
    login_as(s.captain)
    refused = client.post(f"{s.base}/{project.id}/edit", data=s.form(title="Once More"))

    assert granted.status_code == 302 and revoked.status_code == 302
    assert edited.status_code == 302
    assert "The submission deadline passed" in page(refused).text
    assert _submission().title == "Made It"
    assert db.session.scalar(db.select(db.func.count(DeadlineExtension.id))) == 0
    actions = set(db.session.scalars(db.select(AuditEntry.action)))
    assert {"project.extension_grant", "project.extension_revoke"} <= actions


def test_extension_ending_before_the_deadline_is_refused_beside_its_field(client, login_as):
    s = setup_event()
    login_as(s.organizer)

    response = client.post(
        f"/events/transit-jam/manage/teams/{s.team.id}/extension",
        data={"until": "2026-01-01T09:00"},
    )

    assert response.status_code == 200
    assert "An extension must end after the event's deadline" in page(response).text
    assert db.session.scalar(db.select(db.func.count(DeadlineExtension.id))) == 0


def test_withdrawn_project_can_be_submitted_again_before_the_deadline(client, login_as, mail):
    s = setup_event()
    project = make_submission(s.team, challenge=s.challenge, state="submitted")
    login_as(s.captain)

    client.post(f"{s.base}/{project.id}/withdraw")
    withdrawn = _submission().state
    client.post(f"{s.base}/{project.id}/submit")

    assert withdrawn == "withdrawn"
    assert _submission().state == "submitted"
    assert [c.action for c in reversed(_submission().changes)] == ["withdrawn", "submitted"]


def test_double_click_on_create_makes_one_submission(app):
    s = setup_event()
    data = {**s.form(), "challenge_id": s.challenge.id}
    start = threading.Barrier(2)
    outcomes: list = []

    def run(person_id):
        with app.app_context():
            writing()
            start.wait(timeout=10)
            try:
                from eventhub.accounts.models import User
                from eventhub.teams.models import Team

                team = db.session.get(Team, s.team.id)
                made = services.create_submission(team, data, actor=db.session.get(User, person_id))
                db.session.commit()
                outcomes.append(made.id)
            except Exception as exc:  # the test reports it, rather than a thread dying silently
                outcomes.append(repr(exc))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(p.id,)) for p in (s.captain, s.member)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    db.session.rollback()
    only = db.session.scalar(db.select(Submission.id))
    assert outcomes == [only, only]
    assert db.session.scalar(db.select(db.func.count(Submission.id))) == 1


def test_dataset_picker_suggests_the_challenge_datasets_first_and_adds_without_javascript(
    client, login_as
):
    s = setup_event()
    suggested = make_dataset(title="Bus Arrival Times")
    link_dataset(s.challenge, suggested)
    other = make_dataset(title="Bus Stop Inventory")
    project = make_submission(s.team, challenge=s.challenge)
    login_as(s.member)

    picker = client.get(f"{s.base}/{project.id}/datasets?q=inventory")
    added = client.post(f"{s.base}/{project.id}/datasets", data={"dataset_id": str(other.id)})
    client.post(f"{s.base}/{project.id}/datasets", data={"dataset_id": str(suggested.id)})
    removed = client.post(f"{s.base}/{project.id}/datasets/{other.id}/remove")

    current = page(picker)
    assert "Bus Arrival Times" in current.by_id("suggested")[0].text
    assert "Bus Stop Inventory" in current.by_id("dataset-results")[0].text
    assert added.headers["Location"] == f"{s.base}/{project.id}/datasets"
    assert removed.status_code == 302
    assert [d.title for d in _submission().datasets] == ["Bus Arrival Times"]


def test_organizer_sees_each_submission_with_state_and_last_change_and_exports_csv(
    client, login_as
):
    s = setup_event()
    login_as(s.captain)
    client.post(f"{s.base}/new", data=s.form(title="=Formula Project"))
    project = _submission()
    client.post(f"{s.base}/{project.id}/submit")
    login_as(s.organizer)

    listing = client.get("/events/transit-jam/manage/projects")
    export = client.get("/events/transit-jam/manage/projects.csv")

    row = page(listing).by_id("submissions")[0].text
    assert "=Formula Project" in row and "Route Runners" in row and "submitted" in row
    assert "submitted by Cora Captain" in row
    csv_text = export.get_data(as_text=True)
    assert export.mimetype == "text/csv"
    assert "'=Formula Project,Route Runners,Cora Captain; Milo Member,Faster Buses,submitted" in (
        csv_text
    )


def test_organizer_opens_and_closes_the_gallery_and_it_is_audited(client, login_as):
    s = setup_event()
    login_as(s.organizer)

    opened = client.post("/events/transit-jam/manage/projects/gallery", data={"open": "1"})
    state = page(client.get("/events/transit-jam/manage/projects")).by_id("gallery-state")[0].text
    client.post("/events/transit-jam/manage/projects/gallery", data={"open": "0"})

    assert opened.headers["Location"] == "/events/transit-jam/manage/projects"
    assert "The public gallery is open." in state
    audits = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "project.gallery").order_by(AuditEntry.id)
    ).all()
    assert [a.detail["open"] for a in audits] == [True, False]


def test_person_without_a_team_is_told_to_form_or_join_one(client, login_as):
    s = setup_event()
    from tests.factories import make_user

    login_as(make_user())

    shown = client.get(f"{s.base}/new")
    posted = client.post(f"{s.base}/new", data=s.form())

    assert "You need a team in Transit Datajam" in page(shown).text
    assert "You need a team" in page(posted).text
    assert db.session.scalar(db.select(db.func.count(Submission.id))) == 0


def test_team_smaller_than_the_event_minimum_cannot_submit(client, login_as, mail):
    s = setup_event(team_min_size=3)
    project = make_submission(s.team, challenge=s.challenge, title="Too Few Hands")
    login_as(s.captain)

    response = client.post(f"{s.base}/{project.id}/submit", follow_redirects=True)

    assert "Your team has 2 members; this event asks for at least 3." in page(response).text
    assert _submission().state == "draft"
