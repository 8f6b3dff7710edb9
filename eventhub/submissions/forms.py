"""Project forms. Shape and bounds here (lengths match the columns); the rules that need the
database (membership, deadline, the event's challenges, five screenshots) are the services'."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, ValidationError

from eventhub.challenges.forms import PICK_FROM_RESULTS, DatasetIdField
from eventhub.forms import Form, LocalDateTimeField, bounded, http_url
from eventhub.submissions.uploads import MAX_BYTES
from eventhub.timefmt import to_utc

DESCRIPTION_LIMIT = 20_000


def _stripped(value):
    return value.strip() if isinstance(value, str) else value


def _link(label: str, description: str) -> StringField:
    return StringField(
        label, [bounded(500), http_url], filters=[_stripped], description=description
    )


class SubmissionForm(Form):
    title = StringField(
        "Project title",
        [DataRequired("Enter your project's title."), bounded(120)],
        filters=[_stripped],
    )
    tagline = StringField(
        "Tagline", [bounded(200)], filters=[_stripped], description="One line about what it does."
    )
    challenge_id = SelectField(
        "Challenge",
        [InputRequired("Choose the challenge your project is entered for.")],
        coerce=int,
        validate_choice=False,  # the service says which challenges are the event's
    )
    description = TextAreaField(
        "Description",
        [bounded(DESCRIPTION_LIMIT)],
        filters=[_stripped],
        description="Markdown: **bold**, _italic_, [links](https://...), lists.",
    )
    repository_url = _link("Repository", "Where the code lives, such as https://github.com/…")
    demo_url = _link("Demo", "A page where people can try it.")
    video_url = _link("Video", "A short walkthrough.")
    technologies = StringField(
        "Technologies",
        [bounded(300)],
        filters=[_stripped],
        description="Separated by commas, such as Python, PostGIS, Leaflet.",
    )

    def __init__(self, *args, challenges=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.challenge_id.choices = [(0, "Choose a challenge")] + [
            (c.id, c.title) for c in challenges
        ]

    def validate_challenge_id(self, field) -> None:
        if not field.data:
            raise ValidationError("Choose the challenge your project is entered for.")

    def data_for_service(self) -> dict:
        data = {
            name: getattr(self, name).data or ""
            for name in (
                "title",
                "tagline",
                "description",
                "repository_url",
                "demo_url",
                "video_url",
                "technologies",
            )
        }
        data["challenge_id"] = self.challenge_id.data or None
        return data


class ScreenshotForm(Form):
    image = FileField(
        "Screenshot",
        [FileRequired("Choose a PNG or JPEG image to upload.")],
        description="PNG or JPEG, up to 5 MB. A project can have 5 screenshots.",
    )
    alt = StringField(
        "Description of the image",
        [
            DataRequired("Describe what the screenshot shows, for people who cannot see it."),
            bounded(200),
        ],
        filters=[_stripped],
        description="For people using screen readers, such as “Map of bus stops by ridership”.",
    )

    def data_for_service(self) -> dict:
        # One byte past the limit is enough to know the file is too large.
        return {"body": self.image.data.stream.read(MAX_BYTES + 1), "alt": self.alt.data}


class SubmissionDatasetForm(Form):
    dataset_id = DatasetIdField("Dataset", [InputRequired(PICK_FROM_RESULTS)])

    def data_for_service(self) -> int:
        return self.dataset_id.data


class ExtensionForm(Form):
    until = LocalDateTimeField(
        "Extended until", [DataRequired("Enter when the extension ends.")], format="%Y-%m-%dT%H:%M"
    )
    reason = StringField("Reason", [bounded(300)], filters=[_stripped])

    def __init__(self, *args, zone: str = "UTC", **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone

    def data_for_service(self) -> dict:
        """The wall-clock time typed in the event's zone, as UTC."""
        return {"until": to_utc(self.until.data, self.zone), "reason": self.reason.data or ""}
