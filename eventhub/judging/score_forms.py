"""Judging forms: the score sheet (one radio group per criterion of the entry's rubric), a
recusal, the organizer's assignment actions, and the pairwise screen's buttons.

Shape and bounds here; the services check what needs the database (assignment, conflicts,
the window, the criterion's own scale) again, so a form is never the only guard.
"""

from __future__ import annotations

from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, InputRequired, NumberRange

from eventhub.forms import Form, bounded
from eventhub.http import id_arg
from eventhub.judging.scoring import names

TEXT_LIMIT = 5000


def _stripped(value):
    return value.strip() if isinstance(value, str) else value


def criterion_field(criterion) -> str:
    return f"criterion_{criterion.id}"


def level_sentence(criterion, level: int) -> str:
    index = level - criterion.scale_min
    levels = criterion.levels or []
    return levels[index] if 0 <= index < len(levels) and levels[index] else f"Level {level}"


class SheetForm(Form):
    comment_for_team = TextAreaField(
        "Comment for the team",
        [bounded(TEXT_LIMIT)],
        filters=[_stripped],
        description="The team reads this with its results, without your name.",
    )
    note_for_organizers = TextAreaField(
        "Private note for the organizers",
        [bounded(TEXT_LIMIT)],
        filters=[_stripped],
        description="Only the organizers see this.",
    )

    criteria: list = []

    def criterion_fields(self):
        return [(c, self[criterion_field(c)]) for c in self.criteria]

    def validate(self, extra_validators=None) -> bool:
        """Every criterion needs a level on its own scale; the message names the missing."""
        valid = super().validate(extra_validators)
        missing = []
        for c, f in self.criterion_fields():
            raw = (f.data or "").strip()
            if not raw:
                missing.append(c.name)
                f.errors = [f"Choose a level for {c.name}."]
            elif not raw.lstrip("-").isdigit() or not c.scale_min <= int(raw) <= c.scale_max:
                f.errors = [f"Choose one of the levels from {c.scale_min} to {c.scale_max}."]
        if missing:
            self.form_errors.append(f"Choose a level for {names(missing)}. Nothing was saved.")
        return valid and not any(f.errors for _, f in self.criterion_fields())

    def data_for_service(self) -> dict:
        return {
            "values": {c.id: int(f.data) for c, f in self.criterion_fields()},
            "comment": self.comment_for_team.data or "",
            "note": self.note_for_organizers.data or "",
        }


def sheet_form(sheet, *, posted: bool) -> SheetForm:
    """A sheet form for the entry's criteria: what was posted, or else the judge's saved
    values (never both: a level left out of a post is missing, not the old one)."""

    class EntrySheet(SheetForm):
        pass

    for c in sheet.criteria:
        choices = [
            SelectChoice(str(level), level_sentence(c, level))
            for level in range(c.scale_min, c.scale_max + 1)
        ]
        setattr(
            EntrySheet,
            criterion_field(c),
            RadioField(c.name, choices=choices, validate_choice=False),
        )
    EntrySheet.criteria = sheet.criteria
    initial = {
        criterion_field(c): str(v)
        for c in sheet.criteria
        if (v := sheet.values.get(c.id)) is not None
    }
    if sheet.review is not None:
        initial["comment_for_team"] = sheet.review.comment_for_team
        initial["note_for_organizers"] = sheet.review.note_for_organizers
    return EntrySheet() if posted else EntrySheet(data=initial)


class RecuseForm(Form):
    reason = TextAreaField(
        "Why you are stepping away",
        [DataRequired("Say briefly why you recuse yourself, for the organizers."), bounded(300)],
        filters=[_stripped],
        description="For example: “I advised this team” or “a relative is on it”. "
        "Your scores for this entry are deleted.",
    )

    def data_for_service(self) -> dict:
        return {"reason": self.reason.data}


# --- organizer: assignment ------------------------------------------------------------------


class AssignForm(Form):
    """ "Assign" tops up; "Start over" (mode=start_over) needs its box ticked."""

    mode = HiddenField("Mode")
    start_over = BooleanField("Yes, remove every pair that has no scores yet, then assign again")

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if self.mode.data == "start_over" and not self.start_over.data:
            self.form_errors.append("Tick the box to confirm starting over. Nothing was changed.")
            return False
        return True

    def data_for_service(self) -> dict:
        return {"start_over": self.mode.data == "start_over" and bool(self.start_over.data)}


class PairForm(Form):
    # The service says which judges and entries are the event's (and why a pair is refused).
    judge_id = SelectField(
        "Judge", [InputRequired("Choose a judge.")], coerce=id_arg, validate_choice=False
    )
    submission_id = SelectField(
        "Entry", [InputRequired("Choose an entry.")], coerce=id_arg, validate_choice=False
    )

    def __init__(self, *args, judges=(), entries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.judge_id.choices = [SelectChoice(user.id, user.name) for user in judges]
        self.submission_id.choices = [SelectChoice(s.id, s.title) for s in entries]

    def data_for_service(self) -> dict:
        return {"judge_id": self.judge_id.data, "submission_id": self.submission_id.data}


class RemovePairForm(Form):
    confirm = BooleanField("Also delete this judge's scores for the entry")

    def data_for_service(self) -> dict:
        return {"confirm": bool(self.confirm.data)}


# --- pairwise round -------------------------------------------------------------------------

CHOICES = ("start", "next", "previous", "current", "skip")


class CompareForm(Form):
    """The pairwise screen's buttons. ``current`` is the entry the screen showed: a vote from
    a stale screen (another tab, a double tap) is refused instead of judging the wrong pair."""

    choice = StringField("Choice", [AnyOf(CHOICES, message="Use one of the buttons.")])
    current = HiddenField("Current entry")

    def data_for_service(self) -> dict:
        current = (self.current.data or "").strip()
        return {"choice": self.choice.data, "current": int(current) if current.isdigit() else None}


class FinalistsForm(Form):
    count = IntegerField(
        "How many entries go on to the final",
        [
            InputRequired("Enter how many entries go on."),
            NumberRange(min=1, max=500, message="Enter a number from 1 to 500."),
        ],
    )
    confirm = BooleanField("Replace the finalists even though rubric scores exist")

    def data_for_service(self) -> dict:
        return {"count": self.count.data, "confirm": bool(self.confirm.data)}
