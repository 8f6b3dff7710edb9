"""Bad input to project forms and uploads: each is refused with a message beside its field,
and nothing already saved is lost. Files are real bytes made with Pillow."""

import io
import os
from pathlib import Path

import pytest
from PIL import Image

from eventhub.extensions import db
from eventhub.submissions.models import Screenshot, Submission
from tests.factories import make_challenge, make_event, make_submission, make_team, make_user
from tests.integration.pages import field_error, page
from tests.integration.projects_support import image_bytes, setup_event, upload


@pytest.fixture
def config_overrides(tmp_path):
    return {"UPLOAD_DIR": str(tmp_path / "uploads")}


@pytest.fixture
def s():
    return setup_event()


@pytest.fixture
def project(s):
    return make_submission(
        s.team,
        challenge=s.challenge,
        title="Saved Title",
        repository_url="https://github.com/example/saved",
    )


def _fresh(project) -> Submission:
    db.session.rollback()
    return db.session.get(Submission, project.id)


def _stored(app) -> list[str]:
    folder = Path(app.config["UPLOAD_DIR"])
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.mark.parametrize(
    "address", ["javascript:alert(1)", "ftp://example.org/code", "github.com/example/radar"]
)
def test_link_that_is_not_http_or_https_is_refused_beside_its_field(
    client, login_as, s, project, address
):
    login_as(s.captain)

    response = client.post(
        f"{s.base}/{project.id}/edit", data=s.form(repository_url=address, title="Changed")
    )

    assert response.status_code == 200
    assert field_error(response, "repository_url") == [
        "Enter a web address starting with https:// or http://."
    ]
    assert page(response).value("title") == "Changed"
    assert _fresh(project).repository_url == "https://github.com/example/saved"
    assert _fresh(project).title == "Saved Title"


def test_overlong_fields_are_refused_with_their_limits(client, login_as, s, project):
    login_as(s.captain)

    response = client.post(
        f"{s.base}/{project.id}/edit",
        data=s.form(title="t" * 121, tagline="x" * 201, technologies="y" * 301),
    )

    assert field_error(response, "title") == ["Use at most 120 characters."]
    assert field_error(response, "tagline") == ["Use at most 200 characters."]
    assert field_error(response, "technologies") == ["Use at most 300 characters."]
    assert _fresh(project).title == "Saved Title"


def test_empty_title_and_missing_challenge_are_refused(client, login_as, s):
    login_as(s.captain)

    response = client.post(f"{s.base}/new", data=s.form(title="", challenge_id="0"))

    assert field_error(response, "title") == ["Enter your project's title."]
    assert field_error(response, "challenge_id") == [
        "Choose the challenge your project is entered for."
    ]
    assert db.session.scalar(db.select(db.func.count(Submission.id))) == 0


def test_challenge_of_another_event_is_refused(client, login_as, s, project):
    elsewhere = make_challenge(make_event(), title="Elsewhere")
    login_as(s.captain)

    response = client.post(
        f"{s.base}/{project.id}/edit", data=s.form(challenge_id=str(elsewhere.id))
    )

    assert field_error(response, "challenge_id") == ["Choose one of this event's challenges."]
    assert _fresh(project).challenge_id == s.challenge.id


def test_png_and_jpeg_screenshots_are_stored_under_generated_names(
    client, login_as, s, project, app
):
    login_as(s.captain)

    png = client.post(
        f"{s.base}/{project.id}/screenshots",
        data=upload(image_bytes("PNG", (64, 48)), "../../etc/passwd.png"),
        content_type="multipart/form-data",
    )
    jpeg = client.post(
        f"{s.base}/{project.id}/screenshots",
        data=upload(image_bytes("JPEG", (80, 60)), "photo.jpg"),
        content_type="multipart/form-data",
    )

    assert png.status_code == 302 and jpeg.status_code == 302
    shots = _fresh(project).screenshots
    assert [(x.media_type, x.width, x.height) for x in shots] == [
        ("image/png", 64, 48),
        ("image/jpeg", 80, 60),
    ]
    assert _stored(app) == sorted(x.stored_name for x in shots)
    assert all(len(x.stored_name.split(".")[0]) == 32 for x in shots)


def test_text_file_named_png_is_refused(client, login_as, s, project, app):
    login_as(s.captain)

    response = client.post(
        f"{s.base}/{project.id}/screenshots",
        data=upload(b"just some notes, not a picture\n" * 20, "notes.png"),
        content_type="multipart/form-data",
    )

    assert response.status_code == 200
    assert field_error(response, "image") == [
        "This file is not a PNG or JPEG image. Choose a screenshot saved as PNG or JPEG."
    ]
    assert page(response).value("alt") == "Map of bus stops"
    assert _fresh(project).screenshots == [] and _stored(app) == []


def test_gif_image_is_refused_as_not_png_or_jpeg(client, login_as, s, project):
    login_as(s.captain)

    response = client.post(
        f"{s.base}/{project.id}/screenshots",
        data=upload(image_bytes("GIF", mode="L"), "moving.png"),
        content_type="multipart/form-data",
    )

    assert "is not a PNG or JPEG image" in " ".join(field_error(response, "image"))


def test_truncated_png_is_refused(client, login_as, s, project):
    login_as(s.captain)
    body = image_bytes("PNG", (200, 200))

    response = client.post(
        f"{s.base}/{project.id}/screenshots",
        data=upload(body[: len(body) // 2]),
        content_type="multipart/form-data",
    )

    assert "is not a PNG or JPEG image" in " ".join(field_error(response, "image"))


def test_decompression_bomb_is_refused(client, login_as, s, project):
    out = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(out, "PNG")  # a small file of 144 megapixels
    login_as(s.captain)

    response = client.post(
        f"{s.base}/{project.id}/screenshots",
        data=upload(out.getvalue()),
        content_type="multipart/form-data",
    )

    assert "too large in pixels" in " ".join(field_error(response, "image"))
    assert _fresh(project).screenshots == []


def test_screenshot_over_5_mb_is_refused_beside_its_field(client, login_as, s, project, app):
    body = image_bytes("PNG") + b"\0" * (5 * 1024 * 1024)
    login_as(s.captain)

    response = client.post(
        f"{s.base}/{project.id}/screenshots", data=upload(body), content_type="multipart/form-data"
    )

    assert field_error(response, "image") == [
        "The image is larger than 5 MB. Save it smaller and upload it again."
    ]
    assert _stored(app) == []


def test_screenshot_larger_than_the_site_request_limit_uploads_with_csrf_checked(
    app, client, login_as, s, project
):
    app.config["WTF_CSRF_ENABLED"] = True  # CSRF reads the form before the view runs
    noise = Image.frombytes("RGB", (1200, 900), os.urandom(1200 * 900 * 3))
    out = io.BytesIO()
    noise.save(out, "PNG")
    login_as(s.captain)
    token = page(client.get(f"{s.base}/{project.id}/screenshots")).csrf_token()

    response = client.post(
        f"{s.base}/{project.id}/screenshots",
        data={**upload(out.getvalue()), "csrf_token": token},
        content_type="multipart/form-data",
    )

    assert len(out.getvalue()) > app.config["MAX_CONTENT_LENGTH"]
    assert response.status_code == 302
    assert [x.width for x in _fresh(project).screenshots] == [1200]


def test_far_larger_upload_is_refused_with_the_limit_named(client, login_as, s, project):
    login_as(s.captain)

    response = client.post(
        f"{s.base}/{project.id}/screenshots",
        data=upload(b"\0" * (8 * 1024 * 1024)),
        content_type="multipart/form-data",
    )

    assert response.status_code == 413
    assert "The image is larger than 5 MB; nothing was uploaded." in page(response).text


def test_sixth_screenshot_is_refused_and_the_five_are_kept(client, login_as, s, project, app):
    login_as(s.captain)
    for n in range(5):
        client.post(
            f"{s.base}/{project.id}/screenshots",
            data=upload(image_bytes(size=(10 + n, 10))),
            content_type="multipart/form-data",
        )

    response = client.post(
        f"{s.base}/{project.id}/screenshots",
        data=upload(image_bytes()),
        content_type="multipart/form-data",
    )

    assert field_error(response, "image") == [
        "A project can have at most 5 screenshots. Remove one before adding another."
    ]
    assert len(_fresh(project).screenshots) == 5 and len(_stored(app)) == 5


def test_removed_screenshot_is_gone_with_its_file(client, login_as, s, project, app):
    login_as(s.captain)
    client.post(
        f"{s.base}/{project.id}/screenshots",
        data=upload(image_bytes()),
        content_type="multipart/form-data",
    )
    shot = _fresh(project).screenshots[0]

    removed = client.post(f"{s.base}/{project.id}/screenshots/{shot.id}/remove")

    assert removed.headers["Location"] == f"{s.base}/{project.id}/screenshots"
    assert db.session.scalar(db.select(db.func.count(Screenshot.id))) == 0
    assert _stored(app) == []


def test_non_member_sees_no_edit_controls_and_is_refused_on_every_change(
    client, login_as, s, project
):
    s.event.gallery_open = True
    project.state = "submitted"
    db.session.commit()
    outsider = make_user()
    login_as(outsider)
    base = f"{s.base}/{project.id}"

    shown = client.get(base)
    answers = [
        client.get(f"{base}/edit").status_code,
        client.post(f"{base}/edit", data=s.form(title="Hijacked")).status_code,
        client.post(f"{base}/withdraw").status_code,
        client.post(f"{base}/datasets", data={"dataset_id": "1"}).status_code,
        client.post(
            f"{base}/screenshots", data=upload(image_bytes()), content_type="multipart/form-data"
        ).status_code,
    ]

    assert shown.status_code == 200
    assert "Edit details" not in page(shown).text and "Withdraw" not in page(shown).text
    assert answers == [403] * 5
    assert _fresh(project).title == "Saved Title" and _fresh(project).state == "submitted"


def test_member_of_another_team_cannot_see_or_change_a_draft(client, login_as, s, project):
    rival = make_user()
    make_team(s.event, rival, name="Rivals")
    login_as(rival)
    base = f"{s.base}/{project.id}"

    answers = [client.get(base).status_code, client.post(f"{base}/edit", data=s.form()).status_code]

    assert answers == [404, 404]
    assert _fresh(project).title == "Saved Title"
