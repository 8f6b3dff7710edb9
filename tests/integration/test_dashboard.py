"""The organizers' judging dashboard: progress per judge and per entry, each judge's spread of
scores as an inline SVG, agreement per criterion, and every score as a guarded CSV."""

import csv
import io
from dataclasses import dataclass

from eventhub.extensions import db
from eventhub.judging.models import JudgingSettings
from tests.factories import (
    assign,
    make_challenge,
    make_entry,
    make_event,
    make_judge,
    make_organizer,
    make_rubric,
    make_user,
    score,
)
from tests.integration.pages import page
from tests.support.queries import queries_for as _queries_for

NS = {"svg": "http://www.w3.org/2000/svg"}


@dataclass
class Judging:
    event: object
    organizer: object
    ann: object
    ben: object
    rubric: object
    entries: list

    @property
    def base(self) -> str:
        return f"/events/{self.event.slug}/manage/judging"

    @property
    def impact(self):
        return self.rubric.criteria[0]

    @property
    def data(self):
        return self.rubric.criteria[1]


def judging(k: int = 2, entries: int = 3) -> Judging:
    """Two judges (Ann, Ben) on a two-criterion rubric (Impact weighs 2, Use of data 1)."""
    organizer = make_organizer(name="Olivia Organizer")
    event = make_event(organizer=organizer, slug="budget-jam", title="Budget Datajam")
    db.session.add(JudgingSettings(event_id=event.id, judges_per_entry=k))
    db.session.commit()
    challenge = make_challenge(event, title="Where the Money Goes")
    made = [
        make_entry(event, challenge=challenge, title=f"Entry {n}", team_name=f"Team {n}")
        for n in range(1, entries + 1)
    ]
    ann = make_judge(event, make_user(name="Ann Judge", email="ann@example.org"))
    ben = make_judge(event, make_user(name="Ben Judge", email="ben@example.org"))
    return Judging(event, organizer, ann, ben, make_rubric(event), made)


def _inside(node, tag: str) -> list:
    return [n for n in node.walk() if n.tag == tag]


def test_dashboard_shows_progress_per_judge_and_per_entry(client, login_as):
    j = judging(k=2)
    one, two, three = j.entries
    for entry in (one, two, three):
        assign(j.ann, entry)
    assign(j.ben, one)
    score(j.ann, one, {j.impact: 4, j.data: 3})
    score(j.ann, two, {j.impact: 2})  # half a sheet is not complete
    score(j.ben, one, {j.impact: 5, j.data: 5})
    login_as(j.organizer)

    shown = page(client.get(j.base))

    ann = shown.by_id(f"judge-{j.ann.id}")[0]
    assert [td.text for td in _inside(ann, "td")][:2] == ["3", "1"]
    bar = _inside(ann, "progress")[0]
    assert (bar.attrs["value"], bar.attrs["max"]) == ("1", "3")
    assert "1 of 3" in ann.text
    ben = shown.by_id(f"judge-{j.ben.id}")[0]
    assert [td.text for td in _inside(ben, "td")][:2] == ["1", "1"]
    rows = {
        e.id: [td.text for td in _inside(shown.by_id(f"entry-{e.id}")[0], "td")] for e in j.entries
    }
    assert rows[one.id][2:] == ["2", "2", "—"]
    assert rows[two.id][2:] == ["1", "0", "Fewer than 2 judges"]
    assert rows[three.id][2:] == ["1", "0", "Fewer than 2 judges"]
    assert (
        "2 of 3 entries have fewer than 2 complete sheets." in shown.by_id("entries-short")[0].text
    )


def test_each_judge_gets_an_svg_histogram_of_their_scores_by_level(client, login_as):
    import xml.etree.ElementTree as ET

    j = judging()
    one, two, three = j.entries
    score(j.ann, one, {j.impact: 1, j.data: 3})
    score(j.ann, two, {j.impact: 3, j.data: 5})
    score(j.ben, three, {j.impact: 4})
    login_as(j.organizer)

    response = client.get(j.base)
    html = response.get_data(as_text=True)
    shown = page(response)

    assert "<script" not in html.split("<main")[1].split("</main>")[0]
    charts = {}
    for judge in (j.ann, j.ben):
        figure = shown.by_id(f"distribution-{judge.id}")[0]
        start = html.index("<svg", html.index(f'id="distribution-{judge.id}"'))
        charts[judge.id] = ET.fromstring(html[start : html.index("</svg>", start) + 6])
        assert judge.name in figure.text
    ann_bars = [float(r.get("height")) for r in charts[j.ann.id].findall(".//svg:rect", NS)]
    ben_bars = [float(r.get("height")) for r in charts[j.ben.id].findall(".//svg:rect", NS)]
    assert ann_bars == [50.0, 0.0, 100.0, 0.0, 50.0]  # levels 1-5: one 1, two 3s, one 5
    assert ben_bars == [0.0, 0.0, 0.0, 100.0, 0.0]
    ann_chart = charts[j.ann.id]
    assert ann_chart.get("role") == "img"
    label_ids = ann_chart.get("aria-labelledby").split()
    assert [shown.by_id(i)[0].tag for i in label_ids] == ["title", "desc"]
    assert "level 3: 2 scores" in shown.by_id(label_ids[1])[0].text


def test_agreement_per_criterion_is_shown_with_a_plain_reading(client, login_as):
    j = judging()
    one, two, three = j.entries
    # Impact: both judges give the same level to each entry (perfect agreement).
    # Use of data: only one entry has two judges' scores, and they are the same: no spread.
    score(j.ann, one, {j.impact: 5, j.data: 4})
    score(j.ben, one, {j.impact: 5, j.data: 4})
    score(j.ann, two, {j.impact: 2})
    score(j.ben, two, {j.impact: 2})
    score(j.ann, three, {j.impact: 3, j.data: 1})
    login_as(j.organizer)

    shown = page(client.get(j.base))

    impact = [td.text for td in _inside(shown.by_id(f"agreement-{j.impact.id}")[0], "td")]
    data = [td.text for td in _inside(shown.by_id(f"agreement-{j.data.id}")[0], "td")]
    assert impact == ["Event rubric", "1.00", "2", "The judges agree perfectly."]
    assert data[1:3] == ["Not enough overlap", "1"]
    assert data[3].startswith("Not enough overlap")


def test_agreement_shows_disagreement_as_a_low_alpha(client, login_as):
    j = judging()
    one, two, _ = j.entries
    # Hand-computed: units {1: [1, 5], 2: [5, 1]}; n = 4, pooled mean 3, SS = 16;
    # within = 2 * 8 + 2 * 8 = 32; alpha = 1 - 3 * 32 / (4 * 16) = -0.5.
    score(j.ann, one, {j.impact: 1})
    score(j.ben, one, {j.impact: 5})
    score(j.ann, two, {j.impact: 5})
    score(j.ben, two, {j.impact: 1})
    login_as(j.organizer)

    shown = page(client.get(j.base))

    impact = [td.text for td in _inside(shown.by_id(f"agreement-{j.impact.id}")[0], "td")]
    assert impact[1] == "-0.50"
    assert "disagree more than chance" in impact[3]


def test_scores_csv_has_every_score_with_its_sheet_and_guards_formulas(client, login_as):
    j = judging()
    one, two, _ = j.entries
    db.session.get(type(one), one.id).title = "=HYPERLINK(evil)"
    db.session.commit()
    score(j.ann, one, {j.impact: 4, j.data: 3}, comment="+Great work", note="@check data")
    score(j.ben, two, {j.impact: 2}, comment="Nice", note="")
    login_as(j.organizer)

    response = client.get(f"{j.base}/scores.csv")

    assert response.mimetype == "text/csv"
    assert "budget-jam-scores.csv" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == [
        "event",
        "challenge",
        "project",
        "team",
        "judge",
        "judge email",
        "criterion",
        "value",
        "scale",
        "weight",
        "comment for team",
        "private note",
        "updated at (America/New_York)",
    ]
    body = sorted(rows[1:], key=lambda r: (r[4], r[6]))
    assert [r[:12] for r in body] == [
        [
            "Budget Datajam",
            "Where the Money Goes",
            "'=HYPERLINK(evil)",
            "Team 1",
            "Ann Judge",
            "ann@example.org",
            "Impact",
            "4",
            "1 to 5",
            "0.6667",
            "'+Great work",
            "'@check data",
        ],
        [
            "Budget Datajam",
            "Where the Money Goes",
            "'=HYPERLINK(evil)",
            "Team 1",
            "Ann Judge",
            "ann@example.org",
            "Use of data",
            "3",
            "1 to 5",
            "0.3333",
            "'+Great work",
            "'@check data",
        ],
        [
            "Budget Datajam",
            "Where the Money Goes",
            "Entry 2",
            "Team 2",
            "Ben Judge",
            "ben@example.org",
            "Impact",
            "2",
            "1 to 5",
            "0.6667",
            "Nice",
            "",
        ],
    ]
    assert all(r[12] == "Mon, Mar 2, 2026, 10:00 AM EST" for r in body)


def test_scores_csv_leaves_out_another_events_scores(client, login_as):
    j = judging()
    score(j.ann, j.entries[0], {j.impact: 4})
    other = make_event(organizer=j.organizer, title="Transit Sprint")
    stranger = make_judge(other)
    rubric = make_rubric(other)
    score(stranger, make_entry(other, title="Elsewhere"), {rubric.criteria[0]: 1})
    login_as(j.organizer)

    rows = list(csv.reader(io.StringIO(client.get(f"{j.base}/scores.csv").get_data(as_text=True))))

    assert [r[2] for r in rows[1:]] == ["Entry 1"]


def test_dashboard_makes_as_many_queries_for_two_entries_as_for_eight(client, login_as):
    j = judging(entries=2)
    for entry in j.entries:
        assign(j.ann, entry)
        score(j.ann, entry, {j.impact: 3, j.data: 4})
    login_as(j.organizer)
    few = _queries_for(client, j.base)
    few_csv = _queries_for(client, f"{j.base}/scores.csv")
    challenge = make_challenge(j.event, title="Second Challenge")
    make_rubric(j.event, challenge=challenge)
    for n in range(6):
        entry = make_entry(j.event, challenge=challenge if n % 2 else None)
        judge = make_judge(j.event)
        assign(judge, entry)
        assign(j.ben, entry)
        score(judge, entry, {j.impact: 2})

    assert _queries_for(client, j.base) == few
    assert _queries_for(client, f"{j.base}/scores.csv") == few_csv


def test_dashboard_with_nothing_yet_says_so(client, login_as):
    organizer = make_organizer()
    event = make_event(organizer=organizer, slug="empty-jam")
    login_as(organizer)

    text = page(client.get("/events/empty-jam/manage/judging")).text

    assert "No judges yet." in text and "No entries to judge yet." in text
    assert "There is no rubric yet" in text
    assert event is not None
