"""Event, agenda, partner and organizer forms.

Times are typed as wall-clock times in the event's zone and leave the form as aware UTC
(``data()``); the zone comes from the form itself (event form) or from the event.
"""

from __future__ import annotations

import re
from datetime import UTC

from wtforms import (
    EmailField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, NumberRange, Optional, ValidationError

from eventhub.enums import EventKind, SessionKind
from eventhub.forms import Form, LocalDateTimeField, bounded, http_url
from eventhub.timefmt import is_zone, to_input, to_utc, zone_names

DESCRIPTION_LIMIT = 20_000
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RESERVED_SLUGS = {"new"}  # paths under /events/ that are pages, not events
TIME_FORMAT = "%Y-%m-%dT%H:%M"


def _when(label: str, required: bool = True, description: str = "") -> LocalDateTimeField:
    checks = [DataRequired(f"Enter the {label.lower()}.")] if required else [Optional()]
    return LocalDateTimeField(label, checks, format=TIME_FORMAT, description=description)


def slug_format(form, field) -> None:
    field.data = (field.data or "").strip().lower()
    if not SLUG.match(field.data):
        raise ValidationError(
            "Use lowercase letters, digits and single hyphens, for example health-datapalooza-2027."
        )
    if field.data in RESERVED_SLUGS:
        raise ValidationError(f"“{field.data}” is reserved for a page of the site. Choose another.")


class ZonedForm(Form):
    """A form whose datetime fields are read in one IANA zone."""

    time_fields: tuple[str, ...] = ()

    def zone(self) -> str:
        raise NotImplementedError

    def fill_times(self, obj, zone: str) -> None:
        """Show stored UTC times as wall-clock times in the zone (for GET)."""
        for name in self.time_fields:
            getattr(self, name).raw_data = [to_input(getattr(obj, name), zone)]

    def utc(self, name: str):
        value = getattr(self, name).data
        if value is None:
            return None
        if value.tzinfo is not None:  # not posted: the stored value, already UTC
            return value.astimezone(UTC)
        return to_utc(value, self.zone())


class EventForm(ZonedForm):
    time_fields = (
        "starts_at",
        "ends_at",
        "registration_opens_at",
        "registration_closes_at",
        "team_formation_closes_at",
        "submission_deadline",
    )

    title = StringField("Title", [DataRequired("Enter a title."), bounded(200)])
    slug = StringField(
        "Web address",
        [DataRequired("Enter a web address."), bounded(80, 3), slug_format],
        description="The last part of the event's address: /events/your-text.",
    )
    kind = SelectField("Kind", choices=[SelectChoice(k.value, k.label) for k in EventKind])
    summary = StringField("Summary", [bounded(300)], description="One or two sentences for lists.")
    description = TextAreaField(
        "Description",
        [bounded(DESCRIPTION_LIMIT)],
        description="Markdown: **bold**, _italic_, [links](https://...), lists.",
    )
    timezone = SelectField(
        "Time zone",
        choices=[SelectChoice(z, z) for z in zone_names()],
        description="Every time of the event is shown in this zone.",
        validate_choice=False,
    )
    starts_at = _when("Start")
    ends_at = _when("End")
    venue_name = StringField("Venue", [bounded(200)])
    venue_address = StringField("Venue address", [bounded(300)])
    online_url = StringField(
        "Online link",
        [bounded(500), http_url],
        description="Shown only to confirmed registrants and organizers.",
    )
    registration_opens_at = _when(
        "Registration opens", False, "Leave empty to open registration when the event is published."
    )
    registration_closes_at = _when(
        "Registration closes", False, "Leave empty to close registration when the event starts."
    )
    capacity = IntegerField(
        "Capacity",
        [
            Optional(),
            NumberRange(min=0, max=1_000_000, message="Enter a number of places from 0 up."),
        ],
        description="Leave empty for no limit.",
    )
    submission_deadline = _when(
        "Submissions due", False, "Leave empty for the end of the event. Projects lock then."
    )
    team_formation_closes_at = _when(
        "Teams close",
        False,
        "After this, nobody joins, leaves or moves team. Leave empty for the submission deadline.",
    )
    team_min_size = IntegerField(
        "Smallest team",
        [Optional(), NumberRange(min=1, max=100, message="Enter a team size from 1 to 100.")],
        default=1,
    )
    team_max_size = IntegerField(
        "Largest team",
        [Optional(), NumberRange(min=1, max=100, message="Enter a team size from 1 to 100.")],
        default=5,
    )

    def validate_team_max_size(self, field) -> None:
        smallest = self.team_min_size.data or 1
        if field.errors or self.team_min_size.errors:
            return  # already told: one message per field
        if field.data is not None and field.data < smallest:
            raise ValidationError("The largest team cannot be smaller than the smallest.")

    def validate_timezone(self, field) -> None:
        if not is_zone(field.data or ""):
            raise ValidationError("Choose a time zone from the list, such as America/New_York.")

    def zone(self) -> str:
        return self.timezone.data

    def data_for_service(self) -> dict:
        data = {
            name: (getattr(self, name).data or "").strip()
            for name in (
                "title",
                "slug",
                "kind",
                "summary",
                "description",
                "venue_name",
                "venue_address",
                "online_url",
            )
        }
        data["timezone"] = self.timezone.data
        data["capacity"] = self.capacity.data
        data["team_min_size"] = self.team_min_size.data or 1
        data["team_max_size"] = self.team_max_size.data or max(5, data["team_min_size"])
        data.update({name: self.utc(name) for name in self.time_fields})
        return data


class SessionForm(ZonedForm):
    time_fields = ("starts_at", "ends_at")

    title = StringField("Title", [DataRequired("Enter a title."), bounded(200)])
    kind = SelectField("Kind", choices=[SelectChoice(k.value, k.label) for k in SessionKind])
    starts_at = _when("Start")
    ends_at = _when("End")
    location = StringField("Location", [bounded(200)], description="A room, stage or link name.")
    description = TextAreaField(
        "Description", [bounded(DESCRIPTION_LIMIT)], description="Markdown is allowed."
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event

    def zone(self) -> str:
        return self.event.timezone

    def data_for_service(self) -> dict:
        data = {
            name: (getattr(self, name).data or "").strip()
            for name in ("title", "kind", "location", "description")
        }
        data.update({name: self.utc(name) for name in self.time_fields})
        return data


class PartnerForm(Form):
    name = StringField("Partner name", [DataRequired("Enter the partner's name."), bounded(200)])
    url = StringField("Partner website", [bounded(500), http_url])
    logo_url = StringField(
        "Logo address", [bounded(500), http_url], description="An https address of the logo image."
    )

    def data_for_service(self) -> dict:
        return {
            "name": self.name.data.strip(),
            "url": self.url.data,
            "logo_url": self.logo_url.data,
        }


class OrganizerForm(Form):
    email = EmailField(
        "Email of the new co-organizer",
        [
            DataRequired("Enter an email address."),
            Email("Enter an email address like name@example.org."),
            bounded(254),
        ],
    )
