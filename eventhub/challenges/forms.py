"""Challenge, prize and dataset-picker forms. Shape and bounds here; rules that need the
database or more than one field (unique slug, amount or kind) are the services'."""

from __future__ import annotations

import re

from wtforms import IntegerField, SearchField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional, ValidationError
from wtforms.widgets import TextInput

from eventhub.forms import Form, bounded

STATEMENT_LIMIT = 20_000
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_ID = 2**31 - 1  # beyond any row id: a bigger number is a typo, not a lookup
MAX_DOLLARS = 100_000_000
PICK_FROM_RESULTS = "Choose a dataset from the search results."


def _stripped(value):
    return value.strip() if isinstance(value, str) else value


def challenge_slug(form, field) -> None:
    field.data = (field.data or "").lower()
    if not SLUG.match(field.data):
        raise ValidationError(
            "Use lowercase letters, digits and single hyphens, for example flood-risk-map."
        )


class ChallengeForm(Form):
    title = StringField(
        "Title", [DataRequired("Enter a title."), bounded(200)], filters=[_stripped]
    )
    slug = StringField(
        "Web address",
        [DataRequired("Enter a web address."), bounded(80, 3), challenge_slug],
        filters=[_stripped],
        description="The last part of the challenge's address: …/challenges/your-text.",
    )
    summary = StringField(
        "Summary",
        [bounded(300)],
        filters=[_stripped],
        description="One or two sentences for the event page.",
    )
    sponsor = StringField(
        "Sponsor",
        [bounded(200)],
        filters=[_stripped],
        description="The agency or organization that poses the challenge.",
    )
    problem_statement = TextAreaField(
        "Problem statement",
        [bounded(STATEMENT_LIMIT)],
        filters=[_stripped],
        description="Markdown: **bold**, _italic_, [links](https://...), lists.",
    )
    eligibility = TextAreaField(
        "Eligibility",
        [bounded(5_000)],
        filters=[_stripped],
        description="Who may compete for the prizes. Markdown is allowed.",
    )

    def data_for_service(self) -> dict:
        return {
            name: getattr(self, name).data or ""
            for name in ("title", "slug", "summary", "sponsor", "problem_statement", "eligibility")
        }


class DollarsField(IntegerField):
    """Whole dollars as people type them: "$5,000" is 5000; cents are refused, not rounded."""

    widget = TextInput()

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = valuelist[0].strip().replace(",", "").replace("$", "").strip()
        if not text:
            self.data = None
            return
        if not re.fullmatch(r"-?\d{1,12}", text):
            self.data = None
            raise ValueError("Enter a whole number of dollars, such as 5000.")
        self.data = int(text)


def dollars_range(form, field) -> None:
    if field.data is not None and not 0 <= field.data <= MAX_DOLLARS:
        raise ValidationError("Enter a whole number of dollars from 0 up.")


class PrizeForm(Form):
    name = StringField(
        "Prize name",
        [DataRequired("Enter the prize's name, such as First place."), bounded(200)],
        filters=[_stripped],
    )
    amount = DollarsField(
        "Amount in US dollars",
        [
            Optional(),
            dollars_range,
        ],
        description="Whole dollars. Leave empty for a prize that is not cash.",
        render_kw={"inputmode": "numeric"},
    )
    kind = StringField(
        "Kind of prize",
        [bounded(120)],
        filters=[_stripped],
        description="For prizes that are not cash, such as Cloud credits or Mentoring.",
    )
    winners = IntegerField(
        "Number of winners",
        [
            InputRequired("Enter the number of winners."),
            NumberRange(min=1, max=1000, message="Enter a number of winners from 1 to 1000."),
        ],
        default=1,
    )
    description = TextAreaField("Description", [bounded(2_000)], filters=[_stripped])

    def data_for_service(self) -> dict:
        return {
            "name": self.name.data,
            "description": self.description.data or "",
            "amount": self.amount.data,
            "kind": self.kind.data or "",
            "winners": self.winners.data,
        }


class DatasetSearchForm(Form):
    """The picker's GET search: no CSRF, since it changes nothing and must be bookmarkable."""

    class Meta:
        csrf = False

    q = SearchField(
        "Search the dataset catalog",
        [bounded(200)],
        filters=[_stripped],
        description="Words from a dataset's title, description, keywords or publisher.",
    )


class DatasetIdField(IntegerField):
    """The id a picker's "Add" button sends; anything else was not one of its results."""

    def process_formdata(self, valuelist):
        text = valuelist[0].strip() if valuelist else ""
        self.data = int(text) if text.isdigit() and 0 < int(text) <= MAX_ID else None
        if text and self.data is None:
            raise ValueError(PICK_FROM_RESULTS)


class DatasetLinkForm(Form):
    dataset_id = DatasetIdField("Dataset", [InputRequired(PICK_FROM_RESULTS)])

    def data_for_service(self) -> int:
        return self.dataset_id.data
