"""Outgoing email.

Services call ``queue()`` inside the transaction that causes the message; messages go out
only after that transaction commits, so a rolled-back action never sends mail. With no
EVENTHUB_MAIL_SERVER the message is written to the log, so a local run still shows it.

Headers are made by the standard library's header registry from single-line text: a
subject or an address built from names, titles and team names (which old rows and imports
may hold with line breaks, control characters or any length) is folded and encoded by the
library and cannot add a header or a recipient.
"""

from __future__ import annotations

import logging
import re
import smtplib
import ssl
from email.errors import MessageError
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import EmailPolicy

from flask import current_app, render_template
from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger("eventhub.mail")

OUTBOX = "eventhub_outbox"
# Line breaks (including Unicode's), other control characters and whitespace runs.
_BREAKS = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u2028\u2029]+")


class _Policy(EmailPolicy):
    """The default policy, but a non-ASCII subject is folded into encoded words by
    ``email.header.Header``: Python 3.11's folder of the default policy drops or doubles the
    space beside an encoded word at a fold, so a long non-ASCII subject arrived altered."""

    def fold(self, name: str, value) -> str:
        if name.lower() != "subject" or str(value).isascii():
            return super().fold(name, value)
        encoded = Header(str(value), "utf-8", header_name=name).encode(linesep=self.linesep)
        return f"{name}: {encoded}{self.linesep}"

    def fold_binary(self, name: str, value) -> bytes:
        if name.lower() != "subject" or str(value).isascii():
            return super().fold_binary(name, value)
        return self.fold(name, value).encode("ascii")


POLICY = _Policy()


def one_line(text: str) -> str:
    """Header text as a person reads it: every run of breaks and spaces one space."""
    return _BREAKS.sub(" ", text).strip()


def recipient(to: str | None) -> Address | None:
    """The address as the To header holds it, or None for one no mail server would take."""
    text = one_line(to or "")
    try:
        return Address(addr_spec=text) if text else None
    except (ValueError, MessageError):  # the library's parse errors and defects
        return None


def build(to: Address, subject: str, template: str, **context) -> EmailMessage:
    msg = EmailMessage(policy=POLICY)
    msg["From"] = current_app.config["MAIL_SENDER"]
    msg["To"] = to
    msg["Subject"] = one_line(subject)
    msg.set_content(render_template(f"email/{template}.txt", **context))
    return msg


def queue(session: Session, to: str, subject: str, template: str, **context) -> None:
    address = recipient(to)
    if address is None:
        # An address no mail server would take (an old row, an import): the action goes
        # through, this one message cannot.
        log.warning("email %r not queued: %r is not a usable address", template, to)
        return
    session.info.setdefault(OUTBOX, []).append(build(address, subject, template, **context))


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
