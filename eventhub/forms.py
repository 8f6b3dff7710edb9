"""Form pieces shared by every domain."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, ValidationError
from wtforms.validators import Length


class Form(FlaskForm):
    """Base form. ``add_error`` puts a service's DomainError beside its field."""

    def add_error(self, message: str, field: str | None = None) -> None:
        target = getattr(self, field, None) if field else None
        if target is not None:
            target.errors = list(target.errors) + [message]
        else:
            self.form_errors.append(message)


class ActionForm(Form):
    """A button-only form for POST actions: CSRF is its whole content."""


def http_url(form, field) -> None:
    value = (field.data or "").strip()
    if value and not value.lower().startswith(("http://", "https://")):
        raise ValidationError("Enter a web address starting with https:// or http://.")
    field.data = value


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
