"""Forms for setting judging up: the rubric (a list of criterion rows), the settings, judge
invitations, and a judge's affiliations and declared conflicts.

Shape and bounds here, with messages naming the row or address at fault; rules over the
whole rubric, over saved rows and over time windows are the services'.
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from wtforms import (
    BooleanField,
    FieldList,
    FloatField,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms import Form as SubForm
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from eventhub.accounts.models import lower_email
from eventhub.events.forms import TIME_FORMAT, ZonedForm
from eventhub.forms import Form, LocalDateTimeField, bounded
from eventhub.judging import rubric
from eventhub.judging.models import SCORE_CEILING, SCORE_FLOOR

BLANK_ROWS = 2
MAX_INVITES = 50


def _printable(value: str) -> str:
    """Control characters (a NUL byte, which PostgreSQL refuses) are dropped; lines stay."""
    return "".join(c for c in value if c.isprintable() or c in "\n\t")


def _line(value):
    return " ".join(_printable(value).split()) if isinstance(value, str) else value


def _text(value):
    return _printable(value).strip() if isinstance(value, str) else value


def _id(value) -> int:
    """A chosen row's id; anything else is "nothing chosen" (the form then says so)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


class WeightField(FloatField):
    def _value(self) -> str:
        if not self.raw_data and isinstance(self.data, float):
            return f"{self.data:g}"
        return super()._value()


def _in_range(low: int, high: int, message: str):
    """NumberRange, quiet where the value did not even read as a number (already said)."""
    inner = NumberRange(low, high, message)

    def check(form, field) -> None:
        if not field.process_errors:
            inner(form, field)

    return check


def _level(label: str, default: int) -> IntegerField:
    message = f"Enter a whole number from {SCORE_FLOOR} to {SCORE_CEILING}."
    return IntegerField(
        label,
        [InputRequired(message), _in_range(SCORE_FLOOR, SCORE_CEILING, message)],
        default=default,
        invalid_value_message=message,
    )


# --- rubric -----------------------------------------------------------------------------


class CriterionForm(SubForm):
    """One criterion row. A new row left empty is ignored, so the page can offer spare rows."""

    criterion_id = HiddenField()
    position = IntegerField(
        "Order",
        [Optional(), _in_range(1, 999, "Enter a number from 1 to 999.")],
        invalid_value_message="Enter a number from 1 to 999.",
        description="Criteria are listed from the lowest number up.",
    )
    name = StringField("Name", [bounded(120)], filters=[_line])
    description = TextAreaField("What judges look for", [bounded(2000)], filters=[_text])
    weight = WeightField(
        "Weight",
        [InputRequired("Enter a weight above 0, such as 1, 2 or 0.5.")],
        default=1.0,
        invalid_value_message="Enter the weight as a number above 0, such as 1, 2 or 0.5.",
        description="Relative: weights are turned into shares of 100%.",
        render_kw={"step": "any", "min": "0"},
    )
    scale_min = _level("Lowest level", 1)
    scale_max = _level("Highest level", 5)
    levels = TextAreaField(
        "What each level means",
        filters=[_text],
        description="One sentence per line, from the lowest level to the highest.",
    )
    breaks_ties = BooleanField("Use this criterion to break ties")
    remove = BooleanField("Remove this criterion")

    def saved_id(self) -> int | None:
        text = (self.criterion_id.data or "").strip()
        return int(text) if text.isdigit() else None

    def is_blank(self) -> bool:
        return self.saved_id() is None and not (
            self.name.data or self.description.data or self.levels.data
        )

    def level_lines(self) -> list[str]:
        return [line.strip() for line in (self.levels.data or "").rstrip().splitlines()]

    def validate(self, extra_validators=None) -> bool:
        if self.is_blank() or (self.remove.data and self.saved_id() is not None):
            return True
        return super().validate(extra_validators)

    def validate_name(self, field) -> None:
        if not field.data:
            hint = " (or tick “Remove this criterion”)" if self.saved_id() else ""
            raise ValidationError(f"Enter the criterion's name{hint}.")

    def validate_weight(self, field) -> None:
        if field.data is not None:
            problem = rubric.weight_problem(field.data)
            if problem:
                raise ValidationError(problem)

    def validate_scale_max(self, field) -> None:
        if self.scale_min.errors or field.errors or self.scale_min.data is None:
            return
        if field.data is not None and field.data <= self.scale_min.data:
            raise ValidationError("The highest level must be above the lowest.")

    def validate_levels(self, field) -> None:
        low, high = self.scale_min.data, self.scale_max.data
        if self.scale_min.errors or self.scale_max.errors or low is None or high is None:
            return
        if rubric.scale_problem(low, high):
            return  # told beside the scale
        problem = rubric.level_problem(low, high, self.level_lines())
        if problem:
            raise ValidationError(problem)

    def data_for_service(self) -> dict:
        return {
            "id": self.saved_id(),
            "name": self.name.data,
            "description": self.description.data or "",
            "weight": self.weight.data,
            "scale_min": self.scale_min.data,
            "scale_max": self.scale_max.data,
            "levels": self.level_lines(),
            "breaks_ties": self.breaks_ties.data,
        }


class RubricForm(Form):
    criteria = FieldList(FormField(CriterionForm), max_entries=rubric.MAX_CRITERIA + BLANK_ROWS)
    confirm = BooleanField("I understand")

    def __init__(self, *args, scored: rubric.Scored | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.scored = scored or rubric.Scored(0, 0)
        self.confirm.label.text = (
            f"I understand {self.scored.sentence()}; removing a criterion deletes its scores."
        )

    @classmethod
    def showing(cls, criteria: list[dict], scored: rubric.Scored) -> RubricForm:
        """The form as a GET shows it: the criteria, then spare rows to add to them."""
        rows = [
            {
                "criterion_id": str(c["id"] or ""),
                "position": i + 1,
                "name": c["name"],
                "description": c["description"],
                "weight": c["weight"],
                "scale_min": c["scale_min"],
                "scale_max": c["scale_max"],
                "levels": "\n".join(c["levels"]),
                "breaks_ties": c["breaks_ties"],
            }
            for i, c in enumerate(criteria)
        ]
        form = cls(formdata=None, data={"criteria": rows}, scored=scored)
        for n in range(BLANK_ROWS):
            form.criteria.append_entry({"position": len(rows) + n + 1})
        return form

    def kept_rows(self) -> list[tuple[int, CriterionForm]]:
        """(index, row) of the rows to save, in the order asked for."""
        rows = [
            (i, entry.form)
            for i, entry in enumerate(self.criteria.entries)
            if not entry.form.is_blank() and not entry.form.remove.data
        ]
        return sorted(rows, key=lambda pair: (pair[1].position.data or pair[0] + 1, pair[0]))

    def shares(self) -> dict[int, str]:
        """Row index -> its weight's share, for the rows that have a valid weight."""
        rows = [
            (i, row.weight.data)
            for i, row in self.kept_rows()
            if isinstance(row.weight.data, float) and not rubric.weight_problem(row.weight.data)
        ]
        shares = rubric.weight_shares([w for _, w in rows])
        return {i: rubric.percent(s) for (i, _), s in zip(rows, shares, strict=True)}

    def data_for_service(self) -> dict:
        return {
            "criteria": [row.data_for_service() for _, row in self.kept_rows()],
            "confirmed": bool(self.confirm.data),
        }


class ConfirmForm(Form):
    """The copy and remove buttons of a challenge's rubric, confirmed once scores exist."""

    confirm = BooleanField("I understand")

    def __init__(self, *args, scored: rubric.Scored | None = None, what: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.scored = scored or rubric.Scored(0, 0)
        self.confirm.label.text = f"I understand {self.scored.sentence()}; {what}."

    def data_for_service(self) -> dict:
        return {"confirmed": bool(self.confirm.data)}


# --- settings ---------------------------------------------------------------------------


def _when(label: str, description: str) -> LocalDateTimeField:
    return LocalDateTimeField(label, [Optional()], format=TIME_FORMAT, description=description)


class SettingsForm(ZonedForm):
    time_fields = ("opens_at", "closes_at", "voting_opens_at", "voting_closes_at")

    judges_per_entry = IntegerField(
        "Judges per entry",
        [
            InputRequired("Enter how many judges score each entry, from 1 to 20."),
            _in_range(1, 20, "Enter a number of judges from 1 to 20."),
        ],
        default=3,
        invalid_value_message="Enter a number of judges from 1 to 20.",
        description="Each entry gets at least this many judges, as far as there are judges.",
    )
    opens_at = _when("Judging opens", "Leave empty to open judging at the submission deadline.")
    closes_at = _when("Judging closes", "Leave empty to keep judging open until results are out.")
    pairwise = BooleanField("Hold a pairwise first round")
    finalists = IntegerField(
        "Finalists",
        [
            InputRequired("Enter how many entries go on to the final, from 1 to 500."),
            _in_range(1, 500, "Enter a number of finalists from 1 to 500."),
        ],
        default=10,
        invalid_value_message="Enter a number of finalists from 1 to 500.",
        description="With a pairwise round: how many entries go on to the rubric final.",
    )
    voting_opens_at = _when("People's choice voting opens", "Leave both empty for no vote.")
    voting_closes_at = _when("People's choice voting closes", "Leave both empty for no vote.")

    def __init__(self, *args, zone: str = "UTC", **kwargs):
        super().__init__(*args, **kwargs)
        self._zone = zone
        for name in self.time_fields:
            field = getattr(self, name)
            field.description = f"{field.description} In {zone}."

    def zone(self) -> str:
        return self._zone

    def data_for_service(self) -> dict:
        data = {name: self.utc(name) for name in self.time_fields}
        data.update(
            judges_per_entry=self.judges_per_entry.data,
            pairwise=bool(self.pairwise.data),
            finalists=self.finalists.data,
        )
        return data


# --- judges -----------------------------------------------------------------------------


def split_addresses(text: str) -> list[str]:
    """Addresses one per line (commas and semicolons work too), without repeats."""
    found: list[str] = []
    for part in text.replace(",", "\n").replace(";", "\n").splitlines():
        address = lower_email(part)
        if address and address not in found:
            found.append(address)
    return found


class InviteForm(Form):
    emails = TextAreaField(
        "Email addresses",
        filters=[_text],
        description="One per line. Each person gets an email with their own link.",
    )

    def validate_emails(self, field) -> None:
        addresses = split_addresses(field.data or "")
        if not addresses:
            raise ValidationError("Enter at least one email address.")
        if len(addresses) > MAX_INVITES:
            raise ValidationError(
                f"Invite at most {MAX_INVITES} people at once ({len(addresses)} given)."
            )
        bad = []
        for address in addresses:
            try:
                validate_email(address, check_deliverability=False)
            except EmailNotValidError:
                bad.append(address)
            else:
                if len(address) > 254:
                    bad.append(address)
        if bad:
            which = (
                "This is not an email address" if len(bad) == 1 else "These are not email addresses"
            )
            raise ValidationError(
                f"{which}: {', '.join(bad)}. Correct or remove it, then send again; "
                "nobody was invited."
            )

    def data_for_service(self) -> dict:
        return {"emails": split_addresses(self.emails.data or "")}


class AffiliationsForm(Form):
    affiliations = TextAreaField(
        "Your affiliations",
        [bounded(2000)],
        filters=[_text],
        description="Organizations you work for or with, one per line: employers, clients, "
        "boards, schools. Teams whose members share one are flagged to the organizers.",
    )

    def validate_affiliations(self, field) -> None:
        for line in (field.data or "").splitlines():
            if len(line.strip()) > 200:
                raise ValidationError(f"Keep each line under 200 characters: “{line[:40]}…”.")

    def data_for_service(self) -> dict:
        lines = [" ".join(line.split()) for line in (self.affiliations.data or "").splitlines()]
        return {"affiliations": "\n".join(line for line in lines if line)}


class _ConflictForm(Form):
    reason = StringField(
        "Reason",
        [InputRequired("Say what ties you to them, such as “former employer”."), bounded(300)],
        filters=[_line],
        description="Such as “my employer”, “I advise them”, “family”.",
    )

    def validate_reason(self, field) -> None:
        if not field.data:
            raise ValidationError("Say what ties you to them, such as “former employer”.")


class TeamConflictForm(_ConflictForm):
    team_id = SelectField("Team", coerce=_id, validate_choice=False)

    def __init__(self, *args, teams=(), **kwargs):
        super().__init__(*args, prefix="team", **kwargs)
        self.team_id.choices = [(0, "Choose a team")] + [(t.id, t.name) for t in teams]

    def validate_team_id(self, field) -> None:
        if not field.data:
            raise ValidationError("Choose the team you have a conflict with.")

    def data_for_service(self) -> dict:
        return {"team_id": self.team_id.data, "reason": self.reason.data}


class PersonConflictForm(_ConflictForm):
    person_id = SelectField("Person", coerce=_id, validate_choice=False)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, prefix="person", **kwargs)
        self.person_id.choices = [(0, "Choose a person")] + [
            (user.id, f"{user.name} ({team.name})") for user, team in people
        ]

    def validate_person_id(self, field) -> None:
        if not field.data:
            raise ValidationError("Choose the person you have a conflict with.")

    def data_for_service(self) -> dict:
        return {"person_id": self.person_id.data, "reason": self.reason.data}
