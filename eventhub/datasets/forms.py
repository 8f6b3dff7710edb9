"""Import forms: a catalog file uploaded, or an address to fetch.

The file's type is decided by its content (it must parse as a catalog or dataset), never by
its name; its size is checked here before anything is parsed.
"""

from __future__ import annotations

from flask import current_app
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Optional, ValidationError

from eventhub.datasets.fetch import FetchError, check_url
from eventhub.forms import Form, bounded


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


class FileImportForm(Form):
    via = HiddenField(default="file")
    file = FileField(
        "Catalog file",
        [FileRequired("Choose a data.json file to upload.")],
        description="A DCAT-US 1.1 or 3.0 data.json, or one dataset's JSON from CKAN, "
        "Socrata or DKAN.",
    )
    catalog = StringField(
        "Catalog name",
        [Optional(), bounded(200)],
        description="Imports under the same name update the same datasets. "
        "Leave empty to use the file's name.",
    )

    def read(self) -> bytes:
        """The upload's bytes, refused past the import limit with the limit named."""
        limit = current_app.config["IMPORT_MAX_BYTES"]
        body = self.file.data.stream.read(limit + 1)
        if len(body) > limit:
            raise ValidationError(
                f"The file is larger than {megabytes(limit)}; nothing was imported."
            )
        return body

    def catalog_key(self) -> str:
        return (self.catalog.data or "").strip() or (self.file.data.filename or "upload.json")


class UrlImportForm(Form):
    via = HiddenField(default="url")
    url = StringField(
        "Address",
        [DataRequired("Enter the https:// address of a catalog or dataset."), bounded(2000)],
        description="A data.json catalog, a CKAN package_show, a Socrata /api/views/<id>.json "
        "or a DKAN metastore address.",
    )

    def validate_url(self, field) -> None:
        try:
            field.data = check_url(
                (field.data or "").strip(),
                test_origin=current_app.config.get("IMPORT_TEST_ORIGIN"),
            )
        except FetchError as exc:
            raise ValidationError(exc.message) from None
