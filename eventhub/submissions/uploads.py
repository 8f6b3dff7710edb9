"""Screenshot files: checked by their content, stored under generated names.

A name or a declared type proves nothing, so Pillow opens the bytes, checks the format and
verifies the file; a size in pixels is capped before anything is decoded, so a small file
that would expand to gigabytes (a decompression bomb) is refused. Files live in UPLOAD_DIR
under a random name: nothing a person typed reaches the file system.
"""

from __future__ import annotations

import io
import os
import uuid
import warnings
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from PIL import Image, UnidentifiedImageError

from eventhub.errors import DomainError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # 8000 x 5000: any real screenshot, far below a bomb
FORMATS = {"PNG": ("image/png", ".png"), "JPEG": ("image/jpeg", ".jpg")}
NOT_AN_IMAGE = "This file is not a PNG or JPEG image. Choose a screenshot saved as PNG or JPEG."


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
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(body)) as image:
                kind, (width, height) = image.format, image.size
                if kind not in FORMATS:
                    raise DomainError(NOT_AN_IMAGE, field="image")
                if width * height > MAX_PIXELS:
                    raise _too_many_pixels()
                image.verify()
    except DomainError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise DomainError(NOT_AN_IMAGE, field="image") from None
    media_type, extension = FORMATS[kind]
    return ImageInfo(media_type, extension, width, height, len(body))


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
    """Write the file under a new random name (whole or not at all) and return the name."""
    folder = directory()
    folder.mkdir(parents=True, exist_ok=True)
    name = uuid.uuid4().hex + info.extension
    partial = folder / f".{name}.part"
    partial.write_bytes(body)
    os.replace(partial, folder / name)
    return name


def discard(stored_name: str) -> None:
    """Remove a file whose row is gone; a missing file is already what we want."""
    path_of(stored_name).unlink(missing_ok=True)
