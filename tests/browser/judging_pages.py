"""The judging, demo-day and results pages each role visits, built from ``judging_world``.

The judge role (Jamie) is a role of its own with only these pages: every other role walks
every page, so a judge who did the same would double the cost of the checks for nothing.
Olivia (the organizer role) runs the Air Quality Hackathon and the Civic Tech Expo and
captains Route Finders in the Transit Data Sprint, whose results are published; Riley (the
registrant role) is in her team there and has voted.
"""

from __future__ import annotations

from tests.browser.judging_world import JudgingWorld
from tests.browser.visit import Visit

NOT_PAGES = {
    "judging.scores_csv": "every score as a CSV download",
}


def _save_empty_sheet(page) -> None:
    page.get_by_role("button", name="Save", exact=True).click()


def _judge_pages(j: JudgingWorld) -> list[Visit]:
    h = f"/events/{j.slug}"
    return [
        Visit("judging.queue", f"{h}/judging", f"{j.scored_count} of {j.queued_count} scored"),
        Visit("judging.score", f"{h}/judging/{j.unscored_id}", "Save and next"),
        Visit(
            "judging.score",
            f"{h}/judging/{j.unscored_id}",
            "Choose a level for Impact",
            then=_save_empty_sheet,
            label="with no level chosen",
        ),
        Visit("judging.conflicts", f"{h}/judging/conflicts", f"Conflict with {j.conflicted_team}"),
        Visit("judging.compare", f"/events/{j.expo_slug}/judging/compare", "Which was better?"),
    ]


def _organizer_pages(j: JudgingWorld) -> list[Visit]:
    """Olivia's: running the hackathon and the expo, and her team's side of the sprint."""
    m = f"/events/{j.slug}/manage"
    t = f"/events/{j.transit_slug}"
    return [
        Visit("judging.settings", f"{m}/judging/settings", "Hold a pairwise first round"),
        Visit("judging.rubric_page", f"{m}/judging/rubric", "Judging has begun"),
        Visit(
            "judging.challenge_rubric",
            f"{m}/judging/rubric/{j.challenge_slug}",
            "judged by this rubric instead of",
        ),
        Visit("judging.judges_page", f"{m}/judging/judges", "Waiting for an answer (1)"),
        Visit("judging.assignments", f"{m}/judging/assignments", "4 entries in the rubric round"),
        Visit("judging.dashboard", f"{m}/judging", "How each judge scores"),
        Visit(
            "judging.pairwise",
            f"/events/{j.expo_slug}/manage/judging/pairwise",
            "Send the top entries to the final",
        ),
        Visit("demoday.organize", f"{m}/demo-day", "Replace the running order"),
        Visit("demoday.control", f"{m}/demo-day/control", j.presenting),
        Visit("results.organize", f"{m}/results", "Not published"),
        Visit("results.feedback", f"{t}/results/feedback", j.comment),
        Visit("results.vote", f"{t}/vote", "Voting closed when the results were published"),
    ]


def judging_pages(role: str, j: JudgingWorld) -> list[Visit]:
    h = f"/events/{j.slug}"
    invitation = f"{h}/judging/invitations/{j.invite_token}"
    if role == "judge":
        return _judge_pages(j)
    if role == "anonymous":
        return [
            Visit("demoday.view", f"{h}/demo-day", "Demo day running order"),
            Visit(
                "demoday.screen",
                f"{h}/demo-day/now?refresh=off",
                f"Now presenting {j.presenting_team}",
            ),
            Visit(
                "results.view",
                f"/events/{j.transit_slug}/results",
                "How the ranking was computed",
            ),
            Visit("judging.invitation", invitation, "sign in or create an account"),
        ]
    if role == "stranger":
        return [
            Visit("judging.invitation", invitation, "Accept and become a judge", label="signed in")
        ]
    if role == "registrant":
        return [
            Visit(
                "results.vote",
                f"/events/{j.transit_slug}/vote",
                f"Your vote goes to {j.voted_for}",
                label="voted",
            )
        ]
    if role == "organizer":
        return _organizer_pages(j)
    return []
