"""The team and project pages each role visits, built from ``team_world``.

In the Transit Data Sprint the organizer role (Olivia) captains Route Finders, the registrant
(Riley) is its member, the waitlisted person (Wren) captains Night Owls; the other organizer
(Omar) runs the event, and admins manage every event.
"""

from __future__ import annotations

from tests.browser.team_world import TeamWorld
from tests.browser.visit import Visit

NOT_PAGES = {
    "teams.manage_csv": "the teams as a CSV download",
    "projects.manage_csv": "the projects as a CSV download",
    "projects.screenshot": "a screenshot image (PNG or JPEG)",
}

RUNS_EVENT = ("other_organizer", "admin")


def _project_form_no_title(page) -> None:
    page.get_by_label("Project title").fill("")
    page.get_by_role("button", name="Save project").click()


def _public_pages(role: str, t: TeamWorld) -> list[Visit]:
    e = f"/events/{t.slug}"
    return [
        Visit("teams.index", f"{e}/teams", "Night Owls"),
        Visit("teams.board_index", f"{e}/board", "Jordan Joiner"),
        Visit(
            "teams.board_index",
            f"{e}/board?skill=gis",
            "Showing people and teams with “gis”",
            label="filtered by skill",
        ),
        Visit("projects.gallery", f"{e}/projects", "Last Bus Home"),
        Visit(
            "projects.gallery",
            f"{e}/projects?challenge={t.challenge_id}",
            "1 project",
            label="filtered by challenge",
        ),
        Visit(
            "projects.show",
            f"{e}/projects/{t.project_id}",
            "Dialysis Facility - Listing by Facility",
        ),
    ]


def _team_page(role: str, t: TeamWorld) -> list[Visit]:
    path = f"/events/{t.slug}/teams/{t.team_id}"
    shows = {
        "anonymous": "GIS, Python",
        "stranger": "Ask to join",
        "registrant": "Leave the team",  # a member
        "waitlisted": "if the captain accepts, you move to Route Finders",  # in another team
        "organizer": "Accept Jordan Joiner",  # the captain, with a request waiting
        "other_organizer": "Riley Registrant",
        "admin": "Olivia Organizer (captain)",
    }[role]
    return [Visit("teams.show", path, shows, label="as " + role)]


def _own_project_pages(t: TeamWorld) -> list[Visit]:
    """What a member of Route Finders sees of its project."""
    p = f"/events/{t.slug}/projects/{t.project_id}"
    return [
        Visit("projects.edit", f"{p}/edit", f"Edit {t.project_title}"),
        Visit(
            "projects.edit",
            f"{p}/edit",
            "Enter your project's title.",
            then=_project_form_no_title,
            label="with no title",
        ),
        Visit("projects.datasets", f"{p}/datasets", "Home Health Care Agencies"),
        Visit(
            "projects.datasets",
            f"{p}/datasets?q=hospital",
            "match “hospital”",
            label="searching",
        ),
        Visit("projects.screenshots", f"{p}/screenshots", "2 of 5 screenshots"),
    ]


def team_pages(role: str, t: TeamWorld) -> list[Visit]:
    """Team and project pages for ``role`` in the Transit Data Sprint."""
    e = f"/events/{t.slug}"
    visits = _public_pages(role, t) + _team_page(role, t)
    if role in ("registrant", "waitlisted", "organizer"):  # registered in this event
        visits.append(Visit("teams.board_entry", f"{e}/board/me", "Skills you bring"))
    elif role != "anonymous":  # the board would refuse them, so the page says why
        visits.append(
            Visit("teams.board_entry", f"{e}/board/me", "Teams are for confirmed registrants")
        )
    if role == "anonymous":
        visits += [
            Visit("accounts.login", f"{e}/projects/new", "Sign in", label="project, signed out"),
            Visit(
                "datasets.publisher",
                f"/datasets/publishers/{t.publisher_id}",
                "Dialysis Facility - Listing by Facility",
            ),
        ]
    if role == "stranger":
        visits += [
            Visit("teams.join_link", f"{e}/teams/join/{t.invite_code}", "Join Route Finders?"),
            Visit(
                "teams.join_link",
                f"{e}/teams/join/not-a-code",
                "This invite link does not work",
                404,
                label="unknown code",
            ),
            Visit("projects.create", f"{e}/projects/new", "You need a team"),
            Visit(
                "projects.edit",
                f"{e}/projects/{t.project_id}/edit",
                "Not allowed",
                403,
                label="not their team's",
            ),
            Visit("teams.manage", f"{e}/manage/teams", "Not allowed", 403, label="not allowed"),
        ]
    if role == "registrant":
        visits += [
            Visit(
                "teams.join_link",
                f"{e}/teams/join/{t.invite_code}",
                "You are already in this team",
                label="already in",
            ),
            Visit(
                "projects.show",
                f"{e}/projects/{t.project_id}",
                "Withdraw project",
                label="as a member",
            ),
        ]
    if role == "waitlisted":
        visits.append(
            Visit(
                "teams.show",
                f"{e}/teams/{t.other_team_id}",
                "Requests to join (0)",
                label="own team, no requests",
            )
        )
    if role == "organizer":
        visits += [
            Visit(
                "events.confirm_cancel_registration",
                f"{e}/registration/cancel",
                "becomes its captain",
                label="a captain's",
            ),
            Visit(
                "teams.join_link",
                f"{e}/teams/join/{t.invite_code}",
                "You are already in this team",
                label="own team's link",
            ),
            Visit(
                "projects.show",
                f"{e}/projects/{t.project_id}",
                "Withdraw project",
                label="as a member",
            ),
            *_own_project_pages(t),
        ]
    if role in RUNS_EVENT:
        visits += [
            Visit("teams.manage", f"{e}/manage/teams", "Looking, without a team (2)"),
            Visit("projects.manage", f"{e}/manage/projects", "The public gallery is open."),
            Visit(
                "projects.show",
                f"{e}/projects/{t.other_project_id}",
                "Changes are possible until",
                label="organizing",
            ),
        ]
    if role == "admin":
        visits.append(Visit("projects.create", f"{e}/projects/new", "You need a team"))
    return visits
