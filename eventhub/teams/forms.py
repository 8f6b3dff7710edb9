"""Team, invite, join-code, board and join-request forms. Shape and bounds here; rules that
need the database (unique name, registration, seats, deadlines) are the services'."""

from __future__ import annotations

from wtforms import BooleanField, EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, ValidationError

from eventhub.forms import Form, bounded


def _printable(value: str) -> str:
    """Control characters (a NUL byte, which PostgreSQL refuses in text) are never typed on
    purpose; drop them rather than fail the request. Line breaks stay."""
    return "".join(c for c in value if c.isprintable() or c in "\n\t")


def _stripped(value):
    return " ".join(_printable(value).split()) if isinstance(value, str) else value


def _text(value):
    return _printable(value).strip() if isinstance(value, str) else value


SKILLS_HINT = "Separate with commas, for example: Python, maps, design, civic policy."


class TeamForm(Form):
    name = StringField(
        "Team name",
        [DataRequired("Enter a name for the team."), bounded(80, 2)],
        filters=[_stripped],
    )
    description = TextAreaField("What the team is working on", [bounded(500)], filters=[_text])
    needs_skills = StringField(
        "Skills the team needs", [bounded(300)], filters=[_stripped], description=SKILLS_HINT
    )

    def data_for_service(self) -> dict:
        return {
            "name": self.name.data,
            "description": self.description.data or "",
            "needs_skills": self.needs_skills.data or "",
        }


class TeamDetailsForm(TeamForm):
    """The captain edits what the team is about; the name stays what people know it by."""

    name = None

    def data_for_service(self) -> dict:
        return {
            "description": self.description.data or "",
            "needs_skills": self.needs_skills.data or "",
        }


class JoinCodeForm(Form):
    code = StringField(
        "Invite code",
        [DataRequired("Enter the invite code the team gave you."), bounded(32)],
        filters=[_text],
        description="The captain sees it on the team's page.",
    )

    def data_for_service(self) -> str:
        return self.code.data


class InviteForm(Form):
    email = EmailField(
        "Email address",
        [
            DataRequired("Enter the email address to invite."),
            bounded(254),
            Email("Enter an email address like name@example.org."),
        ],
        filters=[_text],
        description="We email them the team's invite link.",
    )

    def data_for_service(self) -> str:
        return self.email.data


CHOOSE_MEMBER = "Choose one of the team's members."


class MemberField(SelectField):
    """A member's user id from the list; anything else (a stale or made-up id, text) gets one
    plain message instead of WTForms' "Not a valid choice"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.type = "SelectField"  # the field macro renders it as the select it is

    def process_formdata(self, valuelist):
        text = valuelist[0].strip() if valuelist else ""
        self.data = int(text) if text.isdigit() and len(text) < 12 else None

    def pre_validate(self, form):
        if self.data not in {value for value, _ in self.choices}:
            raise ValidationError(CHOOSE_MEMBER)


class CaptainForm(Form):
    member = MemberField("New captain", coerce=int)

    def __init__(self, *args, team=None, **kwargs):
        super().__init__(*args, **kwargs)
        members = [m for m in team.current_members if m.user_id != team.captain_id] if team else []
        self.member.choices = [(m.user_id, m.user.name) for m in members]

    def data_for_service(self) -> int:
        return self.member.data


class BoardEntryForm(Form):
    looking = BooleanField("I am looking for a team", default=True)
    skills = StringField(
        "Skills you bring", [bounded(300)], filters=[_stripped], description=SKILLS_HINT
    )
    interests = StringField(
        "Interests",
        [bounded(300)],
        filters=[_stripped],
        description="Topics or challenges you care about.",
    )
    line = StringField(
        "A line about you", [bounded(200)], filters=[_stripped], description="One sentence."
    )

    def data_for_service(self) -> dict:
        return {
            "looking": bool(self.looking.data),
            "skills": self.skills.data or "",
            "interests": self.interests.data or "",
            "line": self.line.data or "",
        }


class JoinRequestForm(Form):
    message = TextAreaField(
        "Message to the captain",
        [bounded(1000)],
        filters=[_text],
        description="Optional: what you would bring to the team.",
    )

    def data_for_service(self) -> str:
        return self.message.data or ""
