"""Judging from start to finish in Chromium: the organizer sets the rubric and invites two
judges by email; one creates an account from the emailed link, the other signs in, and both
accept; one declares a conflict with a team. After the submission deadline the organizer
assigns, each judge scores on a 375 px wide phone (the conflicted entry is never in that
judge's queue, nor can it be opened), the organizer publishes, and a team member reads the
feedback: averages per criterion and the comments, with no judge named.

The clock is frozen at 2026-03-02 15:00 UTC; the event starts a week later and the clock is
moved past its submission deadline, which opens judging, once the judges have accepted.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture reports the missing Playwright (skip or failure)
    expect = None

from tests.browser.conftest import horizontal_overflow, settle
from tests.factories import (
    PASSWORD,
    make_event,
    make_organizer,
    make_submission,
    make_team,
    make_user,
)
from tests.integration.pages import signup_link

pytestmark = pytest.mark.browser

NEW_JUDGE = ("Nora Newcomer", "nora@example.net", "orbit-lantern-meadow-42")
CRITERIA = ("Impact", "Use of open data", "Execution", "Presentation")
# Each entry's level on every criterion from Nora; Ezra gives one more (at most 5).
ENTRIES = {
    "Bike Lane Counter": ("Bike Counters", "Bo Bicycle", 3),
    "Bus Bunching Alerts": ("Bus Buddies", "Tess Transit", 4),
    "Crosswalk Timer Audit": ("Crosswalk Cams", "Cy Crossing", 2),
}
CONFLICTED = "Bike Lane Counter"
COMMENTS = {
    "Nora Newcomer": "Alerts arrive in time to matter; show the route map too.",
    "Ezra Existing": "A clear pitch and a demo that worked on the first try.",
}


def _safe_streets():
    """Three teams with submitted projects, an organizer and an existing account."""
    organizer = make_organizer(name="Olivia Organizer")
    event = make_event(
        organizer=organizer, slug="safe-streets-datajam", title="Safe Streets Datajam", hours=32
    )
    event.submission_deadline = event.starts_at + timedelta(hours=30)
    ids = {}
    for title, (team_name, member, _) in ENTRIES.items():
        person = make_user(name=member, email=f"{member.split()[0].lower()}@example.org")
        team = make_team(event, person, name=team_name)
        entry = make_submission(
            team,
            title=title,
            tagline=f"{team_name}' project.",
            state="submitted",
            submitted_at=event.starts_at + timedelta(hours=20),
        )
        ids[title] = entry.id
    ezra = make_user(name="Ezra Existing", email="ezra@example.org")
    people = (organizer.email, ezra.email, event.slug, event.submission_deadline)
    settle()
    return people, ids


def _set_up_judging(page, slug: str) -> None:
    """Judges per entry, then the starting rubric with Impact weighted up."""
    page.goto(f"/events/{slug}")
    page.get_by_role("navigation", name="Manage this event").get_by_role(
        "link", name="Judging setup"
    ).click()
    page.get_by_label("Judges per entry").fill("2")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("status")).to_contain_text("Judging settings saved.")

    page.get_by_role("navigation", name="Judging setup").get_by_role("link", name="Rubric").click()
    expect(page.locator("#rubric-state")).to_contain_text("No rubric is saved yet.")
    page.locator("#criterion-1").get_by_label("Weight").fill("4")
    page.get_by_role("button", name="Save the rubric").click()
    expect(page.get_by_role("status")).to_contain_text("The rubric is saved.")
    expect(page.get_by_role("row", name=re.compile("^Impact"))).to_contain_text("36.4%")


def _invite(page, emails: list[str]) -> None:
    page.get_by_role("navigation", name="Judging setup").get_by_role("link", name="Judges").click()
    page.get_by_label("Email addresses").fill("\n".join(emails))
    page.get_by_role("button", name="Send invitations").click()
    expect(page.get_by_role("status")).to_contain_text(f"Invitation sent to {', '.join(emails)}.")
    expect(page.get_by_role("heading", name="Waiting for an answer (2)")).to_be_visible()


def _link_in_mail(mail, email: str) -> str:
    message = mail.wait_for(lambda m: m["To"] == email)
    assert message["Subject"] == "Olivia Organizer invites you to judge Safe Streets Datajam"
    return re.search(r"https?://[^/\s]+(/events/\S+)", message.get_content()).group(1)


def _accept(page) -> None:
    page.get_by_role("button", name="Accept and become a judge").click()
    expect(page.get_by_role("status")).to_contain_text("You are a judge of Safe Streets Datajam.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your conflicts of interest")


def _new_judge_accepts_and_declares(page, link: str, mail) -> None:
    name, email, password = NEW_JUDGE
    page.goto(link)
    page.locator("main").get_by_role("link", name="Create an account").click()
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Repeat password").fill(password)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    page.goto(signup_link(mail, email))  # the link in the email, opened in the same browser
    page.get_by_role("button", name="Create my account").click()
    expect(page.locator("#invitation-state")).to_contain_text(f"signed in as {name}")
    _accept(page)
    team_form = page.locator("form", has=page.get_by_role("button", name=re.compile("this team")))
    team_form.get_by_label("Team", exact=True).select_option(label="Bike Counters")
    team_form.get_by_label("Reason").fill("My brother is on this team.")
    team_form.get_by_role("button", name="Declare the conflict with this team").click()
    expect(page.get_by_role("status")).to_contain_text("Your conflict is recorded")
    expect(page.locator("#declared")).to_contain_text("Conflict with Bike Counters")


def _existing_judge_signs_in_and_accepts(page, link: str, email: str) -> None:
    page.goto(link)
    page.locator("main").get_by_role("link", name="Sign in").click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#invitation-state")).to_contain_text("signed in as Ezra Existing")
    _accept(page)


def _assign(page, slug: str) -> None:
    page.goto(f"/events/{slug}")
    page.get_by_role("navigation", name="Manage this event").get_by_role(
        "link", name="Assignments"
    ).click()
    page.get_by_role("button", name="Assign judges").click()
    expect(page.get_by_role("status").first).to_contain_text("Assignment done: added 5 pairs.")


def _score_queue(page, slug: str, judge: str, extra: int) -> list[str]:
    """Score every entry of the judge's queue with Save and next; returns the titles."""
    page.goto(f"/events/{slug}")
    page.get_by_role("link", name="Your judging queue").click()
    queue = page.locator("#queue")
    expect(queue.get_by_role("listitem").first).to_be_visible()
    count = queue.get_by_role("listitem").count()
    expect(page.locator("#progress-text")).to_have_text(f"0 of {count} scored")
    assert not horizontal_overflow(page), horizontal_overflow(page)
    queue.get_by_role("link").first.click()
    scored = []
    for _ in range(count):
        expect(page.get_by_role("button", name="Save and next")).to_be_visible()
        title = page.get_by_role("heading", level=1).inner_text()
        level = min(5, ENTRIES[title][2] + extra)
        for criterion in CRITERIA:
            group = page.get_by_role("group", name=re.compile(f"^{criterion} "))
            group.locator("label", has_text=re.compile(f"^Level {level} ")).click()
        if title == "Bus Bunching Alerts":
            page.get_by_label("Comment for the team").fill(COMMENTS[judge])
        page.get_by_label("Private note for the organizers").fill(f"{judge} was here.")
        assert not horizontal_overflow(page), horizontal_overflow(page)
        page.get_by_role("button", name="Save and next").click()
        expect(page.get_by_role("status").first).to_contain_text(f"Scores for “{title}” saved.")
        scored.append(title)
    expect(page.get_by_role("status").last).to_have_text(
        re.compile("Every entry in your queue is scored. Thank you!")
    )
    expect(page.locator("#progress-text")).to_have_text(f"{count} of {count} scored")
    return scored


def _publish(page, slug: str) -> None:
    page.goto(f"/events/{slug}")
    page.get_by_role("navigation", name="Manage this event").get_by_role(
        "link", name="Results"
    ).click()
    page.get_by_text("I have checked the rankings, the tie-breaks and the prizes.").click()
    page.get_by_role("button", name="Publish the results").click()
    expect(page.get_by_role("status")).to_contain_text("The results are published.")


def test_organizer_invites_judges_who_score_on_phones_and_teams_read_feedback(
    app, new_page, sign_in, mail, clock
):
    (olivia, ezra, slug, deadline), ids = _safe_streets()
    organizer = new_page("desktop")
    sign_in(organizer, olivia)
    _set_up_judging(organizer, slug)
    _invite(organizer, [NEW_JUDGE[1], ezra])

    nora_phone, ezra_phone = new_page("phone"), new_page("phone")
    _new_judge_accepts_and_declares(nora_phone, _link_in_mail(mail, NEW_JUDGE[1]), mail)
    _existing_judge_signs_in_and_accepts(ezra_phone, _link_in_mail(mail, ezra), ezra)

    clock.set(deadline + timedelta(minutes=1))  # submissions are closed: judging opens
    _assign(organizer, slug)

    nora_scored = _score_queue(nora_phone, slug, "Nora Newcomer", extra=0)
    assert sorted(nora_scored) == ["Bus Bunching Alerts", "Crosswalk Timer Audit"]
    assert CONFLICTED not in nora_phone.locator("main").inner_text()
    refused = nora_phone.goto(f"/events/{slug}/judging/{ids[CONFLICTED]}")
    assert refused.status == 403
    expect(nora_phone.locator("#refusal")).to_have_text(
        "You have a conflict of interest with this entry, so it is not yours to score."
    )
    assert CONFLICTED not in nora_phone.locator("main").inner_text()
    ezra_scored = _score_queue(ezra_phone, slug, "Ezra Existing", extra=1)
    assert sorted(ezra_scored) == sorted(ENTRIES)

    _publish(organizer, slug)

    member = new_page("desktop")
    sign_in(member, "tess@example.org")
    member.goto(f"/events/{slug}/teams")
    member.locator("#teams").get_by_role("link", name="Bus Buddies").click()
    member.get_by_role("link", name="The judges’ feedback on your project").click()
    expect(member.get_by_role("heading", level=1)).to_have_text("Judges’ feedback")
    rows = member.locator("#criteria tbody tr")
    expect(rows).to_have_count(len(CRITERIA))
    for criterion in CRITERIA:  # Nora's 4 and Ezra's 5 on each, from two sheets
        row = member.get_by_role("row", name=re.compile(f"^{criterion}"))
        expect(row.locator("td")).to_have_text(["4.50", "1 to 5", "2"])
    expect(member.locator("#comments li")).to_have_text(sorted(COMMENTS.values()))
    shown = member.locator("main").inner_text()
    for judge in ("Nora Newcomer", "Ezra Existing", "was here"):
        assert judge not in shown  # no judge named, no private note shown
