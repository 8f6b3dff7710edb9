"""The public side of projects: the gallery and its filters, who sees a project page and its
screenshots before and after the gallery opens, and what dataset and publisher pages say
about the projects that used them."""

import io

import pytest
from PIL import Image

from eventhub.extensions import db
from eventhub.submissions.models import Screenshot
from tests.factories import (
    link_dataset,
    make_challenge,
    make_dataset,
    make_event,
    make_submission,
    make_team,
    make_user,
)
from tests.integration.pages import page
from tests.integration.projects_support import image_bytes, setup_event, upload


@pytest.fixture
def config_overrides(tmp_path):
    return {"UPLOAD_DIR": str(tmp_path / "uploads")}


def _link(submission, dataset):
    from eventhub.submissions.models import SubmissionDataset

    db.session.add(SubmissionDataset(submission_id=submission.id, dataset_id=dataset.id))
    db.session.commit()


def _open_gallery(event, is_open=True):
    event.gallery_open = is_open
    db.session.commit()


def _titles(response) -> str:
    found = page(response).by_id("projects")
    return found[0].text if found else ""


def test_gallery_lists_submitted_projects_only_and_filters_by_challenge_and_dataset(client):
    s = setup_event()
    parks = make_challenge(s.event, title="Greener Parks")
    trees = make_dataset(title="Street Tree Census")
    radar = make_submission(s.team, challenge=s.challenge, title="Bus Radar", state="submitted")
    shade = make_submission(
        make_team(s.event, make_user(), name="Shade Seekers"),
        challenge=parks,
        title="Shade Map",
        state="submitted",
    )
    _link(shade, trees)
    make_submission(make_team(s.event, make_user()), challenge=parks, title="Half Done")
    make_submission(
        make_team(s.event, make_user()), challenge=parks, title="Pulled Out", state="withdrawn"
    )
    _open_gallery(s.event)

    everything = client.get(s.base)
    by_challenge = client.get(f"{s.base}?challenge={s.challenge.id}")
    by_dataset = client.get(f"{s.base}?dataset={trees.id}")

    assert "Bus Radar" in _titles(everything) and "Shade Map" in _titles(everything)
    assert "Half Done" not in _titles(everything) and "Pulled Out" not in _titles(everything)
    assert "Bus Radar" in _titles(by_challenge) and "Shade Map" not in _titles(by_challenge)
    assert "Shade Map" in _titles(by_dataset) and "Bus Radar" not in _titles(by_dataset)
    assert radar.id != shade.id


def test_closed_gallery_lists_nothing_for_the_public(client):
    s = setup_event()
    make_submission(s.team, challenge=s.challenge, title="Bus Radar", state="submitted")

    response = client.get(s.base)

    assert response.status_code == 200
    assert "The project gallery opens when the organizers open it" in page(response).text
    assert "Bus Radar" not in page(response).text


def test_project_page_shows_team_challenge_datasets_links_and_screenshots(app, client, login_as):
    s = setup_event()
    arrivals = make_dataset(title="Bus Arrival Times")
    project = make_submission(
        s.team,
        challenge=s.challenge,
        title="Bus Radar",
        description="<script>alert(1)</script>**Live** map",
        repository_url="https://github.com/example/radar",
        demo_url="https://radar.example.org",
    )
    _link(project, arrivals)
    login_as(s.captain)
    client.post(
        f"{s.base}/{project.id}/screenshots",
        data=upload(image_bytes()),
        content_type="multipart/form-data",
    )
    client.post(f"{s.base}/{project.id}/submit")
    _open_gallery(s.event)

    response = app.test_client().get(f"{s.base}/{project.id}")

    html = response.get_data(as_text=True)
    text = page(response).text
    assert "Route Runners" in text and "Cora Captain, Milo Member" in text
    assert "Faster Buses" in text
    assert f'<a href="/datasets/{arrivals.id}">Bus Arrival Times</a>' in html
    assert 'href="https://github.com/example/radar"' in html
    assert "<strong>Live</strong>" in html and "<script>alert" not in html
    shot = db.session.scalar(db.select(Screenshot))
    assert f"/projects/{project.id}/screenshots/{shot.stored_name}" in html
    assert "History" not in text  # the history is for the team and organizers


def test_before_the_gallery_opens_a_project_is_seen_by_its_team_and_organizers_only(
    client, login_as
):
    s = setup_event()
    project = make_submission(s.team, challenge=s.challenge, state="submitted")
    path = f"{s.base}/{project.id}"
    rival = make_user()
    make_team(s.event, rival)

    anonymous = client.get(path).status_code
    answers = {}
    for name, person in [
        ("member", s.member),
        ("organizer", s.organizer),
        ("rival", rival),
        ("stranger", make_user()),
    ]:
        login_as(person)
        answers[name] = client.get(path).status_code

    assert anonymous == 404
    assert answers == {"member": 200, "organizer": 200, "rival": 404, "stranger": 404}


def test_draft_stays_hidden_from_other_teams_after_the_gallery_opens(client, login_as):
    s = setup_event()
    project = make_submission(s.team, challenge=s.challenge, title="Secret Draft")
    _open_gallery(s.event)
    rival = make_user()
    make_team(s.event, rival)
    login_as(rival)

    response = client.get(f"{s.base}/{project.id}")
    listing = client.get(s.base)

    assert response.status_code == 404
    assert "Secret Draft" not in page(listing).text


def test_screenshot_is_served_with_safe_headers_only_to_people_who_may_see_it(
    app, client, login_as
):
    s = setup_event()
    project = make_submission(s.team, challenge=s.challenge, state="submitted")
    login_as(s.member)
    client.post(
        f"{s.base}/{project.id}/screenshots",
        data=upload(image_bytes("JPEG")),
        content_type="multipart/form-data",
    )
    shot = db.session.scalar(db.select(Screenshot))
    path = f"{s.base}/{project.id}/screenshots/{shot.stored_name}"

    as_member = client.get(path)
    anonymous = app.test_client()
    before_opening = anonymous.get(path).status_code
    _open_gallery(s.event)
    public = anonymous.get(path)
    unknown = anonymous.get(f"{s.base}/{project.id}/screenshots/{'0' * 32}.jpg").status_code

    assert as_member.status_code == 200
    assert as_member.headers["Content-Type"] == "image/jpeg"
    assert as_member.headers["X-Content-Type-Options"] == "nosniff"
    assert as_member.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert as_member.headers["Content-Disposition"] == "inline"
    assert as_member.headers["Cache-Control"].startswith("private")
    served = Image.open(io.BytesIO(as_member.data))  # re-encoded: its pixels, no metadata
    assert (served.format, served.size) == ("JPEG", (64, 48))
    assert before_opening == 404
    assert public.status_code == 200 and public.headers["Cache-Control"].startswith("public")
    assert unknown == 404


def test_dataset_page_lists_projects_that_used_it_in_open_galleries_only(client):
    s = setup_event()
    arrivals = make_dataset(title="Bus Arrival Times")
    shown = make_submission(s.team, challenge=s.challenge, title="Bus Radar", state="submitted")
    _link(shown, arrivals)
    _open_gallery(s.event)
    closed_event = make_event(title="Closed Jam")
    hidden = make_submission(
        make_team(closed_event, make_user()), title="Not Yet Public", state="submitted"
    )
    _link(hidden, arrivals)
    draft = make_submission(make_team(s.event, make_user()), title="Still Drafting")
    _link(draft, arrivals)

    response = client.get(f"/datasets/{arrivals.id}")

    used_by = page(response).by_id("used-by")[0].text
    assert "Bus Radar, a project at Transit Datajam" in used_by
    assert "Not Yet Public" not in used_by and "Still Drafting" not in used_by
    assert f'href="/events/transit-jam/projects/{shown.id}"' in response.get_data(as_text=True)


def test_publisher_page_counts_challenges_and_projects_that_used_its_datasets(client):
    s = setup_event()
    ours = [make_dataset(title=f"Transit Feed {n}", publisher=["Metro Transit"]) for n in (1, 2)]
    make_dataset(title="Tree Census", publisher=["Parks Department"])
    link_dataset(s.challenge, ours[0])
    link_dataset(s.challenge, ours[1])  # one challenge, counted once
    link_dataset(make_challenge(make_event(), title="Second"), ours[1])
    project = make_submission(s.team, challenge=s.challenge, state="submitted")
    _link(project, ours[0])
    _link(project, ours[1])  # one project, counted once
    make_submission(make_team(s.event, make_user()), state="draft")
    _open_gallery(s.event)
    publisher_id = ours[0].publisher_id

    dataset_page = client.get(f"/datasets/{ours[0].id}")
    response = client.get(f"/datasets/publishers/{publisher_id}")

    assert f'href="/datasets/publishers/{publisher_id}">Metro Transit<span' in (
        dataset_page.get_data(as_text=True)
    )
    usage = page(response).by_id("publisher-usage")[0].text
    assert usage == "Its datasets were used by 2 challenges and 1 project."
    listed = page(response).by_id("publisher-datasets")[0].text
    assert "Transit Feed 1" in listed and "Transit Feed 2" in listed and "Tree" not in listed
    assert client.get("/datasets/publishers/999999").status_code == 404
