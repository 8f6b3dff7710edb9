"""Every page, in every role that can see it, passes axe's WCAG 2.1 A/AA rules; on a phone
nothing scrolls sideways. ``test_every_get_page_is_checked`` walks the url_map so a new
page cannot escape these checks. The pages themselves are listed in ``pages.py``.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import horizontal_overflow, markup_problems
from tests.browser.pages import (
    NOT_PAGES,
    PHONE_ROLES,
    ROLES,
    Visit,
    World,
    desktop_pages,
    pages_for,
    phone_pages,
    seed_world,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def world(app, clock) -> World:
    return seed_world(clock)


def _email_of(role: str, w: World) -> str | None:
    return None if role == "anonymous" else getattr(w, role)


def request_reset_link(page, email: str, mail) -> str:
    """Ask for a reset through the form; return the link's path from the mail that arrives."""
    page.goto("/reset")
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Send reset link").click()
    page.get_by_text("a reset link is on its way").wait_for()
    message = mail.wait_for(lambda m: m["To"] == email)
    return re.search(r"https?://[^/\s]+(/reset/\S+)", message.get_content()).group(1)


def check_pages(page, visits: list[Visit], server, axe, *, phone: bool = False) -> list[str]:
    """Visit each page; return every problem found (all of them, not just the first)."""
    problems = []
    for visit in visits:
        where = visit.path + (f" ({visit.label})" if visit.label else "")
        mark = len(server.served)
        page.goto(visit.path)
        if visit.then is not None:
            mark = len(server.served)
            with page.expect_navigation():
                visit.then(page)
        # What the page loads besides itself (a project's screenshots) is not the answer.
        served = [s for s in server.pages_since(mark) if s.endpoint not in NOT_PAGES]
        got = (served[-1].endpoint, served[-1].status) if served else "no answer"
        if got != (visit.endpoint, visit.status):
            problems.append(f"{where}: expected {visit.endpoint} with {visit.status}, got {got}")
            continue
        if visit.shows not in " ".join(page.locator("main").text_content().split()):
            problems.append(f"{where}: the page does not show {visit.shows!r}")
        problems.append(axe(page, where))
        problems.append(markup_problems(page, where))
        if phone:
            problems.append(horizontal_overflow(page, where))
    return [p for p in problems if p]


def _start(role: str, page, world: World, sign_in, mail) -> str:
    """Sign the role in; for anonymous, get a real reset link. Returns the reset path."""
    if role == "anonymous":
        return request_reset_link(page, world.registrant, mail)
    sign_in(page, _email_of(role, world))
    return "/reset/TOKEN"


# --- the tests ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_pages_pass_axe_on_desktop(role, world, desktop, live_server, axe, sign_in, mail):
    reset_path = _start(role, desktop, world, sign_in, mail)
    problems = check_pages(desktop, desktop_pages(role, world, reset_path), live_server, axe)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", PHONE_ROLES)
def test_pages_pass_axe_and_fit_a_phone(role, world, phone, live_server, axe, sign_in, mail):
    reset_path = _start(role, phone, world, sign_in, mail)
    problems = check_pages(
        phone, phone_pages(role, world, reset_path), live_server, axe, phone=True
    )
    assert not problems, "\n".join(problems)


def test_non_page_endpoints_serve_no_html(world, desktop, live_server, sign_in):
    sign_in(desktop, world.admin)  # an organizer of every event
    t = world.teams
    for path in (
        "/healthz",
        f"/events/{world.slug}/roster.csv",
        "/datasets/data.json",
        f"/events/{t.slug}/manage/teams.csv",
        f"/events/{t.slug}/manage/projects.csv",
        f"/events/{t.slug}/projects/{t.project_id}/screenshots/{t.screenshot_name}",
    ):
        response = desktop.request.get(path)
        assert response.ok, path
        assert "text/html" not in response.headers["content-type"], path


def test_every_get_page_is_checked(app, world):
    get_endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    for viewport, roles, pages in (
        ("desktop", ROLES, desktop_pages),
        ("phone", PHONE_ROLES, phone_pages),
    ):
        checked = {v.endpoint for role in roles for v in pages(role, world)}
        missing = sorted(get_endpoints - checked - set(NOT_PAGES))
        assert not missing, (
            f"GET endpoints the {viewport} accessibility check never visits; "
            "add them to pages_for() (or, if they serve no HTML, to NOT_PAGES): "
            f"{missing}"
        )
    named = set(NOT_PAGES) | {v.endpoint for role in ROLES for v in pages_for(role, world)}
    stale = sorted(named - get_endpoints - {None})
    assert not stale, f"endpoints named here that the app no longer has: {stale}"
