"""What a stored screenshot holds: its pixels, turned the way the camera meant, and nothing
else (no EXIF, GPS, comments, colour profiles, text chunks or bytes after the image); and a
file written for a request that then fails does not stay behind. Images are made with Pillow,
uploaded through the project's screenshot form and read back as the site serves them."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import ExifTags, Image, ImageChops, ImageCms, ImageOps, ImageStat
from PIL.PngImagePlugin import PngInfo
from sqlalchemy import text

from eventhub.extensions import db
from eventhub.submissions import uploads
from eventhub.submissions.models import Screenshot
from tests.factories import make_submission
from tests.integration.pages import field_error
from tests.integration.projects_support import image_bytes, setup_event, upload

SECRETS = (b"SecretCam", b"Cora's phone", b"secret comment", b"Harbor St 9", b"TRAILING-DATA")


@pytest.fixture
def s():
    return setup_event()


@pytest.fixture
def project(s):
    return make_submission(s.team, challenge=s.challenge, title="Buoy Tracker")


def _picture(size=(80, 60)) -> Image.Image:
    """Distinct halves and a gradient, so a turn or a lost row shows in the pixels."""
    width, height = size
    image = Image.new("RGB", size)
    image.putdata(
        [
            (200 if x < width // 2 else 30, (y * 255) // height, (x * 255) // width)
            for y in range(height)
            for x in range(width)
        ]
    )
    return image


def _srgb() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def _exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "SecretCam"
    exif[ExifTags.Base.Artist] = "Cora's phone"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (40.0, 26.0, 46.0),
        ExifTags.GPS.GPSLongitudeRef: "W",
        ExifTags.GPS.GPSLongitude: (79.0, 58.0, 56.0),
    }
    return exif


def _jpeg_with_gps_and_comment() -> bytes:
    out = io.BytesIO()
    _picture().save(
        out,
        "JPEG",
        quality=95,
        exif=_exif(orientation=6),  # "turn 90° clockwise to show"
        comment=b"secret comment",
        icc_profile=_srgb(),
    )
    return out.getvalue() + b"TRAILING-DATA"


def _png_with_text_and_trailer() -> bytes:
    info = PngInfo()
    info.add_text("Comment", "secret comment")
    info.add_text("Location", "Harbor St 9", zip=True)
    info.add_itxt("Author", "Cora's phone")
    out = io.BytesIO()
    _picture().save(out, "PNG", pnginfo=info, exif=_exif(), icc_profile=_srgb())
    return out.getvalue() + b"TRAILING-DATA"


def _stored(app) -> list[str]:
    folder = Path(app.config["UPLOAD_DIR"])
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def _served(client, s, project) -> tuple[Screenshot, bytes]:
    db.session.rollback()
    shot = db.session.scalars(
        db.select(Screenshot).where(Screenshot.submission_id == project.id)
    ).one()
    response = client.get(f"{s.base}/{project.id}/screenshots/{shot.stored_name}")
    assert response.status_code == 200
    return shot, response.data


def _metadata(image: Image.Image) -> dict:
    kept = {key: image.info[key] for key in image.info if key not in ("jfif", "jfif_version")}
    kept.pop("jfif_unit", None), kept.pop("jfif_density", None), kept.pop("dpi", None)
    return {"info": kept, "exif": dict(image.getexif()), "text": getattr(image, "text", {})}


def _difference(first: Image.Image, second: Image.Image) -> tuple[float, int]:
    """Mean and largest difference of two pictures' channels (0 to 255)."""
    diff = ImageChops.difference(first.convert("RGB"), second.convert("RGB"))
    stat = ImageStat.Stat(diff)
    return max(stat.mean), max(high for _, high in diff.getextrema())


@pytest.mark.parametrize(
    ("kind", "body", "media_type"),
    [
        ("jpeg", _jpeg_with_gps_and_comment(), "image/jpeg"),
        ("png", _png_with_text_and_trailer(), "image/png"),
    ],
)
def test_uploaded_image_keeps_its_pixels_and_nothing_else(
    client, login_as, s, project, kind, body, media_type
):
    original = Image.open(io.BytesIO(body))
    assert original.getexif() and original.info.get("icc_profile")  # what the camera wrote
    expected = ImageOps.exif_transpose(original)
    login_as(s.captain)

    response = client.post(
        f"{s.base}/{project.id}/screenshots",
        data=upload(body, f"photo.{kind}"),
        content_type="multipart/form-data",
    )

    assert response.status_code == 302
    shot, served = _served(client, s, project)
    assert [secret for secret in SECRETS if secret in served] == []
    stored = Image.open(io.BytesIO(served))
    assert stored.format == kind.upper() and shot.media_type == media_type
    assert _metadata(stored) == {"info": {}, "exif": {}, "text": {}}
    assert stored.size == expected.size == (shot.width, shot.height)
    assert shot.size == len(served)
    mean, largest = _difference(stored, expected)
    if kind == "png":
        assert (mean, largest) == (0, 0)
        assert served.endswith(b"IEND\xaeB`\x82")
    else:
        assert mean < 2 and largest < 16, (mean, largest)
        assert served.endswith(b"\xff\xd9")


def test_jpeg_turned_by_its_exif_is_stored_upright(client, login_as, s, project):
    login_as(s.captain)

    client.post(
        f"{s.base}/{project.id}/screenshots",
        data=upload(_jpeg_with_gps_and_comment(), "photo.jpg"),
        content_type="multipart/form-data",
    )

    shot, served = _served(client, s, project)
    stored = Image.open(io.BytesIO(served)).convert("RGB")
    # 80x60 with red on the left, shown turned clockwise: 60x80, red on top.
    assert (shot.width, shot.height) == (60, 80)
    assert stored.getpixel((30, 5))[0] > 150 and stored.getpixel((30, 75))[0] < 80


REFUSE = {
    "sqlite": [
        "CREATE TRIGGER refuse_shots BEFORE INSERT ON screenshots "
        "BEGIN SELECT RAISE(ABORT, 'disk quota exceeded'); END"
    ],
    "postgresql": [
        "CREATE FUNCTION refuse_shots() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'disk quota exceeded'; END $$",
        "CREATE TRIGGER refuse_shots BEFORE INSERT ON screenshots "
        "FOR EACH ROW EXECUTE FUNCTION refuse_shots()",
    ],
}
ALLOW = {
    "sqlite": ["DROP TRIGGER refuse_shots"],
    "postgresql": ["DROP TRIGGER refuse_shots ON screenshots", "DROP FUNCTION refuse_shots()"],
}


def test_a_file_written_for_a_request_that_then_fails_is_removed(
    app, client, login_as, s, project, backend
):
    """The database refuses the screenshot's row after its file was written: the request
    fails, and the file goes with the rolled-back row."""
    login_as(s.captain)
    for statement in REFUSE[backend]:
        db.session.execute(text(statement))
    db.session.commit()
    try:
        response = client.post(
            f"{s.base}/{project.id}/screenshots",
            data=upload(_png_with_text_and_trailer()),
            content_type="multipart/form-data",
        )
    finally:
        db.session.rollback()
        for statement in ALLOW[backend]:
            db.session.execute(text(statement))
        db.session.commit()

    assert response.status_code == 500
    assert _stored(app) == []
    assert db.session.scalar(db.select(db.func.count(Screenshot.id))) == 0


def test_a_refused_upload_writes_no_file_and_a_later_one_is_kept(app, client, login_as, s, project):
    login_as(s.captain)

    refused = client.post(
        f"{s.base}/{project.id}/screenshots",
        data=upload(_png_with_text_and_trailer(), alt=""),
        content_type="multipart/form-data",
    )
    kept = client.post(
        f"{s.base}/{project.id}/screenshots",
        data=upload(_png_with_text_and_trailer()),
        content_type="multipart/form-data",
    )

    assert field_error(refused, "alt") == [
        "Describe what the screenshot shows, for people who cannot see it."
    ]
    assert kept.status_code == 302
    shot, _ = _served(client, s, project)
    assert _stored(app) == [shot.stored_name]


def test_a_file_follows_the_transaction_and_savepoint_it_was_written_in(app):
    body = image_bytes()
    info = uploads.inspect(body)

    def written_in_savepoint(then_savepoint: str, then_outer: str) -> str:
        savepoint = db.session.begin_nested()
        name = uploads.save(body, info)
        getattr(savepoint, then_savepoint)()
        getattr(db.session, then_outer)()
        return name

    committed = uploads.save(body, info)
    db.session.commit()
    rolled_back = uploads.save(body, info)
    db.session.rollback()
    names = {
        "committed": committed,
        "rolled back": rolled_back,
        "savepoint rolled back": written_in_savepoint("rollback", "commit"),
        "savepoint kept, outer rolled back": written_in_savepoint("commit", "rollback"),
        "savepoint kept, outer committed": written_in_savepoint("commit", "commit"),
    }

    kept = set(_stored(app))
    assert {what for what, name in names.items() if name in kept} == {
        "committed",
        "savepoint kept, outer committed",
    }
