"""Screenshot files: checked by their content, re-encoded from their pixels, stored under
generated names, and tied to the transaction that stores their row.

A name or a declared type proves nothing, so Pillow opens the bytes, checks the format and
verifies the file; a size in pixels is capped before anything is decoded, so a small file
that would expand to gigabytes (a decompression bomb) is refused. What is stored is then
made again from the decoded pixels alone (``clean``): EXIF (a phone's GPS position, its make,
the owner's name), comments, colour profiles, text chunks and anything after the image's
end are not carried over; the EXIF orientation is applied first, so the picture stays the
right way up. Files live in UPLOAD_DIR under a random name: nothing a person typed reaches
the file system.

A file is written before its row is committed, so a request that fails after the write
would leave a file no row names. ``save`` registers each file with the database session's
innermost transaction: a commit keeps it (a savepoint's commit hands it to the enclosing
transaction), a transaction that ends any other way (rollback, failed commit, an error
before the commit) deletes it. One mechanism, whatever failed.
"""

from __future__ import annotations

import io
import os
import uuid
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session, SessionTransaction

from eventhub.errors import DomainError
from eventhub.extensions import db

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # 8000 x 5000: any real screenshot, far below a bomb
FORMATS = {"PNG": ("image/png", ".png"), "JPEG": ("image/jpeg", ".jpg")}
NOT_AN_IMAGE = "This file is not a PNG or JPEG image. Choose a screenshot saved as PNG or JPEG."
# Pixel modes each format stores as they are; any other is converted (palettes and
# transparency to RGBA, CMYK to RGB).
STORED_MODES = {"PNG": {"1", "L", "LA", "I;16", "RGB", "RGBA"}, "JPEG": {"L", "RGB"}}
JPEG_QUALITY = 95  # with full-resolution colour: text in screenshots stays sharp


@dataclass(frozen=True)
class ImageInfo:
    media_type: str
    extension: str
    width: int
    height: int
    size: int


def inspect(body: bytes) -> ImageInfo:
    """What the bytes are, or a DomainError (field "image") a person can act on."""
    if not body:
        raise DomainError("The file is empty. Choose a PNG or JPEG screenshot.", field="image")
    if len(body) > MAX_BYTES:
        raise DomainError(
            "The image is larger than 5 MB. Save it smaller and upload it again.", field="image"
        )
    with _decoding():
        with Image.open(io.BytesIO(body)) as image:
            kind, (width, height) = image.format, image.size
            if kind not in FORMATS:
                raise DomainError(NOT_AN_IMAGE, field="image")
            if width * height > MAX_PIXELS:
                raise _too_many_pixels()
            image.verify()
    media_type, extension = FORMATS[kind]
    return ImageInfo(media_type, extension, width, height, len(body))


def clean(body: bytes) -> tuple[bytes, ImageInfo]:
    """The image made again from its pixels alone, turned as its EXIF orientation says, in
    its own format; and what it is. A DomainError (field "image") if it is not a usable
    PNG or JPEG."""
    kind = "PNG" if inspect(body).media_type == "image/png" else "JPEG"
    with _decoding():
        with Image.open(io.BytesIO(body)) as image:
            pixels = _pixels(ImageOps.exif_transpose(image), kind)
    out = io.BytesIO()
    if kind == "JPEG":
        pixels.save(out, "JPEG", quality=JPEG_QUALITY, subsampling=0)
    else:
        pixels.save(out, "PNG")
    cleaned = out.getvalue()
    media_type, extension = FORMATS[kind]
    return cleaned, ImageInfo(media_type, extension, *pixels.size, len(cleaned))


def _pixels(image: Image.Image, kind: str) -> Image.Image:
    """A new image holding only ``image``'s pixels: no info, EXIF, profile or palette."""
    if kind == "PNG" and "transparency" in image.info:
        image = image.convert("RGBA")
    elif image.mode not in STORED_MODES[kind]:
        alpha = kind == "PNG" and "A" in image.mode
        image = image.convert("RGBA" if alpha else "RGB")
    return Image.frombytes(image.mode, image.size, image.tobytes())


@contextmanager
def _decoding():
    """Turns what Pillow raises on bad or hostile bytes into a message for the person."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield
    except DomainError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise DomainError(NOT_AN_IMAGE, field="image") from None


def _too_many_pixels() -> DomainError:
    return DomainError(
        "The image is too large in pixels (over 40 megapixels). Resize it and upload it again.",
        field="image",
    )


def directory() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


def path_of(stored_name: str) -> Path:
    return directory() / stored_name


def save(body: bytes, info: ImageInfo) -> str:
    """Write the file under a new random name (whole or not at all) and return the name.
    The file stays only if the current transaction commits (see the module's docstring)."""
    folder = directory()
    folder.mkdir(parents=True, exist_ok=True)
    name = uuid.uuid4().hex + info.extension
    final, partial = folder / name, folder / f".{name}.part"
    _written(db.session(), final)
    try:
        partial.write_bytes(body)
        os.replace(partial, final)
    finally:
        partial.unlink(missing_ok=True)
    return name


def discard(stored_name: str) -> None:
    """Remove a file whose row is gone; a missing file is already what we want."""
    path_of(stored_name).unlink(missing_ok=True)


# --- files follow their transaction ---------------------------------------------------------

PENDING = "uploads_pending"  # session.info: transaction -> files written under it


def _pending(session: Session) -> dict[SessionTransaction, list[Path]]:
    return session.info.setdefault(PENDING, {})


def _innermost(session: Session) -> SessionTransaction | None:
    return session.get_nested_transaction() or session.get_transaction()


def _written(session: Session, path: Path) -> None:
    transaction = _innermost(session) or session.begin()
    _pending(session).setdefault(transaction, []).append(path)


def _committed(session: Session) -> None:
    """A savepoint's files now belong to the enclosing transaction; the outermost
    transaction's are kept."""
    transaction = _innermost(session)
    files = _pending(session).pop(transaction, None)
    if files and transaction is not None and transaction.parent is not None:
        _pending(session).setdefault(transaction.parent, []).extend(files)


def _ended(session: Session, transaction: SessionTransaction) -> None:
    """A transaction that ends still holding files did not commit: its row is not stored,
    so neither is its file."""
    for path in _pending(session).pop(transaction, None) or ():
        path.unlink(missing_ok=True)


def install() -> None:
    """Listen on every ORM session (idempotent: create_app may run many times)."""
    for name, listener in (("after_commit", _committed), ("after_transaction_end", _ended)):
        if not sa_event.contains(Session, name, listener):
            sa_event.listen(Session, name, listener)
