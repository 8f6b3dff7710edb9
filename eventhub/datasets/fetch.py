"""Fetch a remote catalog for import without letting a pasted URL reach inside our network.

An organizer's URL is untrusted: aimed at loopback, a private range or the cloud metadata
address, a plain fetcher would be a proxy into places only the server reaches (SSRF). So each
hop (the URL and every redirect) must be https and every address its host resolves to public.
The connection goes to the vetted address, not to a second lookup of the name, so a DNS
answer that changes in between (rebinding) cannot slip past; TLS still verifies the name.

One deadline covers the whole fetch. Socket timeouts alone bound each wait, not the total: a
server sending a byte a second would never trip them. A watchdog shuts the socket when the
deadline passes, whatever the code was waiting for (the handshake, the headers, the body).

``test_origin`` exists for tests only: that one scheme+host+port may be plain http on
loopback. It never widens anything else.
"""

from __future__ import annotations

import functools
import http.client
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from urllib.parse import urljoin

from eventhub.datasets.addresses import Refused, Target, parse, unsafe_kind
from eventhub.errors import DomainError

USER_AGENT = "EventHub dataset importer"
REQUEST_HEADERS = {
    "Accept": "application/json",
    "Accept-Encoding": "identity",
    "User-Agent": USER_AGENT,
    "Connection": "close",
}
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
CHUNK_SIZE = 64 * 1024
MEGABYTE = 1024 * 1024

# getaddrinfo has no timeout of its own; running it here lets the deadline cover name lookup.
_RESOLVER = ThreadPoolExecutor(max_workers=8, thread_name_prefix="eventhub-resolve")


@dataclass(frozen=True)
class Fetched:
    url: str  # the final URL after redirects
    body: bytes
    content_type: str | None  # the header as sent (charset included), None when absent


class FetchError(DomainError):
    """The catalog could not be fetched; the message says why, in words for the organizer."""


def check_url(url: str, *, test_origin: str | None = None) -> str:
    """Return the normalized URL or raise FetchError, without any network access.

    Forms use it for early feedback; ``fetch`` checks again and also vets the resolved
    addresses, which only a lookup can reveal (``localhost`` passes here, not there).
    """
    try:
        return parse(url, test_origin).url
    except Refused as refused:
        raise FetchError(_refusal(url, refused, redirected=False)) from None


def fetch(
    url: str,
    *,
    max_bytes: int = 20 * MEGABYTE,
    timeout: float = 20.0,
    max_redirects: int = 3,
    test_origin: str | None = None,
) -> Fetched:
    """GET ``url`` under the rules in the module docstring, or raise FetchError."""
    deadline = _Deadline(timeout)
    next_url, redirects = url, 0
    while True:
        target, addresses = _checked(next_url, test_origin, deadline, redirected=redirects > 0)
        with _exchange(target, addresses, deadline) as (response, read_body):
            if response.status not in REDIRECT_STATUSES:
                if not 200 <= response.status < 300:
                    raise FetchError(f"The server answered {_status_text(response.status)}.")
                body = read_body(max_bytes)
                return Fetched(target.url, body, response.getheader("Content-Type"))
            if redirects == max_redirects:
                raise FetchError(
                    f"The address redirected more than {_times(max_redirects)}. "
                    "Paste the final address of the catalog instead."
                )
            next_url = _location(response, target.url)
        redirects += 1


def _checked(url: str, test_origin: str | None, deadline: _Deadline, *, redirected: bool):
    """The target and its vetted addresses, or a FetchError worded for where the URL came from."""
    try:
        target = parse(url, test_origin)
        return target, _vetted_addresses(target, deadline)
    except Refused as refused:
        raise FetchError(_refusal(url, refused, redirected=redirected)) from None


def _vetted_addresses(target: Target, deadline: _Deadline) -> list[str]:
    """Every address the host resolves to, each one checked: one bad answer refuses all."""
    if target.literal is not None:
        return [target.host]
    future = _RESOLVER.submit(socket.getaddrinfo, target.host, target.port, type=socket.SOCK_STREAM)
    try:
        infos = future.result(timeout=deadline.remaining(target))
    except TimeoutError:
        raise deadline.expired(target) from None
    except (socket.gaierror, UnicodeError):
        raise FetchError(
            f"Could not find the server {target.host}. Check the address for typos."
        ) from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    for text in addresses:
        address = ipaddress.ip_address(text.split("%")[0])
        if not target.waived and (kind := unsafe_kind(address)):
            raise Refused(
                f"{target.host} points to {kind} address; only public internet addresses "
                "are fetched"
            )
    return addresses


# --- the exchange -----------------------------------------------------------------------


class _Deadline:
    def __init__(self, seconds: float):
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def remaining(self, target: Target) -> float:
        left = self.end - time.monotonic()
        if left <= 0:
            raise self.expired(target)
        return left

    def expired(self, target: Target) -> FetchError:
        return FetchError(
            f"The server {target.host} took too long: the import stopped after "
            f"{_seconds(self.seconds)}. Try again later."
        )


class _Watchdog:
    """Shuts a socket down at the deadline, waking whatever read or handshake is waiting.

    It holds a duplicate of the descriptor: shutdown acts on the connection itself, so this
    works after TLS has wrapped (and taken over) the original socket object.
    """

    def __init__(self, sock: socket.socket, seconds: float):
        self._spare = sock.dup()
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _fire(self) -> None:
        with self._lock, suppress(OSError):
            self._spare.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        self._timer.cancel()
        with self._lock:
            self._spare.close()


class _PinnedConnection(http.client.HTTPConnection):
    """Connects to the vetted addresses, never to a fresh lookup of the name."""

    def __init__(self, target: Target, addresses: list[str], deadline: _Deadline):
        super().__init__(target.host, target.port, timeout=deadline.remaining(target))
        self._target = target
        self._addresses = addresses
        self._deadline = deadline
        self.watchdog: _Watchdog | None = None

    def connect(self) -> None:
        error = OSError("no address to connect to")
        for address in self._addresses:  # numeric: create_connection does no lookup for these
            try:
                remaining = self._deadline.remaining(self._target)
                sock = socket.create_connection((address, self.port), timeout=remaining)
                break
            except OSError as problem:
                error = problem
        else:
            raise error
        self.watchdog = _Watchdog(sock, self._deadline.remaining(self._target))
        if self._target.scheme == "https":
            sock = _tls_context().wrap_socket(sock, server_hostname=self._target.host)
        self.sock = sock


@functools.cache
def _tls_context() -> ssl.SSLContext:
    return ssl.create_default_context()


@contextmanager
def _exchange(target: Target, addresses: list[str], deadline: _Deadline) -> Iterator[tuple]:
    """Send the GET and yield (response, read_body); network errors become FetchErrors."""
    connection = _PinnedConnection(target, addresses, deadline)
    response = None
    try:
        with _network_errors(target, deadline):
            headers = {**REQUEST_HEADERS, "Host": target.netloc}
            connection.request("GET", target.request_target, headers=headers)
            response = connection.getresponse()

        def read_body(max_bytes: int) -> bytes:
            with _network_errors(target, deadline):
                return _read_body(response, target, deadline, max_bytes)

        yield response, read_body
    finally:
        if response is not None:
            response.close()  # it owns the socket once the connection handed it over
        connection.close()
        if connection.watchdog is not None:
            connection.watchdog.cancel()


def _read_body(
    response: http.client.HTTPResponse, target: Target, deadline: _Deadline, max_bytes: int
) -> bytes:
    too_large = FetchError(
        f"The file is larger than {_size(max_bytes)}, the most an import reads. "
        "Import a smaller catalog, or one dataset at a time."
    )
    declared = (response.getheader("Content-Length") or "").strip()
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read1(CHUNK_SIZE):
        size += len(chunk)
        if size > max_bytes:
            raise too_large
        chunks.append(chunk)
        deadline.remaining(target)
    deadline.remaining(target)  # an end forced by the watchdog is a timeout, not the file's end
    if response.length:
        raise FetchError(
            f"The server {target.host} closed the connection before the whole file arrived."
        )
    return b"".join(chunks)


@contextmanager
def _network_errors(target: Target, deadline: _Deadline) -> Iterator[None]:
    try:
        yield
    except FetchError:
        raise
    except (OSError, http.client.HTTPException) as error:
        if time.monotonic() >= deadline.end or isinstance(error, TimeoutError):
            raise deadline.expired(target) from None
        raise FetchError(_network_message(error, target)) from None


def _network_message(error: Exception, target: Target) -> str:
    host = target.host
    if isinstance(error, ssl.SSLCertVerificationError):
        return (
            f"Could not make a secure connection to {host}: its certificate is not valid "
            f"({error.verify_message})."
        )
    if isinstance(error, ssl.SSLError):
        return f"Could not make a secure connection to {host} ({error.reason or error})."
    if isinstance(error, ConnectionRefusedError):
        return f"The server {host} refused the connection on port {target.port}."
    if isinstance(error, http.client.RemoteDisconnected):
        return f"The server {host} closed the connection without answering."
    if isinstance(error, http.client.HTTPException):
        return f"The server {host} did not answer with valid HTTP."
    return f"Could not connect to {host} ({error.strerror or error})."


# --- words for people -------------------------------------------------------------------


def _location(response: http.client.HTTPResponse, current_url: str) -> str:
    location = (response.getheader("Location") or "").strip()
    if not location:
        raise FetchError(
            f"The server answered {_status_text(response.status)} without saying where to."
        )
    return urljoin(current_url, location)


def _refusal(url: str, refused: Refused, *, redirected: bool) -> str:
    text = url.strip()
    shown = text if len(text) <= 100 else text[:99] + "…"
    if redirected:
        return f"The address redirected to {shown}, which cannot be imported: {refused}."
    if not text:
        return "Enter the address of a catalog or dataset, starting with https://."
    return f"{shown} cannot be imported: {refused}."


def _status_text(status: int) -> str:
    return f"{status} {http.client.responses.get(status, '')}".strip()


def _times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"


def _seconds(seconds: float) -> str:
    number = f"{seconds:g}"
    return f"{number} second" if number == "1" else f"{number} seconds"


def _size(limit: int) -> str:
    return f"{limit / MEGABYTE:g} MB" if limit >= MEGABYTE else f"{limit:,} bytes"
