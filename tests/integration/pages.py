"""Reading rendered pages the way a person (or a screen reader) meets them.

A small tree built with the standard library's HTMLParser: enough to find an element by id,
read its text, and follow the aria-describedby link from a field to its error message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    parent: Node | None = None
    children: list[Node | str] = field(default_factory=list)

    @property
    def text(self) -> str:
        parts = [c if isinstance(c, str) else c.text for c in self.children]
        return re.sub(r"\s+", " ", "".join(parts)).strip()

    def walk(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.walk()


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs}, parent=self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, {k: v or "" for k, v in attrs}, parent=self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


class Page:
    def __init__(self, html: str):
        builder = _Builder()
        builder.feed(html)
        builder.close()
        self.root = builder.root

    def all(self, tag: str | None = None, **attrs) -> list[Node]:
        return [
            n
            for n in self.root.walk()
            if (tag is None or n.tag == tag)
            and all(n.attrs.get(k.rstrip("_")) == v for k, v in attrs.items())
        ]

    def by_id(self, element_id: str) -> list[Node]:
        return self.all(id=element_id)

    @property
    def text(self) -> str:
        return self.root.text

    def field_errors(self, name: str) -> list[str]:
        """The messages a screen reader announces for the field named ``name``: the elements
        its aria-describedby points at that are error messages."""
        control = self.control(name)
        described = control.attrs.get("aria-describedby", "").split()
        messages = []
        for element_id in described:
            for node in self.by_id(element_id):
                if "usa-error-message" in node.attrs.get("class", "").split():
                    messages.append(node.text)
        return messages

    def control(self, name: str) -> Node:
        matches = [
            n
            for n in self.root.walk()
            if n.tag in ("input", "select", "textarea") and n.attrs.get("name") == name
        ]
        assert matches, f"no form control named {name!r} on the page"
        return matches[0]

    def value(self, name: str) -> str:
        control = self.control(name)
        if control.tag == "textarea":
            text = "".join(c for c in control.children if isinstance(c, str))
            return re.sub(r"^\r?\n", "", text)  # HTML drops one newline after <textarea>
        if control.tag == "select":
            chosen = [n for n in control.walk() if n.tag == "option" and "selected" in n.attrs]
            return chosen[0].attrs.get("value", "") if chosen else ""
        return control.attrs.get("value", "")

    def csrf_token(self) -> str:
        return self.value("csrf_token")


def page(response) -> Page:
    return Page(response.get_data(as_text=True))


def field_error(response, name: str) -> list[str]:
    """Errors shown beside the field ``name`` (and tied to it for assistive technology)."""
    current = page(response)
    control = current.control(name)
    assert control.attrs.get("aria-invalid") == "true", f"{name} is not marked invalid"
    return current.field_errors(name)


CSRF_VALUE = re.compile(r'name="csrf_token" value="[^"]*"')


def without_csrf(html: str) -> str:
    """The page with its CSRF token blanked: the token is signed with the current second, so
    two otherwise identical pages differ in it when a second boundary falls between them."""
    return CSRF_VALUE.sub('name="csrf_token" value=""', html)


def signup_link(mail, to: str) -> str:
    """The path of the sign-up link in the last message sent to ``to`` (the SMTP sink)."""
    mail.wait_for(lambda m: m["To"] == to and "/signup/confirm/" in m.get_content())
    message = [m for m in mail.messages if m["To"] == to][-1]
    return re.search(r"https?://[^/\s]+(/signup/confirm/\S+)", message.get_content()).group(1)
