"""Markdown to safe HTML: rendered with raw HTML off, then sanitized with an allowlist."""

import html
import re

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}


def render_markdown(text: str | None) -> Markup:
    return _sanitize(_md.render(text or ""))


def _sanitize(html: str) -> Markup:
    # h1 belongs to the page; a description's headings start at h2.
    html = re.sub(r"<(/?)h1\b", r"<\1h2", html, flags=re.I)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
    return Markup(clean)


_md_with_html = MarkdownIt("commonmark", {"html": True, "linkify": False}).enable("table")


def render_rich_text(text: str | None) -> Markup:
    """Text from outside (a catalog's description) may be Markdown, HTML or both: HTML is
    let through the Markdown renderer, then everything goes through the same allowlist, so
    script, style and event handlers never survive while the formatting does."""
    return _sanitize(_md_with_html.render(text or ""))


def plain_text(text: str | None) -> str:
    """Text with any markup removed, for search indexes and short excerpts."""
    stripped = nh3.clean(text or "", tags=set())
    return " ".join(html.unescape(stripped).split())


def excerpt(text: str | None, length: int = 240) -> str:
    """The start of a text without markup, cut at a word and marked as cut."""
    plain = plain_text(text)
    if len(plain) <= length:
        return plain
    return plain[:length].rsplit(" ", 1)[0].rstrip(".,;:") + "…"
