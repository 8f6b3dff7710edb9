"""Full-text search over datasets: SQLite FTS5 or PostgreSQL tsvector, one interface.

The index is a table beside ``datasets`` named ``dataset_search``, kept outside the ORM
metadata because the two databases build it differently (an FTS5 virtual table; a table with
a weighted tsvector and a GIN index). ``create_index`` makes it (called by the migration and,
through a DDL hook, by ``create_all``); the import service calls ``reindex`` for every
dataset it writes. Title weighs most, then keywords and publisher, then the description.
Queries are reduced to word tokens before they reach either engine, so no query syntax of
either leaks through to users (or errors).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import event, text
from sqlalchemy.engine import Connection

from eventhub.datasets.models import Dataset
from eventhub.textfmt import plain_text

INDEX_TABLE = "dataset_search"
_TOKEN = re.compile(r"\w+", re.UNICODE)
MAX_TOKENS = 12
MIN_PREFIX = 3  # a shorter last word matches only itself: "d*" would match half the index
# English function words, as PostgreSQL's english text search configuration ignores them.
STOPWORDS = frozenset(
    """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom
    this that these those am is are was were be been being have has had having do does did
    doing a an the and but if or because as until while of at by for with about against
    between into through during before after above below to from up down in out on off over
    under again further then once here there when where why how all any both each few more
    most other some such no nor not only own same so than too very s t can will just don
    should now
    """.split()
)

_SQLITE_CREATE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {INDEX_TABLE} USING fts5("
    "title, keywords, publisher, description, "
    "tokenize = 'porter unicode61 remove_diacritics 2')"
)
_PG_CREATE = (
    f"CREATE TABLE IF NOT EXISTS {INDEX_TABLE} ("
    "dataset_id INTEGER PRIMARY KEY REFERENCES datasets (id) ON DELETE CASCADE, "
    "document TSVECTOR NOT NULL)",
    f"CREATE INDEX IF NOT EXISTS ix_{INDEX_TABLE}_document ON {INDEX_TABLE} USING GIN (document)",
)
_PG_DOCUMENT = (
    "setweight(to_tsvector('english', :title), 'A') || "
    "setweight(to_tsvector('english', :keywords), 'B') || "
    "setweight(to_tsvector('english', :publisher), 'B') || "
    "setweight(to_tsvector('english', :description), 'C')"
)
# bm25 column weights, in the order of the FTS5 columns above.
_SQLITE_RANK = f"bm25({INDEX_TABLE}, 10.0, 4.0, 3.0, 1.0)"


def create_index(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(_SQLITE_CREATE)
    else:
        for statement in _PG_CREATE:
            connection.exec_driver_sql(statement)


def drop_index(connection: Connection) -> None:
    connection.exec_driver_sql(f"DROP TABLE IF EXISTS {INDEX_TABLE}")


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """For autogenerate: the index tables are ours but not the ORM's; leave them alone."""
    return not (type_ == "table" and name and name.startswith(INDEX_TABLE))


@event.listens_for(Dataset.__table__, "after_create")
def _after_create(target, connection, **kw) -> None:
    create_index(connection)


@event.listens_for(Dataset.__table__, "before_drop")
def _before_drop(target, connection, **kw) -> None:
    drop_index(connection)


def _fields(dataset: Dataset, publisher_names: str) -> dict[str, str]:
    return {
        "title": dataset.title,
        "keywords": " ".join(dataset.keywords or []),
        "publisher": publisher_names,
        "description": plain_text(dataset.description),
    }


def reindex(connection: Connection, entries: Iterable[tuple[Dataset, str]]) -> None:
    """(Re)write the index rows of these datasets; ``str`` is their publisher names joined."""
    rows = [{"id": d.id, **_fields(d, names)} for d, names in entries]
    if not rows:
        return
    if connection.dialect.name == "sqlite":
        connection.execute(
            text(f"DELETE FROM {INDEX_TABLE} WHERE rowid = :id"), [{"id": r["id"]} for r in rows]
        )
        connection.execute(
            text(
                f"INSERT INTO {INDEX_TABLE} (rowid, title, keywords, publisher, description) "
                "VALUES (:id, :title, :keywords, :publisher, :description)"
            ),
            rows,
        )
    else:
        connection.execute(
            text(
                f"INSERT INTO {INDEX_TABLE} (dataset_id, document) VALUES (:id, {_PG_DOCUMENT}) "
                "ON CONFLICT (dataset_id) DO UPDATE SET document = excluded.document"
            ),
            rows,
        )


def tokens(query: str) -> list[str]:
    """The query's words, lowercased, without common English words when others remain:
    PostgreSQL's english configuration drops them, FTS5 would require them to match, so a
    phrase like "hospitals in the county" would find nothing on SQLite alone."""
    words = [t.lower() for t in _TOKEN.findall(query or "")]
    return ([w for w in words if w not in STOPWORDS] or words)[:MAX_TOKENS]


def match_clause(dialect: str, words: list[str], *, ranked: bool = True):
    """(SQL selecting dataset_id and, when ``ranked``, rank; its params) for ``words``: every
    word must match; the last may be the start of a word (of 3 letters or more), as people
    type. Lower rank is
    better. Unranked is cheaper: for counting and filtering, not ordering."""
    last = words[-1]
    prefix = len(last) >= MIN_PREFIX
    if dialect == "sqlite":
        terms = [f'"{w}"' for w in words[:-1]] + [f'"{last}"' + ("*" if prefix else "")]
        rank = f", {_SQLITE_RANK} AS rank" if ranked else ""
        sql = (
            f"SELECT rowid AS dataset_id{rank} FROM {INDEX_TABLE} WHERE {INDEX_TABLE} MATCH :match"
        )
        return sql, {"match": " ".join(terms)}
    terms = words[:-1] + [last + (":*" if prefix else "")]
    rank = ", -ts_rank_cd(document, query) AS rank" if ranked else ""
    sql = (
        f"SELECT dataset_id{rank} "
        f"FROM {INDEX_TABLE}, to_tsquery('english', :match) AS query "
        "WHERE document @@ query"
    )
    return sql, {"match": " & ".join(terms)}
