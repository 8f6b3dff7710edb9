"""Demo data for judging: the past Census sprint gets teams, projects, a rubric, three judges,
their scores, published results and a demo-day running order, made through the same services
the pages use, so the demo shows what a finished event looks like."""

from __future__ import annotations

import random
import secrets
from datetime import timedelta

from eventhub.accounts.models import User
from eventhub.demoday import services as demoday
from eventhub.enums import EventRoleKind, RegistrationStatus
from eventhub.events.models import Event, EventRole, Registration
from eventhub.extensions import db
from eventhub.judging import assign, scoring
from eventhub.judging.models import JudgeProfile, JudgingSettings, Rubric
from eventhub.judging.rubric import save_rubric
from eventhub.judging.starting_rubric import default_criteria
from eventhub.results.services import publish_results
from eventhub.submissions.models import Submission
from eventhub.teams.models import Team, TeamMembership

PROJECTS = [
    ("Commute Lens", "Where long commutes and broadband gaps meet, tract by tract.", 4.3),
    ("Rent Burden Map", "Households paying more than 30% of income on rent, by county.", 3.9),
    ("Language Access Finder", "Where services are needed in languages other than English.", 3.4),
    ("Veteran Services Gap", "Veteran populations far from VA facilities.", 3.0),
    ("Aging in Place", "Older adults living alone, and the clinics within reach.", 2.6),
]
COMMENTS = [
    "Clear story and a careful use of the margins of error.",
    "The map is compelling; say more about how the tracts were joined.",
    "A real need. Show one person's path through the tool in the demo.",
    "Good start. The ACS table choice deserves a sentence in the README.",
]


def seed_past_judging(
    event: Event, organizer: User, judges: list[User], captains: list[User]
) -> None:
    """Each captain gets a one-person team and a submitted project (one per PROJECTS); the
    judges (three: a fair one, a lenient one, a harsh one) score what they are assigned."""
    rng = random.Random(2026)
    deadline = event.ends_at - timedelta(hours=1)
    event.submission_deadline = deadline
    entries = []
    for (title, tagline, _), captain in zip(PROJECTS, captains, strict=False):
        db.session.add(
            Registration(
                event_id=event.id, user_id=captain.id, status=RegistrationStatus.CONFIRMED.value
            )
        )
        team = Team(
            event_id=event.id,
            name=f"Team {title.split()[0]}",
            name_key=f"team {title.split()[0].casefold()}",
            invite_code=secrets.token_urlsafe(12),
            captain_id=captain.id,
            member_count=1,
        )
        db.session.add(team)
        db.session.flush()
        db.session.add(TeamMembership(team_id=team.id, event_id=event.id, user_id=captain.id))
        entries.append(
            Submission(
                event_id=event.id,
                team_id=team.id,
                title=title,
                tagline=tagline,
                description=f"{tagline}\n\nBuilt on American Community Survey 5-year tables.",
                state="submitted",
                submitted_at=deadline - timedelta(hours=2),
            )
        )
    db.session.add_all(entries)
    event.seats_taken = len(entries)

    for person in judges:
        db.session.add(
            EventRole(event_id=event.id, user_id=person.id, role=EventRoleKind.JUDGE.value)
        )
        db.session.add(JudgeProfile(event_id=event.id, user_id=person.id))
    # Two judges per project, so judges see different projects and their harshness matters.
    db.session.add(JudgingSettings(event_id=event.id, judges_per_entry=2))
    rubric = Rubric(event_id=event.id)
    db.session.add(rubric)
    db.session.flush()
    save_rubric(rubric, {"criteria": default_criteria(), "confirmed": True}, actor=organizer)
    assign.run_assignment(event, {}, actor=organizer)
    db.session.flush()

    harshness = {judges[0].id: 0.0, judges[1].id: -0.6, judges[2].id: 0.5}
    quality = {entry.id: q for entry, (_, _, q) in zip(entries, PROJECTS, strict=False)}
    for row in assign.pairs_of(event):
        entry = db.session.get(Submission, row.submission_id)
        person = db.session.get(User, row.judge_id)
        criteria = scoring.criteria_for(event, entry)
        values = {
            c.id: max(
                c.scale_min,
                min(
                    c.scale_max,
                    round(quality[entry.id] + harshness[person.id] + rng.gauss(0, 0.4)),
                ),
            )
            for c in criteria
        }
        scoring.save_sheet(
            entry, {"values": values, "comment": rng.choice(COMMENTS), "note": ""}, actor=person
        )
    publish_results(event, actor=organizer)

    demoday.save_settings(
        event,
        {"starts_at": event.ends_at - timedelta(minutes=50), "slot_minutes": 8, "location": ""},
        actor=organizer,
    )
    demoday.build_order(event, {"break_minutes": 0}, actor=organizer)


def seed_rubric(event: Event, organizer: User) -> None:
    """The upcoming event starts from the suggested rubric, ready for its organizer to edit."""
    rubric = Rubric(event_id=event.id)
    db.session.add(rubric)
    db.session.flush()
    save_rubric(rubric, {"criteria": default_criteria(), "confirmed": True}, actor=organizer)
