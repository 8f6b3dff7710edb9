"""The people's choice: during the voting window each confirmed registrant holds one vote for
a submitted entry that is not their own team's, and may move it until the window closes.

One row per (event, person) is the database's rule; a vote is changed in place. Two presses
at once meet that rule through a savepoint and end as one row holding the later choice.

Which votes count (tally; the vote and results pages state the rule): every vote of a person
who is a confirmed registrant when the votes are counted, for a project still submitted. A
confirmed registrant's vote always counts, however new their account: registration, with the
event's capacity, is what bounds who votes. A vote does not count when its voter's
registration was cancelled (or put back on the waiting list) after voting, or when the
project was withdrawn; each such vote is counted under its reason, and the pages say so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from eventhub.clock import now
from eventhub.core.audit import audit
from eventhub.enums import RegistrationStatus
from eventhub.errors import DomainError
from eventhub.events.models import Event, Registration
from eventhub.events.queries import registration_of
from eventhub.extensions import db
from eventhub.judging.queries import SUBMITTED, settings_for_change, settings_of, voting_window
from eventhub.results.models import Vote
from eventhub.submissions.models import Submission
from eventhub.teams.queries import membership_of
from eventhub.timefmt import format_datetime

NOT_REGISTERED = "Only confirmed registrants of this event can vote. Register for the event first."
OWN_TEAM = "This is your team's project: vote for another team's."
CHOOSE = "Choose one of this event's submitted projects."


def window_text(event: Event, settings=None) -> str | None:
    """Why voting is not open now, in words (None while it is open); the window is
    judging.queries.voting_window, the one rule."""
    settings, at, zone = settings or settings_of(event), now(), event.timezone
    window = voting_window(event, settings)
    if window.is_open(at):
        return None
    if not window.held:
        return "The organizers have not opened people's choice voting for this event."
    if window.has_closed(at):
        if window.closes == settings.results_published_at:
            return (
                f"Voting closed when the results were published on "
                f"{format_datetime(window.closes, zone)} ({zone})."
            )
        return f"Voting closed on {format_datetime(window.closes, zone)} ({zone})."
    return (
        f"Voting opens {format_datetime(window.opens, zone)} and closes "
        f"{format_datetime(window.closes, zone)} ({zone})."
    )


def is_registered(event: Event, user) -> bool:
    reg = registration_of(event, user)
    return reg is not None and reg.status == RegistrationStatus.CONFIRMED


def refusal(event: Event, user, settings=None) -> str | None:
    """Why this person may not vote now, whatever they choose (None: they may)."""
    closed = window_text(event, settings)
    if closed is not None:
        return f"{closed} Your vote was not recorded."
    return None if is_registered(event, user) else NOT_REGISTERED


def own_team_id(event: Event, user) -> int | None:
    membership = membership_of(event, user)
    return membership.team_id if membership is not None else None


def ballot(event: Event) -> list[Submission]:
    """The entries one may vote for (and one's own, shown but not selectable), by title."""
    return list(
        db.session.scalars(
            db.select(Submission)
            .where(Submission.event_id == event.id, Submission.state == SUBMITTED)
            .options(joinedload(Submission.team), joinedload(Submission.challenge))
            .order_by(func.lower(Submission.title), Submission.id)
        )
    )


def vote_of(event: Event, user) -> Vote | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        db.select(Vote).where(Vote.event_id == event.id, Vote.user_id == user.id)
    )


def _check(event: Event, submission_id: int | None, actor) -> Submission:
    """Every refusal before anything changes: a refused vote leaves the old one standing."""
    refused = refusal(event, actor, settings_for_change(event))
    if refused is not None:
        raise DomainError(refused)
    entry = db.session.scalar(
        db.select(Submission).where(
            Submission.id == (submission_id or 0),
            Submission.event_id == event.id,
            Submission.state == SUBMITTED,
        )
    )
    if entry is None:
        raise DomainError(CHOOSE, field="submission_id")
    if entry.team_id == own_team_id(event, actor):
        raise DomainError(OWN_TEAM, field="submission_id")
    return entry


def cast_vote(event: Event, data: dict, *, actor) -> tuple[Vote, str]:
    """Record the person's choice; returns the vote and what happened: "cast", "change" or
    "same" (they chose what they had already chosen)."""
    entry = _check(event, data.get("submission_id"), actor)
    vote = vote_of(event, actor)
    if vote is None:
        vote = Vote(event_id=event.id, user_id=actor.id, submission_id=entry.id)
        try:
            with db.session.begin_nested():
                db.session.add(vote)
                db.session.flush()
        except IntegrityError:  # a second press won the insert: change that row instead
            vote = vote_of(event, actor)
        else:
            audit(actor, "vote.cast", vote, event=event, submission_id=entry.id)
            db.session.flush()
            return vote, "cast"
    if vote.submission_id == entry.id:
        return vote, "same"
    previous, vote.submission_id = vote.submission_id, entry.id
    audit(actor, "vote.change", vote, event=event, submission_id=entry.id, previous_id=previous)
    db.session.flush()
    return vote, "change"


NOT_REGISTERED_NOW = "not_registered"  # reasons a vote does not count, in the order tried
WITHDRAWN = "withdrawn"


@dataclass
class Tally:
    """The people's choice count: votes that count per submission id, and how many did not
    count, by reason (NOT_REGISTERED_NOW, WITHDRAWN)."""

    counts: dict[int, int] = field(default_factory=dict)
    not_counted: dict[str, int] = field(default_factory=dict)

    @property
    def counted(self) -> int:
        return sum(self.counts.values())

    @property
    def left_out(self) -> int:
        return sum(self.not_counted.values())

    @property
    def cast(self) -> int:
        return self.counted + self.left_out


def tally(event: Event) -> Tally:
    """Count the event's votes by the rule above, in one query whatever their number."""
    rows = db.session.execute(
        db.select(Vote.submission_id, Submission.state, Registration.status, func.count(Vote.id))
        .join(Submission, Submission.id == Vote.submission_id)
        .outerjoin(
            Registration,
            (Registration.event_id == Vote.event_id) & (Registration.user_id == Vote.user_id),
        )
        .where(Vote.event_id == event.id)
        .group_by(Vote.submission_id, Submission.state, Registration.status)
    )
    found = Tally()
    for submission_id, state, status, number in rows:
        if status != RegistrationStatus.CONFIRMED:
            reason = NOT_REGISTERED_NOW
        elif state != SUBMITTED:
            reason = WITHDRAWN
        else:
            found.counts[submission_id] = found.counts.get(submission_id, 0) + number
            continue
        found.not_counted[reason] = found.not_counted.get(reason, 0) + number
    return found
