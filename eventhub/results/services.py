"""What organizers do with the results: break a tie with a recorded reason, award a
challenge's prizes, publish and unpublish. Each flushes and writes its audit entry; the view
commits. Rules checked against a fresh computation (compute.compute_results), so a decision is
only ever about a tie that is open right now.

Publishing is refused while a tie is open among the places a challenge's prizes can reach
(places 1..N, N its prizes' winners added up): the public page would otherwise show two
tied entries, one of them holding the prize, with no recorded reason. Other open ties are
published as ties. Publishing closes judging and voting (judging.queries.judging_window,
voting_window): published results are final. Taking them down reopens nothing: the windows
are made to close no later than the publication did. Reopening judging is its own action,
reopen_judging, which takes the results down first and is audited.
"""

from __future__ import annotations

from eventhub.challenges.models import Challenge
from eventhub.clock import now
from eventhub.core.audit import audit
from eventhub.errors import DomainError
from eventhub.events.models import Event
from eventhub.extensions import db
from eventhub.judging.models import JudgingSettings
from eventhub.judging.queries import check_not_final
from eventhub.results import queries
from eventhub.results.compute import compute_results
from eventhub.results.models import PrizeAward, TieBreak
from eventhub.timefmt import format_datetime


def break_tie(event: Event, data: dict, *, actor) -> TieBreak:
    """Record that ``above_id`` goes before ``below_id`` in one ranking (data["ranking"]: a
    challenge id, or None for the overall ranking), for a reason shown with the results."""
    check_not_final(event, "the ranking")
    ranking = compute_results(event).ranking(data["ranking"])
    if ranking is None:
        raise DomainError("That ranking is not among this event's results.")
    above, below = data["above_id"], data["below_id"]
    if above == below:
        raise DomainError("Choose two different projects.", field="below_id")
    row = ranking.row_of(above)
    if row is None or ranking.row_of(below) is None:
        raise DomainError("Choose two projects of this ranking.", field="above_id")
    if below not in row.open_ties:
        raise DomainError(
            f"{row.entry.title} and {ranking.row_of(below).entry.title} are not tied in "
            f"{ranking.title}, or their tie is already broken.",
            field="below_id",
        )
    decision = TieBreak(
        event_id=event.id,
        challenge_id=ranking.key,
        above_id=above,
        below_id=below,
        reason=data["reason"],
        decided_by_id=getattr(actor, "id", None),
    )
    db.session.add(decision)
    db.session.flush()
    audit(
        actor,
        "results.tie_break",
        decision,
        event=event,
        ranking=ranking.title,
        above=above,
        below=below,
        reason=data["reason"],
    )
    return decision


def award_prizes(challenge: Challenge, data: dict, *, actor) -> list[PrizeAward]:
    """Set the winners of each of the challenge's prizes: data["picks"] maps prize id to the
    submission ids chosen (an empty list takes a prize back). Every prize is checked before
    anything changes, so a refused choice leaves the earlier awards as they were."""
    check_not_final(challenge.event, "the prizes")
    picks: dict[int, list[int]] = data["picks"]
    eligible = queries.challenge_entry_ids(challenge)
    for prize in challenge.prizes:
        chosen = picks.get(prize.id, [])
        if len(chosen) > prize.winners:
            word = "winner" if prize.winners == 1 else "winners"
            raise DomainError(
                f"{prize.name} has {prize.winners} {word}: choose at most {prize.winners}.",
                field=f"prize_{prize.id}",
            )
        if any(entry not in eligible for entry in chosen):
            raise DomainError(
                f"{prize.name} can only go to a submitted project of {challenge.title}.",
                field=f"prize_{prize.id}",
            )
    by_prize = {prize.id: prize for prize in challenge.prizes}
    kept = []
    for award in queries.awards_for(list(by_prize)):
        if award.submission_id in picks.get(award.prize_id, []):
            kept.append(award)
        else:
            db.session.delete(award)
    have = {(a.prize_id, a.submission_id) for a in kept}
    for prize in challenge.prizes:
        for entry in dict.fromkeys(picks.get(prize.id, [])):
            if (prize.id, entry) not in have:
                award = PrizeAward(
                    prize_id=prize.id, submission_id=entry, awarded_by_id=getattr(actor, "id", None)
                )
                db.session.add(award)
                kept.append(award)
    db.session.flush()
    audit(
        actor,
        "results.prizes",
        challenge,
        event=challenge.event,
        awards={str(p): sorted(set(picks.get(p, []))) for p in by_prize},
    )
    return kept


def publish_results(event: Event, data: dict | None = None, *, actor) -> JudgingSettings:
    settings = db.session.get(JudgingSettings, event.id)
    if settings is not None and settings.results_published_at is not None:
        when = format_datetime(settings.results_published_at, event.timezone)
        raise DomainError(f"The results were already published on {when}.")
    results = compute_results(event)
    blocking = [(r, pair) for r in results.rankings for pair in r.blocking_pairs]
    if blocking:
        ranking, (upper, lower) = blocking[0]
        raise DomainError(
            f"Break the tie between {upper.title} and {lower.title} in {ranking.title} "
            f"first: it decides who can win a prize. ({len(blocking)} such tie"
            f"{'' if len(blocking) == 1 else 's'} in all.)"
        )
    if settings is None:
        settings = JudgingSettings(event_id=event.id)
        db.session.add(settings)
    settings.results_published_at = now()
    db.session.flush()
    audit(actor, "results.publish", event, event=event)
    return settings


def _take_down(event: Event, settings: JudgingSettings, *, actor, reason: str) -> None:
    """Unpublish, keeping judging and voting closed as publishing had closed them: each
    window that closed at publication now closes at that moment by its own setting."""
    published = settings.results_published_at
    settings.results_published_at = None
    kept: dict[str, str | None] = {}
    if settings.closes_at is None or settings.closes_at > published:
        settings.closes_at = published
        kept["closes_at"] = published.isoformat()
    if settings.voting_closes_at is not None and settings.voting_closes_at > published:
        if settings.voting_opens_at is not None and settings.voting_opens_at < published:
            settings.voting_closes_at = published
            kept["voting_closes_at"] = published.isoformat()
        else:  # voting had not opened when the results came out: there was no vote
            settings.voting_opens_at = settings.voting_closes_at = None
            kept["voting_opens_at"] = kept["voting_closes_at"] = None
    db.session.flush()
    audit(
        actor,
        "results.unpublish",
        event,
        event=event,
        published_at=published.isoformat(),
        reason=reason,
        **kept,
    )


def _published_settings(event: Event) -> JudgingSettings:
    settings = db.session.get(JudgingSettings, event.id)
    if settings is None or settings.results_published_at is None:
        raise DomainError("The results are not published.")
    return settings


def unpublish_results(event: Event, data: dict | None = None, *, actor) -> JudgingSettings:
    """Take the results down again. Judging and voting stay closed (reopen_judging reopens)."""
    settings = _published_settings(event)
    _take_down(event, settings, actor=actor, reason="taken down")
    return settings


def reopen_judging(event: Event, data: dict, *, actor) -> JudgingSettings:
    """The organizer reopens judging after publication: the results are taken down first,
    then judging runs until data["closes_at"] (None: until the results are published again).
    Voting stays closed."""
    settings = _published_settings(event)
    closes = data.get("closes_at")
    if closes is not None and closes <= now():
        raise DomainError(
            "Choose a closing time in the future, or leave it empty to keep judging open "
            "until you publish the results again.",
            field="closes_at",
        )
    _take_down(event, settings, actor=actor, reason="judging reopened")
    settings.closes_at = closes
    db.session.flush()
    audit(
        actor,
        "judging.reopen",
        event,
        event=event,
        closes_at=closes.isoformat() if closes is not None else None,
    )
    return settings
