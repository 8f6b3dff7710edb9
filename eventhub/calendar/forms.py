"""The personal feed's one setting: when its items remind the person."""

from wtforms import SelectChoice, SelectField

from eventhub.forms import Form

REMINDER_CHOICES = [
    SelectChoice("none", "No reminders"),
    SelectChoice("1h", "1 hour before"),
    SelectChoice("1d", "1 day before"),
]


class ReminderForm(Form):
    reminder = SelectField(
        "Reminders",
        choices=REMINDER_CHOICES,
        default="none",
        description="Your calendar app shows an alert this long before each item.",
        validate_choice=True,
    )

    def data_for_service(self) -> dict:
        return {"reminder": self.reminder.data}
