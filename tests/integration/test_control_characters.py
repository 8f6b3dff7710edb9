"""Control characters never reach storage: every form refuses them beside the field, and
imports take them out and say so; on SQLite and PostgreSQL alike (PostgreSQL refuses NUL in
text, which would otherwise be a 500).

The form walk reads every page of a seeded install as each kind of person, and sends each
form found there as a browser would, with its typed fields holding NUL, other C0 and C1
characters and (in single-line fields) a line break. Malformed requests in general are
test_malformed_requests.py's.
"""

from __future__ import annotations

import json
import re

from sqlalchemy import JSON, String
from werkzeug.datastructures import MultiDict
from wtforms import FieldList, FormField, HiddenField, StringField
from wtforms.fields.core import UnboundField

from eventhub.datasets.models import Dataset, DatasetImport
from eventhub.events.models import Event
from eventhub.extensions import db
from eventhub.forms import CONTROL_MESSAGE, LINE_BREAK_MESSAGE
from tests.factories import make_admin, make_user, register
from tests.integration.crawl import every_form_class, forms_on, html_pages, open_judging
from tests.integration.datasets_support import catalog_bytes, upload
from tests.integration.pages import Page, page
from tests.integration.world import build_world

# What may never be stored, whatever the field: C0 but tab, line feed and carriage return;
# DEL; C1. (Line breaks in single-line fields are checked by the messages shown.)
REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
ONE_LINE = "Nul\x00 start\x01 del\x7f c1\x80\x85\x9f end\r\nsecond line"
LINES = "Nul\x00 start\x01 end\r\nsecond\x7f\x9f line"
BREAK_ONLY = "First line\r\nsecond line"
NUL_IN_ADDRESS = "The address holds a NUL character."
# Forms whose text fields are sent by buttons, never typed: tested on their own below.
BUTTON_SENT = {"CompareForm"}
# The admin opens every organizer page of event A too, so the organizer is not walked again.
ROLES = ("anonymous", "registrant", "judge", "admin")


def stored_control_characters() -> list[str]:
    """table.column = value for every stored text (JSON strings and keys included) that holds
    a refused character."""
    db.session.rollback()
    found = []
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | JSON)]
        if not columns:
            continue
        for row in db.session.execute(db.select(*columns)):
            for column, value in zip(columns, row, strict=True):
                found.extend(
                    f"{table.name}.{column.name} = {text!r}"
                    for text in _strings(value)
                    if REFUSED.search(text)
                )
    return found


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


# --- forms ------------------------------------------------------------------------------


def typed_fields(form_class) -> set[str]:
    """The names of a form class's text fields, as its HTML names them (a row of a list of
    sub-forms as ``criteria-#-name``)."""
    names = set()
    for name in dir(form_class):
        unbound = getattr(form_class, name, None)
        if isinstance(unbound, UnboundField):
            names |= {f"{name}{suffix}" for suffix in _typed_suffixes(unbound)}
    return names


def _typed_suffixes(unbound: UnboundField) -> set[str]:
    kind = unbound.field_class
    if issubclass(kind, FieldList):
        return {f"-#{suffix}" for suffix in _typed_suffixes(unbound.args[0])}
    if issubclass(kind, FormField):
        return {f"-{name}" for name in typed_fields(unbound.args[0])}
    if issubclass(kind, StringField) and not issubclass(kind, HiddenField):
        return {""}
    return set()


def sent(form, single: str, multi: str) -> MultiDict:
    return MultiDict(
        [
            (name, (multi if name in form.multiline else single) if name in form.typed else value)
            for name, value in form.fields
        ]
    )


def refusals(app, login_as, world, form, single, multi) -> list[str]:
    """What is wrong with how one form answered: a 5xx, or a poisoned field with no error."""
    client = app.test_client()
    person = world.user(form.role)
    if person is not None:
        login_as(person, on=client)
    data = sent(form, single, multi)
    if form.method == "post":
        response = client.post(form.action, data=data)
    else:
        response = client.get(form.action, query_string=data)
    where = f"{form.method.upper()} {form.action} (form on {form.page} as {form.role})"
    if response.status_code >= 500:
        return [f"{where}: HTTP {response.status_code}"]
    if form.method == "get" and "\x00" in single + multi:
        # A NUL in any query string is refused before the view, with the reason; the other
        # characters are then tried on their own.
        if response.status_code != 400 or NUL_IN_ADDRESS not in page(response).text:
            return [f"{where}: a NUL answered {response.status_code}, not the 400 saying why"]
        return refusals(
            app, login_as, world, form, single.replace("\x00", ""), multi.replace("\x00", "")
        )
    if 300 <= response.status_code < 400:
        # A form posted from a page may answer on that page, with the message flashed.
        expected = LINE_BREAK_MESSAGE if single == BREAK_ONLY else CONTROL_MESSAGE
        target = client.get(response.headers["Location"])
        if expected in Page(target.get_data(as_text=True)).text:
            return []
        return [f"{where}: answered {response.status_code}, and no message where it leads"]
    if response.mimetype != "text/html":
        return [f"{where}: answered {response.mimetype}, not the form with its errors"]
    shown = Page(response.get_data(as_text=True))
    wrong = []
    for name in form.typed:
        if single == BREAK_ONLY and name in form.multiline:
            continue  # line breaks are text in a text area
        expected = LINE_BREAK_MESSAGE if single == BREAK_ONLY else CONTROL_MESSAGE
        errors = errors_beside(shown, name)
        if errors and any(expected in e for e in errors):
            continue
        if form.method == "get" and _searched_for_clean_text(shown, name):
            continue  # a search box may answer with the characters taken out instead
        wrong.append(f"{where}: field {name} shows {errors!r}")
    return wrong


def _searched_for_clean_text(shown: Page, name: str) -> bool:
    values = [
        n.attrs.get("value", "")
        for n in shown.root.walk()
        if n.tag == "input" and n.attrs.get("name") == name
    ]
    return bool(values) and all(
        v.strip() and not REFUSED.search(v) and "\r" not in v and "\n" not in v for v in values
    )


def errors_beside(shown: Page, name: str) -> list[str] | None:
    """The error messages tied (aria-describedby) to the controls named ``name``; None when
    the page has no such control. A page may hold one form per row with the same names."""
    controls = [
        n
        for n in shown.root.walk()
        if n.tag in ("input", "textarea", "select") and n.attrs.get("name") == name
    ]
    if not controls:
        return None
    return [
        node.text
        for control in controls
        for element_id in control.attrs.get("aria-describedby", "").split()
        for node in shown.by_id(element_id)
        if "usa-error-message" in node.attrs.get("class", "").split()
    ]


def test_every_form_refuses_control_characters_beside_the_field(app, login_as, mail):
    world = build_world(app, mail)
    # Forms to start, join or ask to join a team are offered only to a confirmed registrant
    # with no team, which none of the world's roles is.
    newcomer = make_user(name="Nell Newcomer")
    register(db.session.get(Event, world.event_id), newcomer)
    world.user_ids["newcomer"] = newcomer.id
    entry = open_judging(world)
    # The world's ids name the registrant's project, which the judge may not score.
    sheet = f"/events/{world.slug}/judging/{entry.id}"
    judge = login_as(world.user("judge"), on=app.test_client())
    shown_pages = [("judge", sheet, Page(judge.get(sheet).get_data(as_text=True)))]
    shown_pages += [
        (role, path, shown)
        for role in (*ROLES, "newcomer")
        for path, shown in html_pages(app, login_as, world, role)
    ]
    found = {}
    for role, path, shown in shown_pages:
        for form in forms_on(shown, path, role):
            if form.typed:
                found.setdefault(form.key, form)

    wrong = []
    for form in found.values():
        wrong += refusals(app, login_as, world, form, ONE_LINE, LINES)
        if set(form.typed) - form.multiline:
            wrong += refusals(app, login_as, world, form, BREAK_ONLY, BREAK_ONLY)

    assert wrong == [], "\n".join(wrong)
    assert stored_control_characters() == []
    met = [{re.sub(r"-\d+-", "-#-", n) for n in form.typed} for form in found.values()]
    never_met = sorted(
        f"{cls.__module__}.{cls.__qualname__} {sorted(names)}"
        for cls in every_form_class()
        if cls.__name__ not in BUTTON_SENT
        and (names := typed_fields(cls))
        and not any(names <= typed for typed in met)
    )
    assert never_met == [], "forms the walk never met:\n" + "\n".join(never_met)


def test_button_sent_values_with_control_characters_change_nothing(app, login_as, mail):
    """The pairwise screen's choice comes from its buttons, not from typing: a forged one is
    answered like any unknown button, and nothing is stored."""
    world = build_world(app, mail)
    judge = login_as(world.user("judge"), on=app.test_client())

    answered = judge.post(
        f"/events/{world.slug}/judging/compare", data={"choice": ONE_LINE, "current": ONE_LINE}
    )

    assert answered.status_code == 302
    assert stored_control_characters() == []


# --- imports ----------------------------------------------------------------------------


def poisoned_catalog() -> dict:
    """The real DCAT-US 1.1 sample with control characters in every text of its first record
    (and a line break in each single-line one)."""
    doc = json.loads(catalog_bytes("dcat-us-1.1-sample.json"))
    record = doc["dataset"][0]
    record["identifier"] = "widgets\x00-2011"
    record["title"] = "U.S. Widget\r\nManufacturing\x07 Statistics\x9f"
    record["description"] = "Line one\r\nline two\x00 with\x1b[31m escape\x85"
    record["keyword"] = ["widget\x00", "manu\x7ffacturing", "\x01"]
    record["publisher"]["name"] = "Widget\x00 Services"
    record["contactPoint"]["fn"] = "Jane\x0b Doe"
    record["distribution"][0]["title"] = "CSV\x00 file"
    record["distribution"][0]["description"] = "All\x08 rows"
    record["bureauCode"] = ["018:10\x00"]
    record["x-note\x00"] = "kept only in the original record\x01"
    return doc


def test_control_characters_in_a_catalog_are_taken_out_and_reported(app, client, login_as):
    login_as(make_admin())

    response = upload(client, json.dumps(poisoned_catalog()).encode(), "catalog\x00.json")

    assert response.status_code == 200
    db.session.rollback()
    history = db.session.scalars(db.select(DatasetImport)).one()
    assert history.status == "completed"
    assert (history.new_count, history.rejected_count) == (3, 0)
    report = page(response).by_id("amended")[0].text
    assert "widgets-2011" in report
    for part in ("identifier", "title", "description", "keywords", "publisher", "contact"):
        assert part in report
    assert "distributions" in report and "original record" in report
    dataset = db.session.scalars(db.select(Dataset).filter_by(identifier="widgets-2011")).one()
    assert dataset.title == "U.S. Widget Manufacturing Statistics"
    assert dataset.description == "Line one\r\nline two with[31m escape"
    assert dataset.keywords == ["widget", "manufacturing"]
    assert dataset.publisher.name == "Widget Services"
    assert stored_control_characters() == []
    shown = client.get(f"/datasets/{dataset.id}")
    assert shown.status_code == 200
    assert "U.S. Widget Manufacturing Statistics" in page(shown).text
