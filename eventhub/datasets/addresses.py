"""The address rules of remote imports: which URLs may be fetched, before any lookup.

Only https, no user names or passwords, valid host names, and no IP literal that is not a
public internet address (shorthand such as 127.1 and 2130706433 included). ``fetch`` applies
``unsafe_kind`` again to every address a name resolves to.
"""

from __future__ import annotations

import functools
import ipaddress
import re
import socket
from contextlib import suppress
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

MAX_URL_LENGTH = 2048
DEFAULT_PORTS = {"https": 443, "http": 80}
_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")
_SHARED = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"
_QUERY_SAFE = _PATH_SAFE + "?"


class Refused(Exception):
    """A URL or address is not allowed; the caller words it for a pasted URL or a redirect."""


@dataclass(frozen=True)
class Target:
    url: str
    scheme: str
    host: str  # ASCII (IDNA) name or canonical IP text, without brackets
    port: int
    netloc: str  # host[:port] as in the URL and the Host header
    request_target: str
    literal: ipaddress.IPv4Address | ipaddress.IPv6Address | None
    waived: bool  # the test origin: no https rule, no address rule


# --- URL rules --------------------------------------------------------------------------


def parse(url: str, test_origin: str | None) -> Target:
    text = url.strip()
    if not text:
        raise Refused("the address is empty")
    if len(text) > MAX_URL_LENGTH:
        raise Refused(f"the address is longer than {MAX_URL_LENGTH:,} characters")
    try:
        parts = urlsplit(text)
        explicit_port = parts.port
    except ValueError:
        raise Refused("it is not a valid web address") from None
    scheme = parts.scheme.lower()
    if not scheme or not parts.netloc:
        raise Refused("it is not a full web address starting with https://")
    if "@" in parts.netloc:
        raise Refused(
            "addresses with a user name or password are not fetched; "
            "use an address anyone can read without signing in"
        )
    host, literal = _host(parts.hostname or "")
    port = explicit_port if explicit_port is not None else DEFAULT_PORTS.get(scheme, 0)
    waived = test_origin is not None and (scheme, host, port) == _origin(test_origin)
    if not waived:
        if scheme != "https":
            raise Refused("only https:// addresses are fetched, for a secure connection")
        if not 0 < port < 65536:
            raise Refused("the port is not valid")
        if literal is not None and (kind := unsafe_kind(literal)):
            raise Refused(f"{host} is {kind} address; only public internet addresses are fetched")
    target = quote(parts.path or "/", safe=_PATH_SAFE)
    if parts.query:
        target += "?" + quote(parts.query, safe=_QUERY_SAFE)
    shown_host = f"[{host}]" if ":" in host else host
    netloc = shown_host if port == DEFAULT_PORTS.get(scheme) else f"{shown_host}:{port}"
    return Target(
        f"{scheme}://{netloc}{target}", scheme, host, port, netloc, target, literal, waived
    )


def _host(hostname: str) -> tuple[str, ipaddress.IPv4Address | ipaddress.IPv6Address | None]:
    """Canonical host text and, for IP literals (shorthand like 127.1 included), the address."""
    if not hostname:
        raise Refused("the address has no server name")
    with suppress(ValueError):
        literal = ipaddress.ip_address(hostname)
        return str(literal), literal
    try:
        name = hostname.encode("idna").decode("ascii").lower().removesuffix(".")
    except UnicodeError:
        raise Refused(f"{hostname} is not a valid server name") from None
    if len(name) > 253 or not all(_LABEL.match(label) for label in name.split(".")):
        raise Refused(f"{hostname} is not a valid server name")
    try:  # what the resolver would read as an IPv4 address: 2130706433, 0x7f.1
        literal = ipaddress.IPv4Address(socket.inet_aton(name))
    except OSError:
        return name, None
    return str(literal), literal


@functools.lru_cache(maxsize=8)
def _origin(test_origin: str) -> tuple[str, str, int]:
    parts = urlsplit(test_origin)
    scheme = parts.scheme.lower()
    host, _ = _host(parts.hostname or "")
    return scheme, host, parts.port or DEFAULT_PORTS.get(scheme, 0)


def unsafe_kind(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why an address is not public ("a loopback"), or None when it may be fetched.

    ``is_global`` alone is not enough: depending on the Python version it lets multicast,
    IPv4-mapped IPv6 and NAT64 addresses through.
    """
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and any(address in net for net in _NAT64):
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None and (kind := unsafe_kind(embedded)):
            return kind
        if address.is_site_local:
            return "a site-local"
    checks = [
        (address.is_unspecified, "an unspecified"),
        (address.is_loopback, "a loopback"),
        (address.is_link_local, "a link-local"),
        (address.is_multicast, "a multicast"),
        (address.version == 4 and address in _SHARED, "a shared (carrier-grade NAT)"),
        (address.is_private, "a private network"),
        (address.is_reserved, "a reserved"),
        (not address.is_global, "a non-public"),
    ]
    return next((kind for unsafe, kind in checks if unsafe), None)
