"""What text from outside may hold before it is stored, and which addresses become links.

One home for two rules every door into the app applies (forms through the base ``Form``,
catalog imports through ``datasets.clean``, pages through the ``web_url`` filter, exports):

- Control characters (C0, DEL and C1) never reach storage: PostgreSQL refuses NUL in text,
  and the others are invisible, break e-mail headers and calendar lines, and let a title
  look like something else. Tab is text; line breaks are text only where a field allows
  several lines.
- A stored address is a link only when it is a web address (http or https with a host).
  ``javascript:``, ``data:``, ``vbscript:``, ``file:`` and relative or malformed addresses
  are shown as plain text or left out, never put in an ``href``.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Everything below U+0020 but tab (and, for multi-line text, line feed and carriage
# return), DEL and the C1 block.
_SINGLE_LINE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")
_MULTI_LINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile("[\r\n]+")
_WEB_SCHEMES = ("http", "https")
_MAIL_ADDRESS = re.compile(
    r"[^\s@<>()\[\]\\,;:\"?#&/%]+@[^\s@<>()\[\]\\,;:\"?#&/%]+\.[^\s@<>()\[\]\\,;:\"?#&/%.]+"
)


def has_control(text: str, *, multiline: bool = False) -> bool:
    """Whether ``text`` holds a character it may not be stored with."""
    return bool((_MULTI_LINE if multiline else _SINGLE_LINE).search(text))


def only_line_breaks(text: str) -> bool:
    """Whether a single-line text's only refused characters are line breaks."""
    return not _MULTI_LINE.search(text)


def strip_control(text: str, *, multiline: bool = False) -> str:
    """``text`` without its refused characters; in single-line text a line break becomes a
    space, so two lines pasted into a title read as one."""
    if not multiline:
        text = _LINE_BREAKS.sub(" ", text)
        return _SINGLE_LINE.sub("", text)
    return _MULTI_LINE.sub("", text)


def web_url(value: object) -> str | None:
    """``value`` as a web address that is safe to link to, or None.

    Surrounding spaces are dropped, the scheme is lowercased and a space in the path or
    query (catalogs have them) is written %20; anything with another space or a control
    character inside, no host, or a scheme other than http and https is refused. The
    address is not otherwise rewritten: what the source gave is what people follow.
    """
    if not isinstance(value, str):
        return None
    text = value.strip(" ")
    if not text or _MULTI_LINE.search(text) or any(c.isspace() and c != " " for c in text):
        return None
    if " " in urlsplit(text).netloc:
        return None
    text = text.replace(" ", "%20")
    scheme, sep, rest = text.partition(":")
    if not sep or scheme.lower() not in _WEB_SCHEMES or not rest.startswith("//"):
        return None
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return None
    if not parts.hostname:
        return None
    return scheme.lower() + ":" + rest


def mail_address(value: object) -> str | None:
    """``value`` as an e-mail address a ``mailto:`` link may carry (nothing that would add
    headers, a body or a second recipient), or None."""
    if not isinstance(value, str):
        return None
    text = value.strip(" ")
    return text if _MAIL_ADDRESS.fullmatch(text) else None
