"""Results forms. Their shape only; whether two entries are tied, whether a project may win a
prize and whether results may be published are the services' rules.

The organizer page holds one tie form per ranking and one prize form per challenge, so
each form's fields carry a prefix (tie forms) or the prize's id (prize forms) and element
ids stay unique on the page. Which form was sent is read from a plain hidden field
(``ranking``, ``challenge_id``) before the form is built.
"""

from __future__ import annotations

from markupsafe import Markup, escape
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, Optional
from wtforms.widgets import Select, html_params

from eventhub.events.forms import TIME_FORMAT, ZonedForm
from eventhub.forms import Form, bounded


def entry_id(value) -> int:
    """A tampered value (not a small whole number) becomes 0, which the services refuse."""
    text = str(value).strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else 0


def ranking_key(value: str | None) -> int | None | bool:
    """The hidden ``ranking`` field: "overall" (None) or a challenge id; False if neither."""
    if value == "overall":
        return None
    number = entry_id(value or "")
    return number or False


class QuickSelect(Select):
    """WTForms' select with each option written by one f-string: the tie form of a large
    event lists a thousand projects, and the stock widget spends milliseconds per option."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        if "required" not in kwargs and "required" in getattr(field, "flags", []):
            kwargs["required"] = True
        options = "".join(
            f'<option value="{escape(value)}"{" selected" if selected else ""}>'
            f"{escape(label)}</option>"
            for value, label, selected, *_ in field.iter_choices()
        )
        return Markup(f"<select {html_params(name=field.name, **kwargs)}>{options}</select>")


def _stripped(value):
    return value.strip() if isinstance(value, str) else value


class TieBreakForm(Form):
    above_id = SelectField(
        "Place first", coerce=entry_id, validate_choice=False, widget=QuickSelect()
    )
    below_id = SelectField(
        "Place second", coerce=entry_id, validate_choice=False, widget=QuickSelect()
    )
    reason = TextAreaField(
        "Reason",
        [
            DataRequired("Give the reason for this order: it is shown with the results."),
            bounded(500),
        ],
        filters=[_stripped],
        description="Shown with the results, such as “Judges preferred its use of city data”.",
    )

    def __init__(self, *args, ranking=None, **kwargs):
        kwargs.setdefault("prefix", f"tie-{ranking.slug}" if ranking is not None else "tie")
        super().__init__(*args, **kwargs)
        self.ranking = ranking
        tied = ranking.tied_entries if ranking is not None else []
        choices = [SelectChoice(0, "Choose a project")] + [
            SelectChoice(e.id, f"{e.title} ({e.team_name})") for e in tied
        ]
        self.above_id.choices = choices
        self.below_id.choices = list(choices)

    def validate_above_id(self, field) -> None:
        if not field.data:
            raise ValidationError("Choose the project to place first.")

    def validate_below_id(self, field) -> None:
        if not field.data:
            raise ValidationError("Choose the project to place second.")

    def data_for_service(self) -> dict:
        return {
            "ranking": self.ranking.key if self.ranking is not None else None,
            "above_id": self.above_id.data,
            "below_id": self.below_id.data,
            "reason": self.reason.data,
        }


class _PrizeForm(Form):
    """Base of the per-challenge prize form that prize_form builds."""

    prize_ids: tuple[int, ...] = ()

    def data_for_service(self) -> dict:
        return {
            "picks": {
                prize_id: [e for e in (getattr(self, f"prize_{prize_id}").data or []) if e]
                for prize_id in self.prize_ids
            }
        }


def prize_form(challenge, entries, awards: dict[int, list], **kwargs) -> _PrizeForm:
    """A form with one group of checkboxes per prize of the challenge. ``entries``: the
    projects offered (the challenge's, in ranking order), ``awards``: prize id -> the
    entries holding it now (the boxes ticked on a fresh page)."""
    choices = [SelectChoice(e.id, f"{e.title} ({e.team_name})") for e in entries]
    fields = {"prize_ids": tuple(p.id for p in challenge.prizes)}
    for prize in challenge.prizes:
        word = "winner" if prize.winners == 1 else "winners"
        fields[f"prize_{prize.id}"] = SelectMultipleField(
            prize.name,
            coerce=entry_id,
            choices=choices,
            validate_choice=False,  # the service says which projects may win
            default=[e.id for e in awards.get(prize.id, [])],
            description=f"Up to {prize.winners} {word}.",
        )  # shown as checkboxes, written out by templates/results/organize.html
    form_class = type(f"PrizeForm{challenge.id}", (_PrizeForm,), fields)
    return form_class(**kwargs)


class PublishForm(Form):
    """Publishing and taking results down both ask for a tick first."""

    confirm = BooleanField(
        "I have checked the rankings, the tie-breaks and the prizes.",
        [DataRequired("Tick the box to confirm.")],
    )

    def __init__(self, *args, publish: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not publish:
            self.confirm.label.text = "Take the public results page down."

    def data_for_service(self) -> dict:
        return {}


class ReopenForm(ZonedForm):
    """Reopening judging after publication: a tick, and when judging closes again."""

    time_fields = ("closes_at",)

    confirm = BooleanField(
        "Take the results down and let judges change their scores again.",
        [DataRequired("Tick the box to confirm.")],
    )
    closes_at = DateTimeLocalField(
        "Judging closes",
        [Optional()],
        format=TIME_FORMAT,
        description="Leave empty to keep judging open until you publish the results again.",
    )

    def __init__(self, *args, zone: str = "UTC", **kwargs):
        kwargs.setdefault("prefix", "reopen")
        super().__init__(*args, **kwargs)
        self._zone = zone
        self.closes_at.description = f"{self.closes_at.description} In {zone}."

    def zone(self) -> str:
        return self._zone

    def data_for_service(self) -> dict:
        return {"closes_at": self.utc("closes_at")}
