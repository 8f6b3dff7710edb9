"""A throwaway HTTP server on 127.0.0.1 for tests that fetch over the network.

It serves files from a directory (the catalog fixtures) and scripted routes: redirects,
status codes, slow and huge answers. Every scripted misbehaviour is bounded (a trickle has a
length, a huge answer a size) and every pause wakes when the server stops, so a test that
gives up early still ends promptly. It binds 127.0.0.1 only, on a port the OS picks.

    with LocalHTTPServer(root=FIXTURES) as server:
        server.route("/moved", redirect(server.url("/catalogs/fda-data.json")))
        fetch(server.url("/moved"), test_origin=server.origin)

A route is a ``Reply`` or a function from ``Request`` to ``Reply``. A reply's body is bytes
or a function returning an iterable of bytes and floats; a float is a pause in seconds.
"""

from __future__ import annotations

import mimetypes
import shutil
import socketserver
import ssl
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

HOST = "127.0.0.1"
MEGABYTE = 1024 * 1024
CONNECTION_TIMEOUT = 5.0  # a handler blocked on a client that stopped reading gives up here

Body = bytes | Callable[[], Iterable[bytes | float]]


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: str
    headers: Mapping[str, str]  # names in lower case


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: Body = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds of silence before the status line
    # "length", "chunked", "close" (the end of the body is EOF), or "raw": the body is the
    # whole answer, status line and headers included, for answers no real server would send
    framing: str = "length"


Route = Reply | Callable[[Request], Reply]


def content(body: bytes, content_type: str = "application/json") -> Reply:
    return Reply(body=body, headers={"Content-Type": content_type})


def redirect(location: str, status: int = 302) -> Reply:
    return Reply(status=status, headers={"Location": location})


def status(code: int, body: bytes = b"") -> Reply:
    return Reply(status=code, body=body, headers={"Content-Type": "text/plain"})


def trickle(seconds: float, *, interval: float = 0.1, delay: float = 0.0) -> Reply:
    """A JSON body sent one space per ``interval`` for ``seconds``, then ``{}``."""
    steps = max(1, round(seconds / interval))

    def body() -> Iterable[bytes | float]:
        for _ in range(steps):
            yield b" "
            yield interval
        yield b"{}"

    return Reply(
        body=body, headers={"Content-Type": "application/json"}, delay=delay, framing="close"
    )


def slow_headers(seconds: float, *, interval: float = 0.1) -> Reply:
    """A status line, then one header trickled a byte per ``interval`` for ``seconds``.

    Every read of the head gets a byte in time, so only a deadline on the whole exchange
    (not a socket timeout) stops a client waiting for it.
    """
    steps = max(1, round(seconds / interval))

    def answer() -> Iterable[bytes | float]:
        yield b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\nX-Slow: "
        for _ in range(steps):
            yield b"z"
            yield interval
        yield b"\r\n\r\n{}"

    return Reply(body=answer, framing="raw")


def stream(size: int, *, framing: str = "length", chunk_size: int = MEGABYTE) -> Reply:
    """``size`` bytes of JSON-ish padding, made on the fly so a huge answer costs no memory."""

    def body() -> Iterable[bytes]:
        left = size
        while left > 0:
            yield b" " * min(chunk_size, left)
            left -= chunk_size

    headers = {"Content-Type": "application/json"}
    if framing == "length":
        headers["Content-Length"] = str(size)
    return Reply(body=body, headers=headers, framing=framing)


def self_signed_tls(directory: Path) -> ssl.SSLContext | None:
    """A server TLS context with a fresh self-signed certificate for 127.0.0.1.

    Made with the openssl command; None where it is not installed. No client trusts it,
    which is the point: tests use it to see certificate checks refuse a connection.
    """
    openssl = shutil.which("openssl")
    if openssl is None:
        return None
    key, cert = directory / "key.pem", directory / "cert.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-keyout", str(key), "-out", str(cert), "-subj", f"/CN={HOST}"]
        + ["-addext", f"subjectAltName=IP:{HOST}"],
        check=True,
        capture_output=True,
        timeout=60,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


class LocalHTTPServer:
    """Start with ``with`` (or start()/stop()); every request it gets is in ``requests``."""

    def __init__(self, root: Path | None = None, *, tls: ssl.SSLContext | None = None):
        self.root = root.resolve() if root is not None else None
        self.tls = tls
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self.stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the server is not running")
        return self._server.server_address[1]

    @property
    def origin(self) -> str:
        return f"{'https' if self.tls else 'http'}://{HOST}:{self.port}"

    def url(self, path: str) -> str:
        return self.origin + path

    def route(self, path: str, reply: Route) -> str:
        """Answer GET ``path`` (query ignored) with ``reply``; returns the full URL."""
        self.routes[path] = reply
        return self.url(path)

    def redirect_chain(self, hops: int, target: str, *, prefix: str = "/hop") -> str:
        """``hops`` redirects ending at ``target``; returns the URL of the first.

        Hops name the next one by a relative path, so the fetcher's URL joining is exercised.
        """
        for hop in range(1, hops + 1):
            location = f"{prefix}/{hop + 1}" if hop < hops else target
            self.route(f"{prefix}/{hop}", redirect(location))
        return self.url(f"{prefix}/1")

    def start(self) -> LocalHTTPServer:
        self._server = _Server((HOST, 0), _Handler)
        self._server.owner = self
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"local-http-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Wake every pause, stop accepting, and wait for the handler threads to end."""
        self.stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()  # joins the handler threads (block_on_close)
        if self._thread is not None:
            self._thread.join(CONNECTION_TIMEOUT)

    def __enter__(self) -> LocalHTTPServer:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def reply_for(self, request: Request) -> Reply:
        route = self.routes.get(request.path)
        if route is not None:
            return route(request) if callable(route) else route
        return self._file(request.path)

    def _file(self, path: str) -> Reply:
        if self.root is None:
            return status(404, b"no such route")
        candidate = (self.root / unquote(path).lstrip("/")).resolve()
        if not candidate.is_relative_to(self.root) or not candidate.is_file():
            return status(404, b"no such file")
        kind = mimetypes.guess_type(candidate.name)[0] or "application/octet-stream"
        return content(candidate.read_bytes(), kind)


class _Server(ThreadingHTTPServer):
    daemon_threads = False
    block_on_close = True
    owner: LocalHTTPServer

    def finish_request(self, request, client_address) -> None:
        request.settimeout(CONNECTION_TIMEOUT)
        if self.owner.tls is None:
            return super().finish_request(request, client_address)
        try:
            wrapped = self.owner.tls.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            return None  # the client refused our certificate: what TLS tests expect
        with wrapped:
            super().finish_request(wrapped, client_address)
        return None

    def server_bind(self) -> None:
        """Skip HTTPServer's reverse lookup of the address: nothing here needs a name."""
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def handle_error(self, request, client_address) -> None:
        """A client that hangs up mid-answer is normal here; anything else is reported."""
        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionError | TimeoutError | ssl.SSLError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        owner = self.server.owner
        parts = urlsplit(self.path)
        request = Request(
            "GET", parts.path, parts.query, {k.lower(): v for k, v in self.headers.items()}
        )
        owner.requests.append(request)
        reply = owner.reply_for(request)
        if reply.delay and owner.stopping.wait(reply.delay):
            return
        self._send(reply, owner.stopping)

    def _send(self, reply: Reply, stopping: threading.Event) -> None:
        body = reply.body
        self.close_connection = True
        if reply.framing != "raw":
            self._send_head(reply)
        parts = [body] if isinstance(body, bytes) else body()
        for part in parts:
            if isinstance(part, float | int):
                if stopping.wait(part):
                    return
                continue
            if reply.framing == "chunked":
                part = f"{len(part):x}\r\n".encode() + part + b"\r\n" if part else b""
            self.wfile.write(part)
            self.wfile.flush()
        if reply.framing == "chunked":
            self.wfile.write(b"0\r\n\r\n")

    def _send_head(self, reply: Reply) -> None:
        if reply.framing == "chunked":
            self.protocol_version = "HTTP/1.1"
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if isinstance(reply.body, bytes) and reply.framing == "length":
            self.send_header("Content-Length", str(len(reply.body)))
        if reply.framing == "chunked":
            self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Connection", "close")
        self.end_headers()

    def log_message(self, format: str, *args) -> None:
        """Requests are kept in ``LocalHTTPServer.requests``; nothing goes to stderr."""
