"""Form pieces shared by every domain."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, FieldList, FormField, TextAreaField, ValidationError
from wtforms.validators import Length

from eventhub import safetext

CONTROL_MESSAGE = (
    "This held invisible control characters, which cannot be saved. They have been taken "
    "out: check the text and send it again."
)
LINE_BREAK_MESSAGE = (
    "This must be one line. The line breaks have been taken out: check the text and send it again."
)


class Form(FlaskForm):
    """Base form. ``add_error`` puts a service's DomainError beside its field.

    Every field of every form is checked for control characters before its own validators
    run (they may query the database, which must never see a NUL): a text area may hold
    tabs and line breaks, any other field only tabs. A field that held others gets them
    taken out of what is shown again, and an error beside it; the form does not validate.
    """

    def validate(self, extra_validators=None) -> bool:
        refused = _take_out_control_characters(self)
        valid = super().validate(extra_validators)
        for field, message in refused:
            field.errors = [message, *(e for e in field.errors if e != message)]
        return valid and not refused

    def add_error(self, message: str, field: str | None = None) -> None:
        target = getattr(self, field, None) if field else None
        if target is not None:
            target.errors = list(target.errors) + [message]
        else:
            self.form_errors.append(message)


def _fields(form):
    for field in form:
        if isinstance(field, FormField):
            yield from _fields(field.form)
        elif isinstance(field, FieldList):
            for entry in field.entries:
                yield from _fields(entry.form) if isinstance(entry, FormField) else [entry]
        else:
            yield field


def _take_out_control_characters(form) -> list[tuple[object, str]]:
    """(field, message) for each field whose input held refused characters, now cleaned."""
    refused = []
    for field in _fields(form):
        multiline = isinstance(field, TextAreaField)
        raw = [v for v in (field.raw_data or []) if isinstance(v, str)]
        bad = [v for v in raw if safetext.has_control(v, multiline=multiline)]
        if not bad:
            continue
        breaks_only = not multiline and all(safetext.only_line_breaks(v) for v in bad)
        refused.append((field, LINE_BREAK_MESSAGE if breaks_only else CONTROL_MESSAGE))
        field.raw_data = [
            safetext.strip_control(v, multiline=multiline) if isinstance(v, str) else v
            for v in field.raw_data
        ]
        if isinstance(field.data, str):
            field.data = safetext.strip_control(field.data, multiline=multiline)
        elif isinstance(field.data, list):
            field.data = [
                safetext.strip_control(v, multiline=multiline) if isinstance(v, str) else v
                for v in field.data
            ]
    return refused


class ActionForm(Form):
    """A button-only form for POST actions: CSRF is its whole content."""


def http_url(form, field) -> None:
    """Every address a person types obeys the rule stored addresses are linked by."""
    value = (field.data or "").strip()
    if value and safetext.web_url(value) is None:
        raise ValidationError("Enter a web address starting with https:// or http://.")
    field.data = safetext.web_url(value) or ""


def search_words(value: str | None, limit: int = 200) -> str:
    """What a GET search box asked for, as a query may carry it: a search changes nothing,
    so control characters and line breaks are taken out rather than refused (the box then
    shows what was searched for)."""
    return safetext.strip_control(value or "").strip()[:limit]


def bounded(maximum: int, minimum: int = 0) -> Length:
    if minimum:
        return Length(
            min=minimum, max=maximum, message=f"Use between {minimum} and {maximum} characters."
        )
    return Length(max=maximum, message=f"Use at most {maximum} characters.")


class LocalDateTimeField(DateTimeLocalField):
    """A wall-clock time typed in an event's zone. Its year is kept to 1900-2999: at the ends
    of what Python's datetimes hold (years 1 and 9999) moving it to UTC overflows."""

    FIRST_YEAR, LAST_YEAR = 1900, 2999

    def pre_validate(self, form) -> None:
        if self.data is not None and not self.FIRST_YEAR <= self.data.year <= self.LAST_YEAR:
            raise ValidationError(
                f"Enter a date between the years {self.FIRST_YEAR} and {self.LAST_YEAR}."
            )
