import smtplib
from email.message import EmailMessage

import pytest

from tests.support.smtp import SMTPSink


@pytest.fixture
def sink():
    sink = SMTPSink()
    sink.start()
    yield sink
    sink.stop()


def _send(sink: SMTPSink, subject: str, *, bcc: str | None = None) -> None:
    message = EmailMessage()
    message["From"] = "organizer@example.org"
    message["To"] = "participant@example.org"
    message["Subject"] = subject
    message.set_content("See you at the Datapalooza. Café opens at 9.")
    with smtplib.SMTP(sink.host, sink.port, timeout=10) as client:
        to_addrs = ["participant@example.org"] + ([bcc] if bcc else [])
        client.send_message(message, to_addrs=to_addrs)


def test_sink_message_sent_with_smtplib_arrives_parsed(sink):
    _send(sink, "You are registered", bcc="judge@example.org")

    received = sink.wait_for(lambda m: m["Subject"] == "You are registered", timeout=5)

    assert isinstance(received, EmailMessage)
    assert received["To"] == "participant@example.org"
    assert "Café opens at 9." in received.get_content()
    assert sink.envelopes[0].rcpt_tos == ["participant@example.org", "judge@example.org"]


def test_sink_wait_for_timeout_names_the_subjects_received(sink):
    _send(sink, "Team invitation")

    with pytest.raises(AssertionError, match="Team invitation"):
        sink.wait_for(lambda m: m["Subject"] == "Results published", timeout=0.5)


def test_sink_clear_forgets_earlier_messages(sink):
    _send(sink, "First")
    sink.wait_for()

    sink.clear()

    assert sink.messages == []
    assert sink.envelopes == []
