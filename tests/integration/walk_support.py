"""Reading the actions a page offers, following them, and putting the database back between
two of them: the parts of test_action_walk.py that are not about EventHub's rules.

An action is what a person can press: a ``<form method="post">`` inside the page's main
region (the header's Sign out is every page's, and ends the walk's session) with the values
the page gives it. A form's empty fields get what a person would type (the walk's ``typed``
values, by field name): the walk asks whether the page offered something the server then
refuses, not whether a blank form is refused. Controls in a disabled fieldset send nothing.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from PIL import Image
from sqlalchemy import event

from eventhub.extensions import db
from tests.integration.pages import Node, Page


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), color=(30, 90, 160)).save(out, "PNG")
    return out.getvalue()


@dataclass(frozen=True)
class Action:
    """A form as the page offers it: where it posts and what it sends (sorted pairs)."""

    path: str
    fields: tuple[tuple[str, str], ...]
    files: tuple[str, ...]
    label: str
    found_on: str

    def data(self, typed: dict[str, str]) -> dict:
        sent: dict = {}
        for name, value in self.fields:
            sent[name] = value or typed.get(name, "")
        for name in self.files:
            sent[name] = (io.BytesIO(png()), "walk.png")
        return sent

    @property
    def key(self) -> tuple:
        return (self.path, self.fields, self.files)


def main_region(page: Page) -> Node:
    found = page.by_id("main-content")
    assert found, "the page has no main region"
    return found[0]


def _value(control: Node) -> str | None:
    """What the browser sends for a control (None: nothing)."""
    kind = control.attrs.get("type", "text")
    if control.tag == "textarea":
        return "".join(c for c in control.children if isinstance(c, str)).lstrip("\r\n")
    if control.tag == "select":
        options = [n for n in control.walk() if n.tag == "option"]
        chosen = [o for o in options if "selected" in o.attrs] or options[:1]
        return chosen[0].attrs.get("value", chosen[0].text) if chosen else ""
    if kind in ("checkbox", "radio"):
        return control.attrs.get("value", "on") if "checked" in control.attrs else None
    if kind in ("submit", "button", "file"):
        return None
    return control.attrs.get("value", "")


def _inside_disabled(node: Node) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag == "fieldset" and "disabled" in parent.attrs:
            return True
        parent = parent.parent
    return False


def actions_of(page: Page, url: str) -> list[Action]:
    found = []
    for form in main_region(page).walk():
        if form.tag != "form" or form.attrs.get("method", "get").lower() != "post":
            continue
        fields, files = [], []
        for control in form.walk():
            if control.tag not in ("input", "select", "textarea") or _inside_disabled(control):
                continue
            name = control.attrs.get("name")
            if not name:
                continue
            if control.attrs.get("type") == "file":
                files.append(name)
                continue
            value = _value(control)
            if value is not None:
                fields.append((name, value))
        buttons = [b.text for b in form.walk() if b.tag == "button"]
        target = urljoin(url, form.attrs.get("action") or url)
        found.append(
            Action(
                path=target,
                fields=tuple(sorted(fields)),
                files=tuple(sorted(files)),
                label=" / ".join(buttons) or "(no button)",
                found_on=url,
            )
        )
    return found


def links_of(page: Page, url: str) -> list[str]:
    """Same-site links in the main region, as paths with their query."""
    found = []
    for node in main_region(page).walk():
        href = node.attrs.get("href") if node.tag == "a" else None
        if not href or href.startswith(("#", "mailto:")):
            continue
        parts = urlsplit(urljoin(url, href))
        if parts.netloc not in ("", "localhost"):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def refusals(page: Page) -> list[str]:
    """What the page tells as a refusal: an error flash, an error summary, a field's error."""
    found = []
    for node in main_region(page).walk():
        classes = node.attrs.get("class", "").split()
        if "usa-alert--error" in classes or "usa-error-message" in classes:
            found.append(node.text)
    return found


WRITE = re.compile(r"^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?(\w+)", re.IGNORECASE)


class Snapshot:
    """Every table's rows, taken once; after each action that may change them, the tables it
    wrote to are put back row by row (rows it added go, rows it changed or removed come back).
    The same few statements on SQLite and PostgreSQL, much faster than building the world
    again. Sequences are left alone: they only move on, so no restored id is handed out."""

    def __init__(self) -> None:
        db.session.rollback()
        self.tables = {t.name: t for t in db.metadata.sorted_tables}
        self.order = list(self.tables)
        with db.engine.connect() as conn:
            self.rows = {name: self._read(conn, name) for name in self.order}
        self.written: set[str] = set()
        event.listen(db.engine, "before_cursor_execute", self._seen)

    def close(self) -> None:
        event.remove(db.engine, "before_cursor_execute", self._seen)

    def _seen(self, conn, cursor, statement, parameters, context, executemany) -> None:
        found = WRITE.match(statement)
        if found and found.group(1) in self.tables:
            self.written.add(found.group(1))

    def _key(self, name: str, row: dict) -> tuple:
        return tuple(row[c.name] for c in self.tables[name].primary_key.columns)

    def _read(self, conn, name: str) -> dict[tuple, dict]:
        rows = conn.execute(self.tables[name].select()).mappings()
        return {self._key(name, dict(r)): dict(r) for r in rows}

    def restore(self) -> None:
        db.session.rollback()
        touched = [name for name in self.order if name in self.written]
        self.written = set()
        if not touched:
            return
        with db.engine.begin() as conn:
            now = {name: self._read(conn, name) for name in touched}
            for name in reversed(touched):
                table, kept = self.tables[name], self.rows[name]
                for key in now[name].keys() - kept.keys():
                    conn.execute(table.delete().where(*self._match(name, key)))
            for name in touched:
                table, kept = self.tables[name], self.rows[name]
                gone = [kept[key] for key in kept.keys() - now[name].keys()]
                if gone:
                    conn.execute(table.insert(), gone)
                for key in kept.keys() & now[name].keys():
                    if kept[key] != now[name][key]:
                        conn.execute(
                            table.update().where(*self._match(name, key)).values(**kept[key])
                        )
        self.written = set()

    def _match(self, name: str, key: tuple) -> list:
        columns = self.tables[name].primary_key.columns
        return [column == value for column, value in zip(columns, key, strict=True)]
