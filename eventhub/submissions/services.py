"""A team's project: created, edited, submitted and withdrawn by its current members until
the deadline (or their team's extension), with every change kept as history.

One submission per team is the database's rule (unique team_id); a double click on "Create"
meets it through a savepoint and ends on the same project, never a 500 or a second row.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy.exc import IntegrityError

from eventhub import mail
from eventhub.challenges.models import Challenge
from eventhub.clock import now
from eventhub.core.audit import audit
from eventhub.datasets.models import Dataset
from eventhub.errors import DomainError
from eventhub.events.phases import submission_deadline, window
from eventhub.extensions import db
from eventhub.submissions import queries, uploads
from eventhub.submissions.models import Screenshot, Submission, SubmissionChange, SubmissionDataset
from eventhub.teams.models import Team
from eventhub.timefmt import format_datetime

FIELDS = (
    "title",
    "tagline",
    "description",
    "repository_url",
    "demo_url",
    "video_url",
    "technologies",
    "challenge_id",
)
MAX_SCREENSHOTS = 5
NOT_A_MEMBER = "Only the team's current members can change its project."


def editable_until(team: Team) -> datetime:
    """The event's deadline, or the team's extension when an organizer granted a later one."""
    deadline = submission_deadline(team.event)
    extension = queries.extension_of(team.id)
    return max(deadline, extension.until) if extension is not None else deadline


def deadline_text(team: Team) -> str:
    zone = team.event.timezone
    return f"{format_datetime(editable_until(team), zone)} ({zone})"


def changes_open(team: Team) -> bool:
    """The one answer to "may its members still change the project": pages ask it before they
    offer an edit, submit, withdraw, dataset or screenshot button; the services below too."""
    return window(None, editable_until(team)).is_open(now())


def closed_message(team: Team) -> str:
    return (
        f"The submission deadline passed on {deadline_text(team)}. The project is locked; "
        "ask the organizers for an extension if your team needs more time."
    )


def check_open(team: Team) -> None:
    if not changes_open(team):
        raise DomainError(closed_message(team))


def _check_member(team: Team, actor) -> None:
    if not any(m.user_id == getattr(actor, "id", None) for m in team.current_members):
        raise DomainError(NOT_A_MEMBER)


def _check_challenge(event_id: int, challenge_id: int | None) -> None:
    challenge = db.session.get(Challenge, challenge_id) if challenge_id else None
    if challenge is None or challenge.event_id != event_id:
        raise DomainError("Choose one of this event's challenges.", field="challenge_id")


def _record(submission: Submission, action: str, fields: list[str], actor) -> None:
    submission.updated_at = now()
    change = SubmissionChange(actor_id=getattr(actor, "id", None), action=action, fields=fields)
    submission.changes.insert(0, change)  # newest first, as the relationship orders them
    audit(actor, f"submission.{action}", submission, event=submission.event, fields=fields)


def create_submission(team: Team, data: dict, *, actor) -> Submission:
    """The team's project; if it already has one (a double click), that one, unchanged."""
    _check_member(team, actor)
    check_open(team)
    _check_challenge(team.event_id, data.get("challenge_id"))
    existing = queries.submission_of(team)
    if existing is not None:
        return existing
    fields = {k: data[k] for k in FIELDS if k in data}
    submission = Submission(event_id=team.event_id, team_id=team.id, **fields)
    try:
        with db.session.begin_nested():
            db.session.add(submission)
            db.session.flush()
    except IntegrityError:
        return queries.submission_of(team)
    _record(submission, "created", sorted(k for k, v in fields.items() if v), actor)
    db.session.flush()
    return submission


def _check_editable(submission: Submission, actor) -> None:
    _check_member(submission.team, actor)
    check_open(submission.team)


def update_submission(submission: Submission, data: dict, *, actor) -> list[str]:
    """Checks before it changes anything, so a refused edit leaves the row as it was."""
    _check_editable(submission, actor)
    _check_challenge(submission.event_id, data.get("challenge_id", submission.challenge_id))
    changed = [k for k in FIELDS if k in data and getattr(submission, k) != data[k]]
    for key in changed:
        setattr(submission, key, data[key])
    if changed:
        _record(submission, "edited", changed, actor)
    db.session.flush()
    return changed


def submit_refusal(submission: Submission) -> str | None:
    """Why "Submit project" would be refused now, for a member (None: it would not)."""
    if not changes_open(submission.team):
        return closed_message(submission.team)
    if submission.state == "submitted":
        return "This project is already submitted."
    challenge = submission.challenge
    if challenge is None or challenge.event_id != submission.event_id:
        return "Choose one of this event's challenges for the project before you submit it."
    return _team_size_refusal(submission)


def withdraw_refusal(submission: Submission) -> str | None:
    if not changes_open(submission.team):
        return closed_message(submission.team)
    if submission.state != "submitted":
        return "Only a submitted project can be withdrawn."
    return None


def submit_submission(submission: Submission, *, actor) -> Submission:
    _check_member(submission.team, actor)
    refusal = submit_refusal(submission)
    if refusal is not None:
        raise DomainError(refusal)
    submission.state = "submitted"
    submission.submitted_at = now()
    _record(submission, "submitted", ["state"], actor)
    db.session.flush()
    _mail_receipt(submission)
    return submission


def _team_size_refusal(submission: Submission) -> str | None:
    """The event's smallest team size is what it takes to enter: checked when a team submits
    (teams may be smaller while they form)."""
    smallest, members = submission.event.team_min_size, submission.team.member_count
    if members >= smallest:
        return None
    return (
        f"Your team has {members} member{'' if members == 1 else 's'}; this event asks "
        f"for at least {smallest}. Invite someone before you submit."
    )


def withdraw_submission(submission: Submission, *, actor) -> Submission:
    _check_member(submission.team, actor)
    refusal = withdraw_refusal(submission)
    if refusal is not None:
        raise DomainError(refusal)
    submission.state = "withdrawn"
    _record(submission, "withdrawn", ["state"], actor)
    db.session.flush()
    return submission


def add_dataset(submission: Submission, dataset_id: int | None, *, actor) -> SubmissionDataset:
    _check_editable(submission, actor)
    dataset = db.session.get(Dataset, dataset_id) if dataset_id else None
    if dataset is None:
        raise DomainError(
            "That dataset is not in the catalog. Search again and choose one from the results.",
            field="dataset_id",
        )
    if any(link.dataset_id == dataset.id for link in submission.dataset_links):
        raise DomainError(f"“{dataset.title}” is already listed.", field="dataset_id")
    link = SubmissionDataset(dataset=dataset, position=len(submission.dataset_links))
    submission.dataset_links.append(link)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise DomainError(f"“{dataset.title}” is already listed.", field="dataset_id") from None
    _record(submission, "dataset_added", ["datasets"], actor)
    return link


def remove_dataset(link: SubmissionDataset, submission: Submission, *, actor) -> None:
    _check_editable(submission, actor)
    submission.dataset_links.remove(link)
    _record(submission, "dataset_removed", ["datasets"], actor)
    db.session.flush()


def add_screenshot(submission: Submission, data: dict, *, actor) -> Screenshot:
    """The file is checked and re-encoded from its pixels before it is written, and is
    removed again if the request does not commit; at most five per project (the row lock
    keeps two uploads at once from making six)."""
    _check_editable(submission, actor)
    db.session.execute(
        db.select(Submission.id).where(Submission.id == submission.id).with_for_update()
    )
    count = db.session.scalar(
        db.select(db.func.count(Screenshot.id)).where(Screenshot.submission_id == submission.id)
    )
    if count >= MAX_SCREENSHOTS:
        raise DomainError(
            f"A project can have at most {MAX_SCREENSHOTS} screenshots. "
            "Remove one before adding another.",
            field="image",
        )
    body, info = uploads.clean(data["body"])
    shot = Screenshot(
        stored_name=uploads.save(body, info),
        media_type=info.media_type,
        size=info.size,
        width=info.width,
        height=info.height,
        alt=data.get("alt", ""),
        position=count,
    )
    submission.screenshots.append(shot)
    _record(submission, "screenshot_added", ["screenshots"], actor)
    db.session.flush()
    return shot


def remove_screenshot(shot: Screenshot, submission: Submission, *, actor) -> str:
    """Returns the stored name: the caller discards the file once the removal is committed."""
    _check_editable(submission, actor)
    submission.screenshots.remove(shot)
    _record(submission, "screenshot_removed", ["screenshots"], actor)
    db.session.flush()
    return shot.stored_name


def _mail_receipt(submission: Submission) -> None:
    event = submission.event
    link = current_app.config["BASE_URL"].rstrip("/") + (
        f"/events/{event.slug}/projects/{submission.id}"
    )
    for membership in submission.team.current_members:
        mail.queue(
            db.session,
            membership.user.email,
            f"Project submitted: {submission.title} · {event.title}",
            "submission_receipt",
            submission=submission,
            event=event,
            person=membership.user,
            link=link,
            deadline=deadline_text(submission.team),
        )
