"""Demo-day forms. Shape and bounds here; the rules that need the event or the running order
(the start window, positions in the order) are the services'."""

from __future__ import annotations

import re

from wtforms import BooleanField, IntegerField, StringField
from wtforms.validators import DataRequired, StopValidation

from eventhub.demoday.services import MAX_MINUTES, start_window_text
from eventhub.events.forms import TIME_FORMAT, ZonedForm
from eventhub.forms import Form, LocalDateTimeField, bounded

WHOLE = re.compile(r"^-?\d{1,9}$")


def _stripped(value):
    return value.strip() if isinstance(value, str) else value


class WholeNumberField(IntegerField):
    """A whole number within bounds, with one message for every way to miss them (empty,
    text, 0, 500), instead of WTForms' "Not a valid integer value." beside a second one."""

    def __init__(self, label, low: int, high: int, message: str, required=True, **kwargs):
        kwargs.setdefault("render_kw", {"min": low, "max": high, "inputmode": "numeric"})
        super().__init__(label, **kwargs)
        self.low, self.high, self.message, self.required = low, high, message, required
        self.flags.required = required

    def process_formdata(self, valuelist):
        if valuelist:
            text = (valuelist[0] or "").strip()
            self.data = int(text) if WHOLE.match(text) else None
            self.typed = text

    def pre_validate(self, form):
        typed = getattr(self, "typed", None)
        if self.data is None and not typed and not self.required:
            return
        if self.data is None or not self.low <= self.data <= self.high:
            raise StopValidation(self.message)


def _minutes(label: str, low: int = 1, description: str = "") -> WholeNumberField:
    return WholeNumberField(
        label,
        low,
        MAX_MINUTES,
        f"Enter a whole number of minutes from {low} to {MAX_MINUTES}.",
        description=description,
    )


class SettingsForm(ZonedForm):
    time_fields = ("starts_at",)

    starts_at = LocalDateTimeField("Start", [DataRequired("Enter the start.")], format=TIME_FORMAT)
    slot_minutes = _minutes(
        "Slot length (minutes)",
        description="Each presentation's length. Changing it changes every presentation that "
        "still has the old length; a length set on one slot is kept.",
    )
    location = StringField(
        "Location", [bounded(200)], filters=[_stripped], description="Such as Main hall."
    )

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.starts_at.description = (
            f"In the event's time zone, {event.timezone}. Allowed {start_window_text(event)}."
        )

    def zone(self) -> str:
        return self.event.timezone

    def data_for_service(self) -> dict:
        return {
            "starts_at": self.utc("starts_at"),
            "slot_minutes": self.slot_minutes.data,
            "location": self.location.data or "",
        }


class BuildForm(Form):
    break_minutes = _minutes(
        "Break between challenges (minutes)",
        low=0,
        description="0 for no breaks. You can remove or change each break afterwards.",
    )
    confirm = BooleanField("Replace the running order (its changes and breaks are lost)")

    def data_for_service(self) -> dict:
        return {"break_minutes": self.break_minutes.data, "confirm": self.confirm.data}


class SlotForm(Form):
    """One slot's line on the organizer's page; built with ``prefix`` so every line's
    fields have their own names and ids."""

    position = WholeNumberField(
        "Position",
        1,
        10_000,
        "Enter the position as a whole number, 1 for first.",
        required=False,
    )
    minutes = _minutes("Minutes")
    title = StringField("Title", [bounded(200)], filters=[_stripped])

    def data_for_service(self) -> dict:
        return {
            "position": self.position.data,
            "minutes": self.minutes.data,
            "title": self.title.data or "",
        }


class BreakForm(Form):
    after = WholeNumberField(
        "After slot number",
        0,
        10_000,
        "Enter the number of the slot the break follows, 0 to put it first.",
        description="The number shown before each slot; 0 puts the break first.",
    )
    title = StringField(
        "Title", [bounded(200)], filters=[_stripped], description="Such as Coffee break."
    )
    minutes = _minutes("Minutes")

    def data_for_service(self) -> dict:
        return {"after": self.after.data, "title": self.title.data, "minutes": self.minutes.data}
