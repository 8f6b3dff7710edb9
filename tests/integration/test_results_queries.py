"""The results pages cost the same number of SQL queries for 10 entries as for 1,000 (issue
5, speed): every read is one query for the whole event, never one per entry or per judge.

Events are filled with bulk inserts (5 judges per entry, 6 criteria: 30,000 scores for
1,000 entries) so the test runs in seconds; queries are counted on the engine itself.
"""

from __future__ import annotations

import random
import secrets

from sqlalchemy import insert

from eventhub.accounts.models import User
from eventhub.challenges.models import Challenge, Prize
from eventhub.clock import now
from eventhub.enums import EventRoleKind
from eventhub.events.models import EventRole
from eventhub.extensions import db
from eventhub.judging.models import Criterion, JudgingSettings, Review, Rubric, Score
from eventhub.results.models import PrizeAward, TieBreak
from eventhub.submissions.models import Submission
from eventhub.teams.models import Team, TeamMembership
from tests.factories import make_event, make_organizer, password_hash
from tests.support.queries import queries_for as _queries

JUDGES_PER_ENTRY, CRITERIA = 5, 6


def fill(event, n: int, *, judges: int = 20, published: bool = False) -> int:
    """n entries in two challenges (one prize each), scored in full by 5 judges each
    (true qualities spread over the scale, judges of differing harshness, noise);
    a decided tie and an award, so every part of the page has rows. Returns a captain's id."""
    stamp = now()
    rows = [
        {
            "email": f"{event.slug}-judge{j}@example.org",
            "name": f"Judge {j}",
            "password_hash": password_hash(),
        }
        for j in range(judges)
    ]
    rows += [
        {
            "email": f"{event.slug}-captain{i}@example.org",
            "name": f"Captain {i}",
            "password_hash": password_hash(),
        }
        for i in range(n)
    ]
    db.session.execute(insert(User), rows)
    people = db.session.scalars(
        db.select(User.id).where(User.email.like(f"{event.slug}-%")).order_by(User.id)
    ).all()
    judge_ids, captain_ids = people[:judges], people[judges:]
    db.session.execute(
        insert(EventRole),
        [
            {"event_id": event.id, "user_id": j, "role": EventRoleKind.JUDGE.value}
            for j in judge_ids
        ],
    )
    challenges = []
    for k in range(2):
        challenge = Challenge(event_id=event.id, slug=f"c{k}", title=f"Challenge {k}", position=k)
        challenge.prizes.append(Prize(name=f"Grand prize {k}", amount=1000, winners=1))
        challenges.append(challenge)
    rubric = Rubric(event_id=event.id)
    rubric.criteria = [
        Criterion(name=f"Criterion {c}", weight=1 + c % 3, position=c, breaks_ties=c == 0)
        for c in range(CRITERIA)
    ]
    db.session.add_all([*challenges, rubric])
    db.session.flush()
    db.session.execute(
        insert(Team),
        [
            {
                "event_id": event.id,
                "name": f"Team {i}",
                "name_key": f"team {i}",
                "invite_code": secrets.token_urlsafe(12),
                "captain_id": captain_ids[i],
                "member_count": 1,
            }
            for i in range(n)
        ],
    )
    team_ids = db.session.scalars(
        db.select(Team.id).where(Team.event_id == event.id).order_by(Team.id)
    ).all()
    db.session.execute(
        insert(TeamMembership),
        [
            {"team_id": t, "event_id": event.id, "user_id": captain_ids[i]}
            for i, t in enumerate(team_ids)
        ],
    )
    db.session.execute(
        insert(Submission),
        [
            {
                "event_id": event.id,
                "team_id": t,
                "challenge_id": challenges[i % 2].id,
                "title": f"Project {i}",
                "state": "submitted",
                "submitted_at": stamp,
            }
            for i, t in enumerate(team_ids)
        ],
    )
    entry_ids = db.session.scalars(
        db.select(Submission.id).where(Submission.event_id == event.id).order_by(Submission.id)
    ).all()
    scores, reviews = [], []
    rng = random.Random(n)
    bias = {j: rng.gauss(0, 0.5) for j in judge_ids}
    for i, entry in enumerate(entry_ids):
        quality = rng.uniform(1.5, 4.5)
        for k in range(JUDGES_PER_ENTRY):
            judge = judge_ids[(i + k * 3) % judges]
            reviews.append(
                {
                    "event_id": event.id,
                    "judge_id": judge,
                    "submission_id": entry,
                    "comment_for_team": f"Comment {k}",
                    "note_for_organizers": "Private",
                }
            )
            for criterion in rubric.criteria:
                scores.append(
                    {
                        "event_id": event.id,
                        "judge_id": judge,
                        "submission_id": entry,
                        "criterion_id": criterion.id,
                        "value": min(5, max(1, round(quality + bias[judge] + rng.gauss(0, 0.7)))),
                    }
                )
    db.session.execute(insert(Score), scores)
    db.session.execute(insert(Review), reviews)
    db.session.add_all(
        [
            TieBreak(
                event_id=event.id,
                challenge_id=None,
                above_id=entry_ids[1],
                below_id=entry_ids[0],
                reason="Recorded",
            ),
            PrizeAward(prize_id=challenges[0].prizes[0].id, submission_id=entry_ids[0]),
        ]
    )
    if published:
        db.session.add(JudgingSettings(event_id=event.id, results_published_at=stamp))
    db.session.commit()
    return captain_ids[0]


def test_results_pages_issue_the_same_queries_for_10_and_1000_entries(client, login_as):
    organizer = make_organizer()
    small = make_event(organizer=organizer, slug="small-jam")
    large = make_event(organizer=organizer, slug="large-jam")
    small_captain = fill(small, 10, published=True)
    large_captain = fill(large, 1000, published=True)
    counts = {}

    login_as(organizer)
    for name in ("small-jam", "large-jam"):
        counts[name] = [
            _queries(client, f"/events/{name}/manage/results"),
            _queries(client, f"/events/{name}/results"),
        ]
    for name, captain in (("small-jam", small_captain), ("large-jam", large_captain)):
        login_as(db.session.get(User, captain))
        counts[name].append(_queries(client, f"/events/{name}/results/feedback"))

    assert counts["small-jam"] == counts["large-jam"], counts
