"""Outgoing email.

Services call ``queue()`` inside the transaction that causes the message; messages go out
only after that transaction commits, so a rolled-back action never sends mail. With no
EVENTHUB_MAIL_SERVER the message is written to the log, so a local run still shows it.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage

from flask import current_app, render_template
from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger("eventhub.mail")

OUTBOX = "eventhub_outbox"


def build(to: str, subject: str, template: str, **context) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_SENDER"]
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(render_template(f"email/{template}.txt", **context))
    return msg


def queue(session: Session, to: str, subject: str, template: str, **context) -> None:
    session.info.setdefault(OUTBOX, []).append(build(to, subject, template, **context))


def deliver(msg: EmailMessage) -> None:
    config = current_app.config
    server = config.get("MAIL_SERVER")
    if not server:
        if config.get("EVENTHUB_ENV") == "production":
            # Bodies hold single-use links; a production log is no place for them.
            log.warning(
                "email not sent (EVENTHUB_MAIL_SERVER is not set): %r to %s",
                msg["Subject"],
                msg["To"],
            )
        else:
            # Outside production the log is the mailbox: its links must work, so the
            # message is marked to pass the redacting filter untouched.
            log.info("email (no SMTP configured)\n%s", msg.as_string(), extra={"redact": False})
        return
    port, timeout = config["MAIL_PORT"], config["MAIL_TIMEOUT"]
    if config.get("MAIL_USE_SSL"):
        smtp = smtplib.SMTP_SSL(server, port, timeout=timeout, context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(server, port, timeout=timeout)
    with smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(msg)


def _send_outbox(session: Session) -> None:
    for msg in session.info.pop(OUTBOX, []):
        try:
            deliver(msg)
        except (OSError, smtplib.SMTPException):
            # The change is committed; a mail failure must not turn it into an error page.
            log.exception("could not send %r to %s", msg["Subject"], msg["To"])


def _drop_outbox(session: Session, previous) -> None:
    if previous.parent is None:  # the outermost transaction, not a savepoint
        session.info.pop(OUTBOX, None)


def register_mail(app) -> None:
    """Listeners are global to SQLAlchemy sessions; add them once per process."""
    if not event.contains(Session, "after_commit", _send_outbox):
        event.listen(Session, "after_commit", _send_outbox)
        event.listen(Session, "after_soft_rollback", _drop_outbox)
