"""The people's choice: one vote per confirmed registrant, changed in place until the window
closes, never for one's own team; every confirmed registrant's vote counts, and the pages say
how many did not and why."""

import threading
from dataclasses import dataclass
from datetime import timedelta

from eventhub.core.models import AuditEntry
from eventhub.database import writing
from eventhub.events import registration
from eventhub.events.queries import registration_of
from eventhub.extensions import db
from eventhub.judging.models import JudgingSettings
from eventhub.results import voting
from eventhub.results.models import Vote
from tests.factories import (
    make_challenge,
    make_entry,
    make_event,
    make_organizer,
    make_submission,
    make_team,
    make_user,
    register,
)
from tests.integration.pages import page


@dataclass
class Ballot:
    event: object
    voter: object
    radar: object
    ledger: object
    own: object
    organizer: object

    @property
    def path(self) -> str:
        return f"/events/{self.event.slug}/vote"


def open_window(event, clock, *, opens=timedelta(hours=-1), closes=timedelta(days=1)):
    db.session.add(
        JudgingSettings(
            event_id=event.id, voting_opens_at=clock.at + opens, voting_closes_at=clock.at + closes
        )
    )
    db.session.commit()


def ballot(clock, **window) -> Ballot:
    """An event voting now: two entries, and a registrant whose own team entered a third."""
    organizer = make_organizer()
    event = make_event(organizer=organizer, slug="budget-jam", title="Budget Datajam")
    challenge = make_challenge(event, title="Where the Money Goes")
    radar = make_entry(event, challenge=challenge, title="Bus Radar", tagline="Clumps, mapped.")
    ledger = make_entry(event, team_name="Open Ledger", title="Ledger Lens")
    voter = make_user(name="Vic Voter")
    register(event, voter)
    own = make_submission(make_team(event, voter, name="Vic's Crew"), state="submitted")
    open_window(event, clock, **window)
    return Ballot(event, voter, radar, ledger, own, organizer)


def _votes() -> list[Vote]:
    db.session.rollback()
    return list(db.session.scalars(db.select(Vote)))


def _actions() -> list[str]:
    return list(db.session.scalars(db.select(AuditEntry.action).order_by(AuditEntry.id)))


def test_registrant_casts_a_vote_and_changes_it_in_one_row(client, login_as, clock):
    b = ballot(clock)
    login_as(b.voter)

    shown = client.get(b.path)
    cast = client.post(b.path, data={"submission_id": b.radar.id})
    first = [(v.user_id, v.submission_id) for v in _votes()]
    changed = client.post(b.path, data={"submission_id": b.ledger.id}, follow_redirects=True)

    text = page(shown).text
    assert "Bus Radar" in text and "Clumps, mapped." in text and "Where the Money Goes" in text
    assert "Ledger Lens" in text and "Open Ledger" in text
    assert cast.headers["Location"] == b.path
    assert first == [(b.voter.id, b.radar.id)]
    assert [(v.user_id, v.submission_id) for v in _votes()] == [(b.voter.id, b.ledger.id)]
    after = page(changed)
    assert "Your vote now goes to Ledger Lens." in after.text
    assert "Your vote goes to Ledger Lens" in after.by_id("my-vote")[0].text
    assert "checked" in after.by_id(f"entry-{b.ledger.id}")[0].attrs
    assert "vote.cast" in _actions() and "vote.change" in _actions()


def test_choosing_the_same_entry_again_changes_nothing(client, login_as, clock):
    b = ballot(clock)
    login_as(b.voter)

    client.post(b.path, data={"submission_id": b.radar.id})
    again = client.post(b.path, data={"submission_id": b.radar.id}, follow_redirects=True)

    assert "Your vote already goes to Bus Radar." in page(again).text
    assert len(_votes()) == 1
    assert _actions().count("vote.cast") == 1 and "vote.change" not in _actions()


def test_own_team_entry_is_shown_but_cannot_be_chosen(client, login_as, clock):
    b = ballot(clock)
    login_as(b.voter)
    client.post(b.path, data={"submission_id": b.radar.id})

    shown = page(client.get(b.path))
    refused = client.post(b.path, data={"submission_id": b.own.id})

    own = shown.by_id(f"entry-{b.own.id}")[0]
    assert "disabled" in own.attrs
    assert "Your team's project" in shown.by_id(own.attrs["aria-describedby"])[0].text
    assert refused.status_code == 200
    assert "This is your team's project" in page(refused).text
    assert [(v.user_id, v.submission_id) for v in _votes()] == [(b.voter.id, b.radar.id)]


def test_person_not_registered_is_told_to_register_and_cannot_vote(client, login_as, clock):
    b = ballot(clock)
    waitlisted = make_user()
    for person in (make_user(), waitlisted):
        login_as(person)

        shown = client.get(b.path)
        refused = client.post(b.path, data={"submission_id": b.radar.id}, follow_redirects=True)

        assert shown.status_code == 200
        assert "Register for the event to vote" in page(shown).text
        assert page(shown).all("input", name="submission_id") == []
        assert "Only confirmed registrants of this event can vote" in page(refused).text
    assert _votes() == []


def test_voting_before_the_window_opens_is_refused_and_says_when(client, login_as, clock):
    b = ballot(clock, opens=timedelta(hours=2), closes=timedelta(hours=5))
    login_as(b.voter)

    shown = client.get(b.path)
    refused = client.post(b.path, data={"submission_id": b.radar.id}, follow_redirects=True)

    # The clock is 10:00 AM in New York; voting runs from noon to 3 PM.
    assert shown.status_code == 200
    assert "Voting opens Mon, Mar 2, 2026, 12:00 PM EST" in page(shown).text
    assert "Your vote was not recorded." in page(refused).text
    assert _votes() == []


def test_voting_after_the_window_closes_is_refused_and_the_vote_stands(client, login_as, clock):
    b = ballot(clock)
    login_as(b.voter)
    client.post(b.path, data={"submission_id": b.radar.id})
    clock.advance(days=1)

    shown = client.get(b.path)
    refused = client.post(b.path, data={"submission_id": b.ledger.id}, follow_redirects=True)

    assert "Voting closed on Tue, Mar 3, 2026, 10:00 AM EST" in page(shown).text
    assert "Your vote goes to Bus Radar" in page(shown).text
    assert "Your vote was not recorded." in page(refused).text
    assert [(v.user_id, v.submission_id) for v in _votes()] == [(b.voter.id, b.radar.id)]


def test_entry_of_another_event_or_not_submitted_cannot_be_chosen(client, login_as, clock):
    b = ballot(clock)
    elsewhere = make_entry(make_event(), title="Elsewhere")
    draft = make_entry(b.event, title="Half Done", state="draft")
    login_as(b.voter)

    shown = page(client.get(b.path))
    answers = [
        client.post(b.path, data={"submission_id": choice})
        for choice in (elsewhere.id, draft.id, "12abc", "")
    ]

    assert "Half Done" not in shown.text and "Elsewhere" not in shown.text
    assert [a.status_code for a in answers] == [200, 200, 200, 200]
    assert "Choose one of this event's submitted projects." in page(answers[0]).text
    assert "Choose one of this event's submitted projects." in page(answers[2]).text
    assert "Choose the project you vote for." in page(answers[3]).text
    assert _votes() == []


def test_event_page_links_to_the_ballot_only_while_voting_is_open(client, clock):
    b = ballot(clock)

    during = page(client.get(f"/events/{b.event.slug}"))
    clock.advance(days=2)
    after = page(client.get(f"/events/{b.event.slug}"))

    links = [n for n in during.by_id("vote-link")[0].walk() if n.tag == "a"]
    assert links[0].attrs["href"] == b.path and links[0].text == "Vote for the people's choice"
    assert after.by_id("vote-link") == []


RULE = "A vote counts when its voter is still a confirmed registrant as the votes are counted"


def test_confirmed_registrant_counts_however_new_the_account(client, login_as, clock):
    b = ballot(clock)
    opened = clock.at - timedelta(hours=1)
    old = make_user(created_at=opened - timedelta(days=30))
    new = make_user(created_at=opened + timedelta(minutes=30))
    for person in (old, new):
        register(b.event, person)
    login_as(b.voter)
    client.post(b.path, data={"submission_id": b.radar.id})
    for person in (old, new):
        login_as(person)
        client.post(b.path, data={"submission_id": b.radar.id})

    shown = page(client.get(b.path))

    assert len(_votes()) == 3
    assert shown.by_id("votes-count")[0].text == "3 votes counted."
    assert RULE in shown.by_id("votes-rule")[0].text
    assert "however new their account" in shown.by_id("votes-rule")[0].text


def test_votes_that_do_not_count_are_told_apart_by_reason_in_one_sentence(client, login_as, clock):
    b = ballot(clock)
    stays, leaves = make_user(), make_user()
    for person in (stays, leaves):
        register(b.event, person)
    for person, entry in ((b.voter, b.radar), (stays, b.ledger), (leaves, b.radar)):
        login_as(person)
        client.post(b.path, data={"submission_id": entry.id})
    registration.cancel(registration_of(b.event, leaves), actor=leaves)
    b.ledger.state = "withdrawn"
    db.session.commit()

    login_as(b.voter)
    shown = page(client.get(b.path))
    login_as(b.organizer)
    results = page(client.get(f"/events/{b.event.slug}/results"))

    sentence = (
        "1 vote counted; 2 did not: 1 because its voter is no longer a confirmed registrant "
        "of the event, and 1 because it was for a project withdrawn by its team."
    )
    assert shown.by_id("votes-count")[0].text == sentence
    assert results.by_id("votes-count")[0].text == sentence
    assert RULE in results.by_id("votes-rule")[0].text


def test_one_reason_reads_as_one_plain_sentence(client, login_as, clock):
    b = ballot(clock)
    gone = [make_user() for _ in range(2)]
    for person in gone:
        register(b.event, person)
        voting.cast_vote(b.event, {"submission_id": b.radar.id}, actor=person)
    voting.cast_vote(b.event, {"submission_id": b.ledger.id}, actor=b.voter)
    db.session.commit()
    for person in gone:
        registration.cancel(registration_of(b.event, person), actor=person)
    db.session.commit()
    login_as(b.voter)

    shown = page(client.get(b.path))

    assert shown.by_id("votes-count")[0].text == (
        "1 vote counted; 2 did not, because their voters are no longer confirmed registrants "
        "of the event."
    )


def test_two_presses_at_once_end_in_one_vote(app, clock):
    b = ballot(clock)
    start = threading.Barrier(2)
    outcomes: list = []

    def press(entry_id):
        with app.app_context():
            writing()
            start.wait(timeout=10)
            try:
                from eventhub.accounts.models import User
                from eventhub.events.models import Event

                event = db.session.get(Event, b.event.id)
                vote, _ = voting.cast_vote(
                    event, {"submission_id": entry_id}, actor=db.session.get(User, b.voter.id)
                )
                db.session.commit()
                outcomes.append(vote.id)
            except Exception as exc:  # reported by the test, not lost with the thread
                outcomes.append(repr(exc))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=press, args=(e.id,)) for e in (b.radar, b.ledger)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    votes = _votes()
    assert len(votes) == 1
    assert outcomes == [votes[0].id, votes[0].id]
    assert votes[0].submission_id in (b.radar.id, b.ledger.id)
