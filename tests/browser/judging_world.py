"""Judging, demo day and results as the accessibility checks see them (the pages each role
visits are in ``judging_pages.py``). Past the people, teams and projects, the state is made
through the services, as the buttons make it: settings, rubrics, conflicts, the assignment
run, pairwise answers, the demo day's Next, a vote and the publication. The waiting
invitation and the score sheets are rows (see ``_hackathon`` and ``_score``).

- The Air Quality Hackathon (run by Olivia, the organizer role) is under way: its submission
  deadline passed two hours ago, so judging is open. Four teams in two challenges (one with a
  rubric of its own and a prize), three judges: Jamie (the judge role) declared a conflict
  with Breathe Easy; Lena's affiliation matches a member of Sensor Squad. Assigned two judges
  an entry; Kai and Lena scored all theirs, Jamie one. An invitation waits for an answer,
  and the demo day is on: the first team is presenting.
- The Civic Tech Expo (Olivia's too) holds a pairwise first round: Kai compared entries and
  Jamie has a pair on screen.
- The Transit Data Sprint of ``team_world`` (run by Omar) is judged and its results are
  published while people's choice voting is open: Olivia captains Route Finders there, so
  she reads its feedback and sees its project on the ballot, and Riley has voted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from eventhub.demoday import queries as demoday_queries
from eventhub.demoday import services as demoday
from eventhub.enums import EventKind
from eventhub.extensions import db
from eventhub.judging import assign, judges, pairwise_round, rubric, scoring
from eventhub.judging import settings as judging_settings
from eventhub.judging.models import Assignment, JudgeInvitation, Rubric
from eventhub.judging.starting_rubric import default_criteria
from eventhub.results import services as results
from eventhub.results import voting
from eventhub.submissions.models import Submission
from tests.browser.team_world import TeamWorld
from tests.factories import (
    make_challenge,
    make_demo_day,
    make_event,
    make_judge,
    make_prize,
    make_submission,
    make_team,
    make_user,
    score,
)

INVITE_TOKEN = "invitation-token-for-the-accessibility-checks"


@dataclass(frozen=True)
class JudgingWorld:
    slug: str  # the Air Quality Hackathon: judging open, demo day on
    expo_slug: str  # the Civic Tech Expo: pairwise round under way
    transit_slug: str  # results published, voting open
    judge: str  # Jamie's email (tests.factories.PASSWORD)
    invite_token: str  # an open invitation to the Air Quality Hackathon
    challenge_slug: str  # the challenge with a rubric of its own
    conflicted_team: str  # the team Jamie declared a conflict with
    unscored_id: int  # an entry in Jamie's queue not scored yet
    scored_count: int  # Jamie's progress: scored of queued
    queued_count: int
    presenting: str  # "Team — Project" on stage at the demo day
    presenting_team: str
    comment: str  # a judge's comment for Route Finders
    voted_for: str  # the project Riley voted for


def _person(name: str, affiliation: str = ""):
    first = name.split()[0].lower()
    return make_user(name=name, email=f"{first}@example.org", affiliation=affiliation)


def _entry(event, team_name: str, people, title: str, tagline: str, challenge=None):
    team = make_team(event, *people, name=team_name, description=tagline)
    return make_submission(
        team,
        challenge=challenge,
        title=title,
        tagline=tagline,
        description=f"{tagline}\n\nBuilt in a weekend from the event's open datasets.",
        repository_url=f"https://github.com/example/{team_name.lower().replace(' ', '-')}",
        state="submitted",
        submitted_at=event.submission_deadline - timedelta(hours=1),
    )


def _event_under_way(organizer, slug: str, title: str, kind: EventKind, clock):
    """Started a day ago; its submission deadline passed two hours ago."""
    start = clock() - timedelta(hours=26)
    return make_event(
        organizer=organizer,
        slug=slug,
        title=title,
        kind=kind.value,
        start=start,
        hours=32,
        submission_deadline=start + timedelta(hours=24),
    )


def _settings(event, actor, **changes) -> None:
    data = {
        "judges_per_entry": 2,
        "opens_at": None,
        "closes_at": None,
        "pairwise": False,
        "finalists": 10,
        "voting_opens_at": None,
        "voting_closes_at": None,
        **changes,
    }
    judging_settings.save_settings(event, data, actor=actor)


def _event_rubric(event, actor) -> None:
    rubric.save_rubric(
        Rubric(event_id=event.id, challenge_id=None), {"criteria": default_criteria()}, actor=actor
    )


def _score(entry, judge, levels: list[int], comment: str = "") -> None:
    """A complete sheet, the rows the scoring page saves (the factory skips the service's
    checks, which the integration tests cover, to keep this seeding quick)."""
    criteria = scoring.criteria_for(entry.event, entry)
    score(
        judge,
        entry,
        dict(zip(criteria, levels, strict=True)),
        comment=comment,
        note="Strong demo; check the data licence.",
    )


def _assigned(event, judge) -> list[Submission]:
    return list(
        db.session.scalars(
            db.select(Submission)
            .join(Assignment, Assignment.submission_id == Submission.id)
            .where(Assignment.event_id == event.id, Assignment.judge_id == judge.id)
            .order_by(Submission.title)
        )
    )


def _hackathon(organizer, jamie, kai, lena, clock) -> dict:
    event = _event_under_way(
        organizer, "air-quality-hackathon", "Air Quality Hackathon", EventKind.HACKATHON, clock
    )
    asthma = make_challenge(
        event,
        slug="asthma-and-traffic",
        title="Asthma and traffic",
        summary="Where do traffic fumes meet children with asthma?",
    )
    make_prize(asthma, name="Community prize", amount=2500)
    sensors = make_challenge(
        event,
        slug="sensor-gaps",
        title="Gaps in the sensor network",
        summary="Which neighborhoods have no air quality sensor nearby?",
    )
    breathe = _entry(
        event,
        "Breathe Easy",
        (_person("Ada Airways"), _person("Ben Breath")),
        "Asthma Hotspot Map",
        "Emergency visits for asthma against traffic counts, block by block.",
        asthma,
    )
    _entry(
        event,
        "Clear Skies",
        (_person("Cleo Clearwater"),),
        "School Bus Idling Tracker",
        "Which school pick-up lines idle longest, from bus GPS pings.",
        asthma,
    )
    _entry(
        event,
        "Sensor Squad",
        (_person("Dev Datum", affiliation="Clean Air Council"),),
        "Where the Sensors Aren't",
        "The neighborhoods farthest from any air quality monitor.",
        sensors,
    )
    _entry(
        event,
        "Night Shift",
        (_person("Nia Nightingale"),),
        "Overnight Ozone Alerts",
        "Texts shift workers when the ozone forecast turns bad.",
        sensors,
    )
    make_judge(event, jamie)
    make_judge(event, kai)
    make_judge(event, lena, affiliations="Clean Air Council\nCity University")
    _settings(event, organizer)
    _event_rubric(event, organizer)
    rubric.create_challenge_rubric(asthma, {"confirmed": False}, actor=organizer)
    judges.declare_conflict(
        event, {"team_id": breathe.team_id, "reason": "I mentor this team."}, actor=jamie
    )
    assign.run_assignment(event, {}, actor=organizer)
    for judge, lean in ((kai, -1), (lena, 1)):
        for n, entry in enumerate(_assigned(event, judge)):
            _score(entry, judge, [3 + lean + n % 2, 3 + lean, 4 + lean, 3 + n % 2])
    queue = _assigned(event, jamie)
    _score(queue[0], jamie, [4, 3, 3, 4], "Clear problem statement; the map needs a legend.")
    # The invitation service mails a random token (and builds its link in a request); the
    # checks need one they know, so the waiting invitation is a row, as if it had been mailed.
    db.session.add(
        JudgeInvitation(
            event_id=event.id,
            email="morgan@example.org",
            token_hash=judges.token_hash(INVITE_TOKEN),
            invited_by_id=organizer.id,
        )
    )
    db.session.commit()
    make_demo_day(event, starts_at=clock() - timedelta(minutes=10))
    demoday.advance(event, {"from": "", "direction": "next"}, actor=organizer)
    db.session.commit()
    on_stage = demoday_queries.stage(event).current
    return {
        "slug": event.slug,
        "challenge_slug": asthma.slug,
        "conflicted_team": "Breathe Easy",
        "unscored_id": queue[1].id,
        "scored_count": 1,
        "queued_count": len(queue),
        "presenting": demoday.describe(on_stage),
        "presenting_team": on_stage.submission.team.name,
    }


def _expo(organizer, jamie, kai, clock) -> str:
    event = _event_under_way(
        organizer, "civic-tech-expo", "Civic Tech Expo", EventKind.TECH_SPRINT, clock
    )
    for team, person, title, tagline in (
        ("Pothole Patrol", "Pat Pavement", "Pothole Reporter", "Photos of potholes, mapped."),
        ("Open Budget", "Bea Budget", "Budget Explorer", "Where each tax dollar goes."),
        ("Tree Census", "Tom Timber", "Street Tree Finder", "Every street tree by species."),
    ):
        _entry(event, team, (_person(person),), title, tagline)
    make_judge(event, jamie)
    make_judge(event, kai)
    _settings(event, organizer, pairwise=True, finalists=2)
    db.session.commit()
    walks = ((kai, ("start", "next", "current", "previous")), (jamie, ("start", "next")))
    for judge, choices in walks:
        for choice in choices:
            screen = pairwise_round.screen_of(event, judge)
            current = screen.current.id if screen.current else None
            pairwise_round.answer(event, {"choice": choice, "current": current}, actor=judge)
            db.session.commit()
    return event.slug


def _transit(t: TeamWorld, *, organizer, member, kai, lena, clock) -> dict:
    """Judged by Kai and Lena, published; voting open until the day after tomorrow."""
    event = db.session.get(Submission, t.project_id).event
    make_judge(event, kai)
    make_judge(event, lena)
    _settings(
        event,
        organizer,
        opens_at=clock() - timedelta(days=1),
        voting_opens_at=clock() - timedelta(hours=1),
        voting_closes_at=clock() + timedelta(days=2),
    )
    _event_rubric(event, organizer)
    assign.run_assignment(event, {}, actor=organizer)
    comment = "The travel-time map is the clearest we saw; add weekend service next."
    ours, theirs = (db.session.get(Submission, i) for i in (t.project_id, t.other_project_id))
    _score(ours, kai, [5, 4, 4, 5], comment)
    _score(ours, lena, [5, 5, 4, 4], "A real use for the facility listing.")
    _score(theirs, kai, [2, 3, 2, 3], "Promising; show the hospital shifts on the chart.")
    _score(theirs, lena, [3, 3, 2, 2])
    voting.cast_vote(event, {"submission_id": theirs.id}, actor=member)
    results.publish_results(event, actor=organizer)
    db.session.commit()
    return {"transit_slug": event.slug, "comment": comment, "voted_for": theirs.title}


def seed_judging(clock, *, organizer, teams: TeamWorld, transit_organizer, member) -> JudgingWorld:
    """``organizer`` (Olivia) runs the hackathon and the expo and captains Route Finders in
    the Transit Data Sprint, which ``transit_organizer`` runs; ``member`` is in her team."""
    jamie = _person("Jamie Judge", affiliation="Regional Planning Office")
    kai = _person("Kai Keen")
    lena = _person("Lena Lenient")
    hackathon = _hackathon(organizer, jamie, kai, lena, clock)
    expo_slug = _expo(organizer, jamie, kai, clock)
    transit = _transit(
        teams,
        organizer=transit_organizer,
        member=member,
        kai=kai,
        lena=lena,
        clock=clock,
    )
    return JudgingWorld(
        expo_slug=expo_slug,
        judge=jamie.email,
        invite_token=INVITE_TOKEN,
        **hackathon,
        **transit,
    )
