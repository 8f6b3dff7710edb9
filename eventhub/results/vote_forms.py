"""The people's choice ballot. The form knows only the shape of a choice; which entries may be
chosen (the event's, submitted, not one's own team's) is the voting service's rule."""

from __future__ import annotations

from wtforms import RadioField
from wtforms.validators import InputRequired

from eventhub.forms import Form


def _entry_id(value) -> int:
    """A tampered value (not a small whole number) becomes 0, which the service refuses with
    its own message."""
    text = str(value).strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else 0


class VoteForm(Form):
    submission_id = RadioField(
        "Your vote",
        [InputRequired("Choose the project you vote for.")],
        coerce=_entry_id,
        validate_choice=False,  # the service says which entries may be chosen
    )

    def __init__(self, *args, entries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.submission_id.choices = [(e.id, e.title) for e in entries]

    def data_for_service(self) -> dict:
        return {"submission_id": self.submission_id.data}
