"""No malformed request is a server error: every endpoint of app.url_map, asked by a person
who may use it, with broken input of every kind, answers something other than 5xx.

Each endpoint meets each kind of malformation once: its GET pages are read first, and their
forms name the fields (and their types) each POST gets; the malformations are shared out over
the fields (and the query names the views read), a date field getting a bad date, a choice an
unknown value, so a few requests per endpoint cover every kind. Each route also gets ids out
of range, control characters and invalid UTF-8 in its path, and a method it does not take.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

import pytest

from eventhub.enums import EventStatus
from eventhub.events.models import Event
from eventhub.extensions import db
from tests.factories import PASSWORD, make_event, make_organizer, make_user, register
from tests.integration.datasets_support import report, upload
from tests.integration.pages import Page, page
from tests.integration.test_permissions import PUBLISHED, routes
from tests.integration.world import ROLES, build_world
from tests.load.http import server_env
from tests.support.server import running_gunicorn

HUGE = "99999999999999999999"
MEGABYTE = 1024 * 1024
FORM = "application/x-www-form-urlencoded"
# The names views read from query strings: as numbers (ids, pages) and as text.
QUERY_NUMBERS = ("page", "challenge", "dataset", "publisher")
QUERY_TEXTS = ("q", "next", "keyword", "format", "access", "kind", "refresh", "skill")
# Query strings taken in turn: numbers too large with text of 8 KB in all ending in bytes
# that are not UTF-8; numbers below any id with unknown values; NUL (a request of its own, as
# the first NUL read answers 400).
QUERIES = (
    "&".join(
        [f"{n}={HUGE}" for n in QUERY_NUMBERS] + [f"{n}={'a' * 1024}%FF%FE" for n in QUERY_TEXTS]
    ),
    "&".join([f"{n}=-2147483649" for n in QUERY_NUMBERS] + [f"{n}=9999-99" for n in QUERY_TEXTS]),
    "&".join([f"{n}=0" for n in QUERY_NUMBERS] + [f"{n}=a%00b" for n in QUERY_TEXTS]),
)
# Who asks: the first of these the permission table lets through.
PREFERENCE = ("admin", "organizer", "registrant", "judge", "stranger", "anonymous")
FIELD_KINDS = ("text", "number", "date", "datetime", "choice", "zone")
# Each malformation as a value for each kind of field. The last is not a value: 1 MB (10 KB
# for the other fields of the same body) ending in bytes that are not UTF-8, or in a query
# string an 8 KB URL ending so.
MALFORMATIONS: dict[str, dict[str, str]] = {
    "null bytes": dict.fromkeys(FIELD_KINDS, "a\x00b"),
    "huge numbers": {
        "text": HUGE,
        "number": HUGE,
        "date": "99999-01-01",
        "datetime": "9999-12-31T23:59",
        "choice": HUGE,
        "zone": "../../../etc/passwd",
    },
    "negative numbers and early dates": {
        "text": "-1",
        "number": "-2147483649",
        "date": "0001-01-01",
        "datetime": "0001-01-01T00:00",
        "choice": "-1",
        "zone": "Mars/Olympus_Mons",
    },
    "unknown values and impossible dates": {
        "text": "2026-02-30T25:61",
        "number": "NaN",
        "date": "2026-02-30",
        "datetime": "2026-13-45T25:61",
        "choice": "no-such-choice",
        "zone": "",
    },
    "long invalid UTF-8": dict.fromkeys(FIELD_KINDS, ""),
}
KINDS = list(MALFORMATIONS)
MULTIPART_WITHOUT_NAMES = (
    b"--XX\r\nContent-Disposition: form-data\r\n\r\nvalue \xff\xfe\r\n"
    b'--XX\r\nContent-Disposition: form-data; filename="a.png"\r\n'
    b"Content-Type: image/png\r\n\r\n\x89PNG\r\n--XX"
)


@dataclass
class Field:
    name: str
    kind: str  # one of FIELD_KINDS, or file / flag (left out)


@dataclass
class Target:
    endpoint: str
    method: str
    path: str
    role: str
    rule: object
    fields: list[Field] = field(default_factory=list)


def field_kind(node) -> str:
    name = node.attrs.get("name", "")
    if node.tag == "select":
        return "zone" if "zone" in name else "choice"
    kind = node.attrs.get("type", "text") if node.tag == "input" else "text"
    if kind in ("checkbox", "radio"):
        return "flag"
    if kind == "datetime-local":
        return "datetime"
    if kind in ("number", "date", "file"):
        return kind
    if kind == "hidden" and name.endswith("_id"):
        return "number"
    return "zone" if "zone" in name else "text"


def learn_forms(adapter, html: str, forms: dict[tuple[str, str], dict[str, Field]]) -> None:
    """Add the fields of the page's post forms to ``forms``, by the endpoint of their action."""
    for form in Page(html).all("form"):
        if form.attrs.get("method", "get").lower() != "post":
            continue
        try:
            endpoint, _ = adapter.match(urlsplit(form.attrs.get("action", "")).path, method="POST")
        except Exception:  # an action outside the app: nothing to learn
            continue
        fields = forms.setdefault((endpoint, "POST"), {})
        for node in form.walk():
            name = node.attrs.get("name")
            if node.tag in ("input", "select", "textarea") and name and name != "csrf_token":
                fields.setdefault(name, Field(name, field_kind(node)))


def learn_team_forms(app, login_as, world, adapter, forms) -> None:
    """Forms to start, join or ask to join a team are offered only to a confirmed registrant
    who has no team, a person none of the walk's roles is: one reads the team pages first."""
    free = make_user(name="Fran Free")
    register(db.session.get(Event, world.event_id), free)
    client = app.test_client()
    login_as(free, on=client)
    for target in targets(app, world):
        if target.method == "GET" and target.endpoint.startswith("teams."):
            response = client.get(target.path)
            if response.mimetype == "text/html":
                learn_forms(adapter, response.get_data(as_text=True), forms)


def role_for(endpoint: str, method: str) -> str:
    row = PUBLISHED.get((endpoint, method))
    for role in PREFERENCE:
        if row is not None and row[ROLES.index(role)] in ("OK", "DONE"):
            return role
    return "admin"


def signed_in(app, login_as, world, role):
    client = app.test_client()
    person = world.user(role)
    if person is not None:
        login_as(person, on=client)
    return client


def targets(app, world) -> list[Target]:
    """Every route and method, GETs first (their pages teach the POSTs their fields)."""
    adapter = app.url_map.bind("localhost")
    found = []
    for endpoint, method, rule in routes(app):
        path = adapter.build(endpoint, world.path_values(endpoint, set(rule.arguments)))
        found.append(Target(endpoint, method, path, role_for(endpoint, method), rule))
    return sorted(found, key=lambda t: t.method != "GET")


def assigned(names: list[tuple[str, str]], turn: int) -> list[tuple[str, str, str]]:
    """(name, field kind, malformation) in the turn-th rotation: over len(KINDS) turns every
    name meets every malformation, and within a turn the names share them out."""
    return [(name, kind, KINDS[(i + turn) % len(KINDS)]) for i, (name, kind) in enumerate(names)]


def form_body(fields: list[Field], turn: int) -> bytes:
    parts, big = [], True
    for name, kind, bad in assigned([(f.name, f.kind) for f in fields], turn):
        if bad == "long invalid UTF-8":
            value, big = b"x" * (MEGABYTE if big else 10 * 1024) + b"\xff\xfe\xc0", False
        else:
            value = quote(MALFORMATIONS[bad][kind]).encode()
        parts.append(quote(name).encode() + b"=" + value)
    return b"&".join(parts)


def requests_for(target: Target) -> Iterator[tuple[str, dict]]:
    """(what is malformed, client.open keyword arguments) for one endpoint and method."""
    fields = [f for f in target.fields if f.kind in FIELD_KINDS]
    turns = len(QUERIES) if target.method == "GET" else -(-len(KINDS) // max(1, len(fields)))
    for turn in range(turns):
        ask = {"method": target.method, "path": f"{target.path}?{QUERIES[turn % len(QUERIES)]}"}
        if target.method != "GET" and fields:
            ask |= {"data": form_body(fields, turn), "content_type": FORM}
        elif target.method != "GET":  # nothing to fill: the body is the broken multipart
            ask |= {"data": MULTIPART_WITHOUT_NAMES}
            ask |= {"content_type": "multipart/form-data; boundary=XX"}
        yield f"query and form, turn {turn}", ask
    if target.method != "GET" and fields:
        ask = {"method": target.method, "path": target.path, "data": MULTIPART_WITHOUT_NAMES}
        yield "multipart without names", ask | {"content_type": "multipart/form-data; boundary=XX"}


def path_requests(target: Target, world) -> Iterator[tuple[str, dict]]:
    """Once per route: its ids out of range, its text parts broken, a method it does not take."""
    rule, method = target.rule, target.method
    values = world.path_values(target.endpoint, set(rule.arguments))
    ints = [n for n, c in rule._converters.items() if type(c).__name__ == "DatabaseIdConverter"]
    texts = [n for n in rule.arguments if n not in ints]
    if ints:
        path = target.path
        for name, number in zip(ints, [HUGE, "2147483648", "0"] * 2, strict=False):
            path = path.replace(f"/{values[name]}", f"/{number}", 1)
        yield "ids out of range", {"method": method, "path": path}
    if texts:
        path = target.path
        for name in texts:
            path = path.replace(f"/{quote(str(values[name]))}", "/a%00%0A%FF%FE%C0%AF", 1)
        yield "control characters and invalid UTF-8 in the path", {"method": method, "path": path}
    unsupported = next(m for m in ("PUT", "DELETE", "PATCH", "PROPFIND") if m not in rule.methods)
    yield f"method {unsupported}", {"method": unsupported, "path": target.path}


@pytest.fixture
def config_overrides(tmp_path):
    return {"UPLOAD_DIR": str(tmp_path / "uploads")}


def test_no_malformed_request_to_any_endpoint_is_a_server_error(app, login_as, mail, caplog):
    world = build_world(app, mail)
    adapter = app.url_map.bind("localhost")
    forms: dict[tuple[str, str], dict[str, Field]] = {}
    learn_team_forms(app, login_as, world, adapter, forms)
    seen_rules: set[int] = set()
    failures, asked = [], 0
    with caplog.at_level(logging.ERROR, logger="eventhub"):
        for target in targets(app, world):
            known = forms.get((target.endpoint, target.method), {})
            target.fields = list(known.values()) or [Field("title", "text"), Field("id", "number")]
            asks = list(requests_for(target))
            if id(target.rule) not in seen_rules:
                seen_rules.add(id(target.rule))
                asks += list(path_requests(target, world))
            world.set_status(EventStatus.PUBLISHED)  # an earlier ask may have cancelled it
            client = signed_in(app, login_as, world, target.role)
            for kind, ask in asks:
                caplog.clear()
                response = client.open(**ask)
                asked += 1
                if response.status_code >= 500:
                    errors = [r.exc_info[1] for r in caplog.records if r.exc_info]
                    cause = repr(errors[-1])[:300] if errors else ""
                    failures.append(
                        f"{ask['method']} {target.endpoint} ({kind}) as {target.role}: "
                        f"{response.status_code} {cause}"
                    )
                elif target.method == "GET" and response.mimetype == "text/html":
                    learn_forms(adapter, response.get_data(as_text=True), forms)

    assert asked > 400 and len(forms) >= 40  # the walk reached the forms it means to fill
    assert failures == [], f"{len(failures)} server errors:\n" + "\n".join(failures)


# --- the observed cases, each on its own -------------------------------------------------------


def test_ids_beyond_the_database_integer_range_are_not_found(client, login_as):
    event = make_event()
    login_as(make_organizer())
    base = f"/events/{event.slug}"

    answers = {
        path: client.get(path).status_code
        for path in (
            f"{base}/projects/99999999999999999999",
            f"{base}/projects/2147483648",
            f"{base}/agenda/9223372036854775808/edit",
            f"{base}/projects?challenge={HUGE}&dataset=-1",
            f"/datasets?publisher={HUGE}&page=-3",
        )
    }

    assert answers == {
        f"{base}/projects/99999999999999999999": 404,
        f"{base}/projects/2147483648": 404,
        f"{base}/agenda/9223372036854775808/edit": 404,
        f"{base}/projects?challenge={HUGE}&dataset=-1": 200,
        f"/datasets?publisher={HUGE}&page=-3": 200,
    }


@pytest.mark.parametrize(
    "next_",
    ["/events%0d%0aSet-Cookie:%20a=b", "/%0a/evil.example", "/%09/evil.example", "/%0d/evil"],
)
def test_a_next_with_control_characters_goes_to_a_local_page_after_sign_in(client, next_):
    make_user(email="ada@example.org")

    response = client.post(
        f"/login?next={next_}", data={"email": "ada@example.org", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/events"


def test_a_catalog_with_a_100000_digit_number_is_a_clear_import_error(client, login_as):
    login_as(make_organizer())
    body = b'{"conformsTo": "https://project-open-data.cio.gov/v1.1/schema", "dataset": [' + (
        b"7" * 100_000 + b"]}"
    )

    response = upload(client, body)

    assert response.status_code == 200
    assert report(response) == "Nothing was imported The file holds a number too long to be read."


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_multipart_part_without_a_name_is_a_bad_request_with_csrf_on(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    body = b"--XX\r\nContent-Disposition: form-data\r\n\r\nvalue\r\n--XX--\r\n"

    response = client.post("/login", data=body, content_type="multipart/form-data; boundary=XX")

    assert response.status_code == 400
    assert "no name" in page(response).text


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_malformed_chunked_body_is_a_bad_request_under_gunicorn(app, database_url):
    db.session.commit()
    with running_gunicorn(server_env(database_url), workers=1, threads=1) as base_url:
        host, port = urlsplit(base_url).hostname, urlsplit(base_url).port
        with socket.create_connection((host, port), timeout=10) as conn:
            conn.sendall(
                b"POST /login HTTP/1.1\r\nHost: localhost\r\n"
                b"Content-Type: application/x-www-form-urlencoded\r\n"
                b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                b"zz\r\nemail=a\r\n0\r\n\r\n"
            )
            answer = b""
            while chunk := conn.recv(65536):
                answer += chunk

    assert answer.split(b" ", 2)[1] == b"400", answer[:200]
