"""A real SMTP server on 127.0.0.1 that keeps what it receives, for tests of outgoing mail.

The app under test sends through its ordinary SMTP code path to ``host:port``; tests read
``messages`` (parsed ``EmailMessage`` objects, oldest first) or block on ``wait_for`` when the
mail is sent by another thread or process. ``envelopes[i]`` holds the SMTP envelope
(MAIL FROM, RCPT TO) of ``messages[i]``, which is where Bcc recipients show up.
"""

from __future__ import annotations

import email.policy
import threading
import time
from collections.abc import Callable
from email.message import EmailMessage
from email.parser import BytesParser
from typing import NamedTuple

from aiosmtpd.controller import Controller

from .net import free_port

START_ATTEMPTS = 3


class Envelope(NamedTuple):
    mail_from: str
    rcpt_tos: list[str]


class _Handler:
    def __init__(self, sink: SMTPSink) -> None:
        self.sink = sink

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd hook)
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        message = BytesParser(policy=email.policy.default).parsebytes(raw)
        self.sink._receive(message, Envelope(envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


class SMTPSink:
    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self.port = 0
        self.messages: list[EmailMessage] = []
        self.envelopes: list[Envelope] = []
        self._received = threading.Condition()
        self._controller: Controller | None = None

    def start(self) -> None:
        if self._controller is not None:
            return
        for attempt in range(1, START_ATTEMPTS + 1):
            port = free_port()
            # server_hostname skips aiosmtpd's getfqdn(), a DNS lookup that can stall.
            controller = Controller(
                _Handler(self), hostname=self.host, port=port, server_hostname="localhost"
            )
            try:
                controller.start()
            except OSError:
                # The port was taken between free_port() and the bind.
                controller.loop.close()
                if attempt == START_ATTEMPTS:
                    raise
                continue
            self._controller, self.port = controller, port
            return

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def clear(self) -> None:
        with self._received:
            self.messages.clear()
            self.envelopes.clear()

    def wait_for(
        self, predicate: Callable[[EmailMessage], bool] = lambda m: True, timeout: float = 10.0
    ) -> EmailMessage:
        """Return the first message received (before or during the wait) that matches."""
        deadline = time.monotonic() + timeout
        with self._received:
            while True:
                for message in self.messages:
                    if predicate(message):
                        return message
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    subjects = [m.get("Subject") for m in self.messages]
                    raise AssertionError(
                        f"no matching message within {timeout} s; subjects received: {subjects}"
                    )
                self._received.wait(remaining)

    def __enter__(self) -> SMTPSink:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _receive(self, message: EmailMessage, envelope: Envelope) -> None:
        with self._received:
            self.messages.append(message)
            self.envelopes.append(envelope)
            self._received.notify_all()
