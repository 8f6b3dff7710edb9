from wtforms import BooleanField, EmailField, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, EqualTo

from eventhub.forms import Form, bounded

_email = [
    DataRequired("Enter your email address."),
    Email("Enter an email address like name@example.org."),
    bounded(254),
]


class SignUpForm(Form):
    name = StringField("Full name", [DataRequired("Enter your name."), bounded(120)])
    email = EmailField("Email", _email)
    password = PasswordField(
        "Password",
        [DataRequired("Choose a password.")],
        description="At least 12 characters. A few unrelated words make a strong password.",
    )
    confirm = PasswordField(
        "Repeat password", [EqualTo("password", "The two passwords are not the same.")]
    )


class SignUpConfirmForm(Form):
    """Finishing a sign-up. The password is asked only in another browser than the one that
    signed up (the page leaves the field out otherwise); the service decides."""

    password = PasswordField("The password you chose")


class LoginForm(Form):
    email = EmailField("Email", _email)
    password = PasswordField("Password", [DataRequired("Enter your password.")])


class ProfileForm(Form):
    name = StringField("Full name", [DataRequired("Enter your name."), bounded(120)])
    affiliation = StringField(
        "Affiliation", [bounded(200)], description="Your agency, company, school or group."
    )
    bio = TextAreaField("About you", [bounded(2000)])
    skills = StringField(
        "Skills",
        [bounded(500)],
        description="Separate skills with commas, for example: Python, design, policy.",
    )


class PasswordChangeForm(Form):
    current_password = PasswordField(
        "Current password", [DataRequired("Enter your current password.")]
    )
    password = PasswordField(
        "New password",
        [DataRequired("Choose a new password.")],
        description="At least 12 characters.",
    )
    confirm = PasswordField(
        "Repeat new password", [EqualTo("password", "The two passwords are not the same.")]
    )


class ResetRequestForm(Form):
    email = EmailField("Email", _email)


class ResetForm(Form):
    password = PasswordField(
        "New password",
        [DataRequired("Choose a new password.")],
        description="At least 12 characters.",
    )
    confirm = PasswordField(
        "Repeat new password", [EqualTo("password", "The two passwords are not the same.")]
    )


class OrganizerRightForm(Form):
    allowed = BooleanField("May organize events")
