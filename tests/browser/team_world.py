"""Teams and projects in the other organizer's Transit Data Sprint, as the accessibility
checks see them (the pages each role visits are in ``team_pages.py``).

Everything is made through the services, as the buttons do: registrations, two teams (one
formed by invite code, with a pending request to join), board entries, and two submitted
projects for different challenges, one with datasets and real PNG screenshots. The gallery
is open. The main event's organizer (Olivia) takes part here as a participant, so the phone
check, which signs in as her, sees the team's own pages.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageDraw

from eventhub.datasets.models import Dataset
from eventhub.extensions import db
from eventhub.submissions import organize
from eventhub.submissions import services as projects
from eventhub.teams import board
from eventhub.teams import services as teams
from tests.factories import link_dataset, make_challenge, make_user, register


@dataclass(frozen=True)
class TeamWorld:
    slug: str  # the Transit Data Sprint, gallery open
    team_id: int  # captain Olivia (organizer role), member Riley; Jordan asks to join
    team_name: str
    other_team_id: int  # captain Wren (waitlisted role), full of need for a designer
    invite_code: str
    project_id: int  # the team's: submitted, two datasets, two screenshots
    project_title: str
    other_project_id: int
    challenge_id: int  # the team's challenge
    challenge_title: str
    screenshot_name: str
    publisher_id: int  # CMS, whose datasets the challenges and the project use


def screenshot_png(size: tuple[int, int] = (640, 400), accent=(0, 94, 162)) -> bytes:
    """A map-like screenshot: real PNG bytes, as a browser would upload."""
    image = Image.new("RGB", size, (246, 246, 240))
    draw = ImageDraw.Draw(image)
    width, height = size
    for x in range(0, width, 40):
        draw.line([(x, 0), (x, height)], fill=(220, 220, 214))
    draw.line([(20, height - 40), (width // 2, height // 3), (width - 30, 50)], accent, width=6)
    for point in ((20, height - 40), (width // 2, height // 3), (width - 30, 50)):
        draw.ellipse([point[0] - 8, point[1] - 8, point[0] + 8, point[1] + 8], fill=accent)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _dataset(title_start: str) -> Dataset:
    return db.session.scalar(db.select(Dataset).where(Dataset.title.startswith(title_start)))


def _challenges(event):
    dialysis = make_challenge(
        event,
        slug="bus-to-dialysis",
        title="Getting to dialysis by bus",
        summary="Patients travel three times a week; which clinics can they reach by transit?",
        sponsor="Regional Transit Authority",
    )
    link_dataset(dialysis, _dataset("Dialysis Facility"))
    link_dataset(dialysis, _dataset("Home Health Care Agencies"))
    night = make_challenge(
        event,
        slug="night-service-to-hospitals",
        title="Night service to hospitals",
        summary="Which hospital shifts start or end when no bus runs?",
        sponsor="Regional Transit Authority",
    )
    link_dataset(night, _dataset("Complications and Deaths"))
    return dialysis, night


def _board(event, people) -> None:
    jordan, priya = people
    board.save_entry(
        event,
        {
            "looking": True,
            "skills": "Python, GIS, GTFS feeds",
            "interests": "Accessibility, paratransit",
            "line": "Transit analyst who maps bus stop access for a living.",
        },
        actor=jordan,
    )
    board.save_entry(
        event,
        {
            "looking": True,
            "skills": "Service design, user research",
            "interests": "Health equity",
            "line": "",
        },
        actor=priya,
    )


def seed_teams(event, *, organizer, captain, member, other_captain) -> TeamWorld:
    """``organizer`` runs ``event``; ``captain``, ``member`` and ``other_captain`` are
    people of the main world who register here."""
    jordan = make_user(name="Jordan Joiner", email="jordan@example.org")
    priya = make_user(name="Priya Planner", email="priya@example.org")
    theo = make_user(name="Theo Teammate", email="theo@example.org")
    for person in (captain, member, other_captain, jordan, priya, theo):
        register(event, person)
    dialysis, night = _challenges(event)

    team = teams.create_team(
        event,
        {
            "name": "Route Finders",
            "description": "Mapping how long the bus ride to each dialysis clinic takes.",
            "needs_skills": "GIS, Python",
        },
        actor=captain,
    )
    teams.join_by_code(event, team.invite_code, actor=member)
    other = teams.create_team(
        event,
        {
            "name": "Night Owls",
            "description": "Shift times against the last bus.",
            "needs_skills": "Service design",
        },
        actor=other_captain,
    )
    teams.join_by_code(event, other.invite_code, actor=theo)
    db.session.commit()
    _board(event, (jordan, priya))
    board.request_to_join(
        team, "I have mapped stop access for the county's paratransit office.", actor=jordan
    )
    db.session.commit()

    project = projects.create_submission(
        team,
        {
            "title": "Dialysis Commute Map",
            "tagline": "How long the bus ride to each dialysis clinic takes, stop by stop.",
            "description": "We joined the **facility listing** to the GTFS feed.\n\n"
            "- travel time from every block group\n- clinics with no bus within 800 m",
            "repository_url": "https://github.com/example/dialysis-commute-map",
            "demo_url": "https://dialysis-commute.example.org/",
            "video_url": "",
            "technologies": "Python, GeoPandas, Leaflet",
            "challenge_id": dialysis.id,
        },
        actor=captain,
    )
    for dataset in dialysis.datasets:
        projects.add_dataset(project, dataset.id, actor=captain)
    shot = projects.add_screenshot(
        project,
        {"body": screenshot_png(), "alt": "Map of clinics coloured by bus travel time"},
        actor=captain,
    )
    projects.add_screenshot(
        project,
        {
            "body": screenshot_png((480, 320), (178, 34, 34)),
            "alt": "Chart of the ten longest rides",
        },
        actor=member,
    )
    projects.submit_submission(project, actor=captain)
    other_project = projects.create_submission(
        other,
        {
            "title": "Last Bus Home",
            "tagline": "Hospital shift changes against the last bus of the night.",
            "challenge_id": night.id,
        },
        actor=other_captain,
    )
    projects.submit_submission(other_project, actor=other_captain)
    organize.set_gallery(event, {"open": True}, actor=organizer)
    db.session.commit()
    return TeamWorld(
        slug=event.slug,
        team_id=team.id,
        team_name=team.name,
        other_team_id=other.id,
        invite_code=team.invite_code,
        project_id=project.id,
        project_title=project.title,
        other_project_id=other_project.id,
        challenge_id=dialysis.id,
        challenge_title=dialysis.title,
        screenshot_name=shot.stored_name,
        publisher_id=dialysis.datasets[0].publisher.id,
    )
