"""Every page of a seeded install (tests/integration/world.py) as one person sees it, and the
forms those pages offer, read from the HTML as a browser would submit them.

Tests that must hold "on every page" or "for every form" walk these instead of a list that
a new page or form could be left out of.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlsplit

from eventhub.authz import exempt_endpoints
from eventhub.clock import now
from eventhub.events.models import Event
from eventhub.extensions import db
from eventhub.forms import Form
from eventhub.judging.models import JudgingSettings
from tests.factories import assign, make_entry, make_rubric
from tests.integration.pages import Node, Page

# Input types a person types into; the others are chosen (checkbox, radio, file) or sent.
TYPED = {"text", "email", "url", "search", "tel", "password", "number", "date", "time"}
TYPED |= {"datetime-local", "month", "week"}


@dataclass
class SeenForm:
    """A form as found on a page: where it posts and what a browser would send unchanged."""

    page: str
    role: str
    method: str
    action: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    typed: list[str] = field(default_factory=list)  # visible text inputs and text areas
    multiline: set[str] = field(default_factory=set)

    @property
    def key(self) -> tuple:
        """Forms that differ only in the row they act on (one per team...) are one form."""
        names = {re.sub(r"\d+", "#", n) for n, _ in self.fields}
        return (self.method, re.sub(r"/\d+", "/#", self.action), tuple(sorted(names)))


def every_form_class(base=Form):
    """Every form of the app (the base Form's subclasses, once the app has imported them)."""
    for sub in base.__subclasses__():
        yield sub
        yield from every_form_class(sub)


def open_judging(world, **entry_fields):
    """Judging of event A open now, with a rubric and an entry assigned to the world's judge
    (whose own conflict keeps them off the registrant's project): the score sheet is then
    one of the judge's pages. Returns the entry."""
    event = db.session.get(Event, world.event_id)
    db.session.add(
        JudgingSettings(
            event_id=event.id,
            opens_at=now() - timedelta(hours=1),
            closes_at=now() + timedelta(days=1),
        )
    )
    db.session.commit()
    make_rubric(event)
    entry = make_entry(event, **entry_fields)
    assign(world.user("judge"), entry)
    return entry


def pages(app, login_as, world, role: str):
    """(path, response) for every GET route as ``role``, with world's ids in the path."""
    adapter = app.url_map.bind("localhost")
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or rule.endpoint in exempt_endpoints():
            continue
        client = app.test_client()
        person = world.user(role)
        if person is not None:
            login_as(person, on=client)
        path = adapter.build(rule.endpoint, world.path_values(rule.endpoint, set(rule.arguments)))
        yield path, client.get(path)


def html_pages(app, login_as, world, role: str):
    for path, response in pages(app, login_as, world, role):
        if response.status_code == 200 and response.mimetype == "text/html":
            yield path, Page(response.get_data(as_text=True))


def forms_on(page: Page, path: str, role: str) -> list[SeenForm]:
    found = []
    for form in page.all("form"):
        method = form.attrs.get("method", "get").lower()
        action = urlsplit(form.attrs.get("action") or path).path or path
        seen = SeenForm(page=path, role=role, method=method, action=action)
        submitted = False
        for control in form.walk():
            _read(control, seen, submitted)
            submitted = submitted or (control.tag == "button" and "name" in control.attrs)
        found.append(seen)
    return found


def _read(control: Node, seen: SeenForm, submitted: bool) -> None:
    name = control.attrs.get("name")
    if not name or "disabled" in control.attrs:
        return
    if control.tag == "textarea":
        text = "".join(c for c in control.children if isinstance(c, str))
        seen.fields.append((name, text))
        seen.typed.append(name)
        seen.multiline.add(name)
    elif control.tag == "select":
        options = [n for n in control.walk() if n.tag == "option"]
        chosen = [n for n in options if "selected" in n.attrs] or options[:1]
        if chosen:
            seen.fields.append((name, chosen[0].attrs.get("value", chosen[0].text)))
    elif control.tag == "button" and not submitted:
        seen.fields.append((name, control.attrs.get("value", "")))
    elif control.tag == "input":
        kind = control.attrs.get("type", "text").lower()
        value = control.attrs.get("value", "")
        if kind in ("checkbox", "radio"):
            if "checked" in control.attrs:
                seen.fields.append((name, value or "on"))
        elif kind in TYPED:
            seen.fields.append((name, value))
            if "readonly" not in control.attrs:
                seen.typed.append(name)
        elif kind == "hidden":
            seen.fields.append((name, value))
