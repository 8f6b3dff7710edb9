"""The README's screenshots, taken from the demo data on every run so they never go stale.

Desktop shots are the full page at 1280 px; phone shots are the first screen at 375 px
(device scale 2). The pages are also checked with axe, on their realistic content.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from eventhub.demo import seed
from eventhub.extensions import db
from tests.browser.conftest import horizontal_overflow, settle

pytestmark = pytest.mark.browser

README_IMAGES = Path(__file__).resolve().parents[2] / "static" / "img" / "readme"
PAGES = {"home": "/", "event": "/events/health-datapalooza-demo"}


@pytest.fixture
def demo(app):
    seed()
    db.session.commit()
    settle()


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_readme_screenshots_of_the_demo(viewport, demo, new_page, axe):
    README_IMAGES.mkdir(parents=True, exist_ok=True)
    page = new_page(viewport)
    problems = []
    for name, path in PAGES.items():
        assert page.goto(path).ok, path
        page.evaluate("document.fonts.ready")
        problems += [axe(page, f"{path} ({viewport})")]
        if viewport == "phone":
            problems += [horizontal_overflow(page, path)]
        target = README_IMAGES / f"{name}-{viewport}.png"
        page.screenshot(path=target, full_page=viewport == "desktop", animations="disabled")
        assert target.stat().st_size > 10_000, f"{target} looks empty"
    problems = [p for p in problems if p]
    assert not problems, "\n".join(problems)
