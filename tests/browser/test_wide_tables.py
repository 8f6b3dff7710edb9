"""Organizer tables on a 1280 px screen and a 375 px phone: no column is cut off. A table
either fits (on a phone the stacked tables reflow into one card per row) or scrolls inside
its own region, which keyboard users can focus and screen readers name, with a shadow on the
side where columns are out of sight; the page itself never scrolls sideways.

The pages come from the accessibility world (``pages.py``), seen by the admin, who organizes
every event; a waitlisted person with a long name and address widens the roster so that, on
the desktop, at least one table has to scroll.
"""

from __future__ import annotations

import pytest

from eventhub.events.models import Event
from eventhub.extensions import db
from tests.browser.conftest import settle
from tests.browser.pages import World, seed_world
from tests.factories import make_user, register

pytestmark = pytest.mark.browser

# No hyphen or space to break at: the waitlist table cannot fit 1280 px and has to scroll.
LONG_EMAIL = "maximilian.featherstonehaughworthington@transportationdepartment.example.gov"

CHECK_JS = """async () => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  const page = document.documentElement.scrollWidth;
  if (page > width + 0.5) problems.push(`the page scrolls sideways (${page} px in ${width} px)`);
  const scrolls = el => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
  const frame = () => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  const tables = [...document.querySelectorAll('main table')];
  let scrolled = 0;
  for (const table of tables) {
    const caption = table.caption ? table.caption.textContent.trim().slice(0, 40) : '';
    const name = `#${table.id} ${caption}`;
    let region = null;
    for (let el = table.parentElement; el && el !== document.body; el = el.parentElement)
      if (scrolls(el)) { region = el; break; }
    if (!region) {
      for (const cell of table.querySelectorAll('th, td')) {
        const box = cell.getBoundingClientRect();
        if (box.width && (box.left < -0.5 || box.right > width + 0.5)) {
          const text = cell.textContent.trim().slice(0, 30);
          problems.push(`${name}: "${text}" is cut off (right edge ${Math.round(box.right)} px)`);
          break;
        }
      }
      continue;
    }
    const box = region.getBoundingClientRect();
    if (box.left < -0.5 || box.right > width + 0.5)
      problems.push(`${name}: its scrolling box sticks out of the screen`);
    if (region.scrollWidth <= region.clientWidth + 1) continue;
    scrolled += 1;
    // Columns out of sight: the region must be reachable, named, and show that there is more.
    const named = region.getAttribute('role') === 'region' && region.getAttribute('aria-label');
    if (!named || region.tabIndex !== 0)
      problems.push(`${name}: columns out of sight in a box that is no named, focusable region`);
    const outer = region.parentElement;
    const cue = side => getComputedStyle(outer, side).opacity === '1';
    region.scrollLeft = 0;
    await frame();
    if (!cue('::after') || cue('::before'))
      problems.push(`${name}: at the start, no shadow on the right says more columns are there`);
    region.scrollLeft = region.scrollWidth;
    await frame();
    if (!cue('::before') || cue('::after'))
      problems.push(`${name}: at the end, no shadow on the left says columns went by`);
    region.scrollLeft = 0;
  }
  return {tables: tables.length, scrolled, problems};
}"""


@pytest.fixture
def world(app, clock) -> World:
    w = seed_world(clock)
    event = db.session.scalar(db.select(Event).where(Event.slug == w.slug))
    register(
        event,
        make_user(name="Maximilian Featherstonehaugh-Worthington", email=LONG_EMAIL),
    )
    db.session.commit()
    settle()
    return w


def organizer_table_pages(w: World) -> list[str]:
    """Every page with an organizer's table (and the public ones that share its partials)."""
    j, t = w.judging, w.teams
    return [
        f"/events/{w.slug}/roster",
        "/admin/users",
        f"/events/{t.slug}/manage/teams",
        f"/events/{t.slug}/manage/projects",
        f"/events/{j.slug}/manage/judging/assignments",
        f"/events/{j.slug}/manage/judging",
        f"/events/{j.slug}/manage/judging/rubric",
        f"/events/{j.expo_slug}/manage/judging/pairwise",
        f"/events/{j.slug}/manage/results",
        f"/events/{j.transit_slug}/results",
        f"/events/{j.transit_slug}/results/feedback",
        f"/events/{j.slug}/demo-day",
        "/datasets/imports",
        f"/datasets/{w.catalog.dataset_id}",
    ]


@pytest.mark.parametrize("kind", ["desktop", "phone"])
def test_wide_tables_scroll_in_their_own_region_and_never_cut_columns(
    kind, world, new_page, sign_in
):
    page = new_page(kind)  # 1280x900, or a 375 px phone
    sign_in(page, world.admin)
    problems, tables, scrolled = [], 0, 0

    for path in organizer_table_pages(world):
        page.goto(path)
        found = page.evaluate(CHECK_JS)
        tables += found["tables"]
        scrolled += found["scrolled"]
        problems += [f"{path}: {p}" for p in found["problems"]]

    assert not problems, "\n".join(problems)
    assert tables >= 20  # the pages did show their tables
    if kind == "desktop":
        assert scrolled, "no table had to scroll: the shadows went unchecked"


def test_every_table_in_the_templates_is_in_a_table_region():
    """The walk above sees the pages its world fills; this keeps a new table from escaping."""
    from pathlib import Path

    templates = Path(__file__).resolve().parents[2] / "templates"
    bare = []
    for path in sorted(templates.rglob("*.html")):
        if path == templates / "_macros" / "tables.html":  # its usage note shows a <table>
            continue
        lines = path.read_text().splitlines()
        for number, line in enumerate(lines):
            if "<table" in line and "{% call table_region(" not in lines[number - 1]:
                bare.append(f"{path.relative_to(templates)}:{number + 1}")
    assert not bare, "tables outside {% call table_region(...) %}: " + ", ".join(bare)
