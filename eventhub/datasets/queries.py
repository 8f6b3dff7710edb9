"""Reading the catalog: search with filters and facet counts, one dataset, import history."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Float, Integer, func, select, text
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from eventhub.datasets import facets as facet_index
from eventhub.datasets import search
from eventhub.datasets.models import (
    Dataset,
    DatasetFacet,
    DatasetImport,
    Publisher,
)
from eventhub.extensions import db

PER_PAGE = 20
FACET_SIZE = 12


@dataclass
class Filters:
    q: str = ""
    publisher: int | None = None
    keyword: str = ""
    format: str = ""
    access: str = ""

    @property
    def active(self) -> bool:
        return bool(self.q or self.publisher or self.keyword or self.format or self.access)

    def args(self, **changes) -> dict:
        """Query arguments for a link that keeps these filters but for ``changes``."""
        values = {
            "q": self.q,
            "publisher": self.publisher,
            "keyword": self.keyword,
            "format": self.format,
            "access": self.access,
            **changes,
        }
        return {k: v for k, v in values.items() if v not in (None, "")}


@dataclass(frozen=True)
class FacetEntry:
    label: str
    count: int
    args: dict  # query arguments of the link that applies (or, when active, removes) it
    active: bool


FACET_TITLES = {
    "publisher": "Publisher",
    "keyword": "Keyword",
    "format": "Format",
    "access": "Access level",
}


def facet_entries(filters: Filters, facets: dict[str, list[tuple]]) -> list[tuple[str, list]]:
    """Each facet's title and entries, with the links worked out here rather than in the
    template: selecting a value keeps the other filters and starts again at page 1."""
    sections = []
    for name, title in FACET_TITLES.items():
        entries = []
        for row in facets.get(name, []):
            value, label, count = (
                (row[0], row[1], row[2]) if len(row) == 3 else (row[0], row[0], row[1])
            )
            active = getattr(filters, name) == value
            entries.append(
                FacetEntry(
                    label=str(label),
                    count=int(count),
                    active=active,
                    args=filters.args(**{name: None if active else value, "page": None}),
                )
            )
        if entries:
            sections.append((title, entries))
    return sections


@dataclass
class Results:
    datasets: list[Dataset]
    total: int
    page: int
    pages: int
    formats: dict[int, list[str]] = field(default_factory=dict)
    facets: dict[str, list[tuple]] = field(default_factory=dict)


def _conditions(filters: Filters) -> list:
    """WHERE clauses on Dataset for every filter but the words: each is a facet row."""
    chosen = [
        ("publisher", str(filters.publisher) if filters.publisher else ""),
        ("keyword", filters.keyword.strip().lower()),
        ("format", filters.format),
        ("access", filters.access),
    ]
    return [
        select(DatasetFacet.dataset_id)
        .where(
            DatasetFacet.dataset_id == Dataset.id,
            DatasetFacet.facet == facet,
            DatasetFacet.value == value,
        )
        .exists()
        for facet, value in chosen
        if value
    ]


def _match_sql(words: list[str], *, ranked: bool):
    sql, params = search.match_clause(db.session.get_bind().dialect.name, words, ranked=ranked)
    columns = {"dataset_id": Integer, "rank": Float} if ranked else {"dataset_id": Integer}
    return text(sql).bindparams(**params).columns(**columns)


def _matching_ids(filters: Filters, words: list[str]):
    """A select of the ids of every dataset that passes the words and the filters."""
    conditions = _conditions(filters)
    if words and not conditions:
        matches = _match_sql(words, ranked=False).subquery("m")
        return select(matches.c.dataset_id.label("id"))
    stmt = select(Dataset.id.label("id")).where(*conditions)
    if words:
        stmt = stmt.where(Dataset.id.in_(_match_sql(words, ranked=False)))
    return stmt


def _page_ids(filters: Filters, words: list[str], page: int) -> list[int]:
    """The ids on one page, best first: ranked by relevance, else newest first. Only ids are
    sorted, so ranking never reads a whole dataset row."""
    if words:
        ranked = _match_sql(words, ranked=True).subquery("r")
        stmt = select(ranked.c.dataset_id).order_by(ranked.c.rank, ranked.c.dataset_id)
        conditions = _conditions(filters)
        if conditions:
            stmt = stmt.where(ranked.c.dataset_id.in_(select(Dataset.id).where(*conditions)))
    else:
        stmt = (
            select(Dataset.id)
            .where(*_conditions(filters))
            .order_by(Dataset.modified.desc().nulls_last(), Dataset.id)
        )
    return list(db.session.scalars(stmt.limit(PER_PAGE).offset((page - 1) * PER_PAGE)))


def search_datasets(filters: Filters, *, page: int = 1, facets: bool = True) -> Results:
    """One page of results and, unless asked not to, the facet counts of all of them.

    The matching ids are read once (they give the total and the facet counts); ranking is
    a second query that sorts ids only; then the page's rows are loaded.
    """
    words = search.tokens(filters.q)
    narrowed = bool(words or filters.active)
    if narrowed:
        matching = list(db.session.scalars(_matching_ids(filters, words)))
        total = len(matching)
    else:
        matching = None
        total = db.session.scalar(select(func.count(Dataset.id))) or 0
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(page, 1), pages)
    if not total:
        return Results(datasets=[], total=0, page=1, pages=1)
    ids = _page_ids(filters, words, page)
    loaded = {
        d.id: d
        for d in db.session.scalars(
            select(Dataset).where(Dataset.id.in_(ids)).options(joinedload(Dataset.publisher))
        )
    }
    return Results(
        datasets=[loaded[i] for i in ids if i in loaded],
        total=total,
        page=page,
        pages=pages,
        formats=_formats(ids),
        facets=_facets(matching) if facets else {},
    )


def _facets(matching: list[int] | None) -> dict:
    """Every facet's top values with their counts among the matching datasets (None: all)."""
    index = facet_index.current()
    if index is None:
        return {}
    counts = index.everything if matching is None else index.count(matching)
    out: dict = {"publisher": [], "keyword": [], "format": [], "access": []}
    for (facet, value), count in index.named(counts).items():
        out[facet].append((value, count))
    for rows in out.values():
        rows.sort(key=lambda row: (-row[1], row[0]))
        del rows[FACET_SIZE:]
    out["access"].sort()
    names = _publisher_names([int(value) for value, _ in out["publisher"]])
    out["publisher"] = [(int(v), names.get(int(v), "?"), c) for v, c in out["publisher"]]
    return out


def _formats(ids: list[int]) -> dict[int, list[str]]:
    """Each listed dataset's format labels, from its facet rows (not its distributions,
    which run to hundreds for some datasets)."""
    formats: dict[int, list[str]] = {}
    rows = db.session.execute(
        select(DatasetFacet.dataset_id, DatasetFacet.value)
        .where(DatasetFacet.dataset_id.in_(ids), DatasetFacet.facet == "format")
        .order_by(DatasetFacet.dataset_id, DatasetFacet.value)
    )
    for dataset_id, value in rows:
        formats.setdefault(dataset_id, []).append(value)
    return formats


def _publisher_names(ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(
        db.session.execute(select(Publisher.id, Publisher.name).where(Publisher.id.in_(ids))).all()
    )


def get_dataset(dataset_id: int) -> Dataset | None:
    return db.session.scalar(
        select(Dataset)
        .where(Dataset.id == dataset_id)
        .options(
            joinedload(Dataset.publisher),
            joinedload(Dataset.catalog),
            selectinload(Dataset.distributions),
        )
    )


def featured_in(dataset: Dataset) -> list:
    """Challenges of events the public can see that feature this dataset, newest event first."""
    from eventhub.challenges.models import Challenge, ChallengeDataset
    from eventhub.enums import EventStatus
    from eventhub.events.models import Event

    return list(
        db.session.scalars(
            select(Challenge)
            .join(ChallengeDataset, ChallengeDataset.challenge_id == Challenge.id)
            .join(Event, Event.id == Challenge.event_id)
            .where(
                ChallengeDataset.dataset_id == dataset.id,
                Event.status != EventStatus.DRAFT.value,
            )
            .options(contains_eager(Challenge.event))
            .order_by(Event.starts_at.desc(), Challenge.position, Challenge.id)
        )
    )


def _shown_projects():
    """Submitted projects the public may see: their event is not a draft, its gallery open."""
    from eventhub.enums import EventStatus
    from eventhub.events.models import Event
    from eventhub.submissions.models import Submission

    return (
        select(Submission)
        .join(Event, Event.id == Submission.event_id)
        .where(
            Submission.state == "submitted",
            Event.gallery_open.is_(True),
            Event.status != EventStatus.DRAFT.value,
        )
    )


def used_by(dataset: Dataset) -> list:
    """Projects in open galleries that list this dataset, newest event first."""
    from eventhub.events.models import Event
    from eventhub.submissions.models import Submission, SubmissionDataset

    return list(
        db.session.scalars(
            _shown_projects()
            .join(SubmissionDataset, SubmissionDataset.submission_id == Submission.id)
            .where(SubmissionDataset.dataset_id == dataset.id)
            .options(contains_eager(Submission.event))
            .order_by(Event.starts_at.desc(), Submission.title, Submission.id)
        )
    )


def get_publisher(publisher_id: int) -> Publisher | None:
    return db.session.get(Publisher, publisher_id)


def publisher_datasets(publisher: Publisher) -> list[Dataset]:
    return list(
        db.session.scalars(
            select(Dataset).where(Dataset.publisher_id == publisher.id).order_by(Dataset.title)
        )
    )


def publisher_usage(publisher: Publisher) -> tuple[int, int]:
    """(challenges, projects) that used any of the publisher's datasets, each counted once:
    challenges of events the public can see, submitted projects in open galleries."""
    from eventhub.challenges.models import Challenge, ChallengeDataset
    from eventhub.enums import EventStatus
    from eventhub.events.models import Event
    from eventhub.submissions.models import Submission, SubmissionDataset

    theirs = select(Dataset.id).where(Dataset.publisher_id == publisher.id)
    challenges = db.session.scalar(
        select(func.count(func.distinct(Challenge.id)))
        .join(ChallengeDataset, ChallengeDataset.challenge_id == Challenge.id)
        .join(Event, Event.id == Challenge.event_id)
        .where(ChallengeDataset.dataset_id.in_(theirs), Event.status != EventStatus.DRAFT.value)
    )
    used = (
        _shown_projects()
        .join(SubmissionDataset, SubmissionDataset.submission_id == Submission.id)
        .where(SubmissionDataset.dataset_id.in_(theirs))
        .with_only_columns(Submission.id)
        .subquery()
    )
    projects = db.session.scalar(select(func.count(func.distinct(used.c.id))))
    return challenges or 0, projects or 0


def import_history(limit: int = 50) -> list[DatasetImport]:
    return list(
        db.session.scalars(
            select(DatasetImport)
            .options(joinedload(DatasetImport.actor))
            .order_by(DatasetImport.started_at.desc(), DatasetImport.id.desc())
            .limit(limit)
        )
    )


def publisher_name(publisher_id: int | None) -> str | None:
    if not publisher_id:
        return None
    return db.session.scalar(select(Publisher.name).where(Publisher.id == publisher_id))
