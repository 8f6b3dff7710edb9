"""Dataset catalog benchmark: import speed and search latency against the budgets of the issue.

Budgets (this machine):
  import cms-data.json (139 datasets, 2.7 MB) into an empty database   < 2 s
  re-import it unchanged                                                < 1 s
  search over 10,000 datasets, median                                   < 50 ms

Runs on a throwaway SQLite file by default; set EVENTHUB_BENCH_DATABASE_URL to a PostgreSQL
database (empty, it will be filled and left) to measure there. Prints each figure beside its
budget as a ratio (below 1.00 is within budget). Not part of `make test`.
"""

from __future__ import annotations

import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from eventhub import create_app  # noqa: E402
from eventhub.datasets import queries, services  # noqa: E402
from eventhub.datasets.models import DatasetImport  # noqa: E402
from eventhub.datasets.records import DatasetRecord, DistributionRecord, Parsed  # noqa: E402
from eventhub.extensions import db  # noqa: E402

FIXTURES = Path(
    os.environ.get("EVENTHUB_FIXTURES_DIR")
    or Path(__file__).resolve().parent.parent / "tests" / "fixtures"
)
CMS = FIXTURES / "catalogs" / "cms-data.json"
SCALE = 10_000
QUERIES = [
    "hospital",
    "medicare part d",
    "nursing home quality",
    "opioid",
    "vaccination rates",
    "emergency department",
    "drug prices",
    "county health",
    "air quality",
    "covid hospital capacity",
    "physician",
    "payment",
    "rural clinics",
    "dialysis facilities",
    "home health",
]
PUBLISHERS = [
    ["Centers for Medicare & Medicaid Services", "U.S. Department of Health & Human Services"],
    ["Food and Drug Administration", "U.S. Department of Health & Human Services"],
    ["Centers for Disease Control and Prevention", "U.S. Department of Health & Human Services"],
    ["Environmental Protection Agency"],
    ["U.S. Census Bureau", "U.S. Department of Commerce"],
    ["Seattle Police Department"],
]
FORMATS = [
    ("text/csv", "csv"),
    ("application/json", "json"),
    ("", "API"),
    ("application/zip", "zip"),
]


def report(label: str, seconds: float, budget: float) -> None:
    print(
        f"{label:<48} {seconds * 1000:9.1f} ms   budget {budget * 1000:7.0f} ms   "
        f"ratio {seconds / budget:5.2f}"
    )


class Vocabulary:
    """Words drawn with the frequencies they have in the real FDA and CMS catalogs, so the
    synthetic datasets match queries about as often as real ones would."""

    def __init__(self):
        titles, descriptions, keywords = Counter(), Counter(), Counter()
        for name in ("cms-data.json", "fda-data.json"):
            for record in json.loads((FIXTURES / "catalogs" / name).read_text())["dataset"]:
                titles.update(_words(record.get("title", "")))
                descriptions.update(_words(record.get("description", "")))
                keywords.update(k.lower() for k in record.get("keyword", []) if isinstance(k, str))
        self.titles = (list(titles), list(titles.values()))
        self.descriptions = (list(descriptions), list(descriptions.values()))
        self.keywords = (list(keywords), list(keywords.values()))

    @staticmethod
    def pick(rng: random.Random, table, k: int) -> list[str]:
        return rng.choices(table[0], weights=table[1], k=k)


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 2]


def synthetic(n: int, rng: random.Random, vocabulary: Vocabulary) -> DatasetRecord:
    title = " ".join(vocabulary.pick(rng, vocabulary.titles, 6)).capitalize()
    description = " ".join(vocabulary.pick(rng, vocabulary.descriptions, 80))
    media, fmt = rng.choice(FORMATS)
    return DatasetRecord(
        identifier=f"bench-{n}",
        title=title,
        description=description,
        keywords=sorted(set(vocabulary.pick(rng, vocabulary.keywords, 5))),
        publisher=rng.choice(PUBLISHERS),
        access_level="public",
        distributions=[
            DistributionRecord(
                download_url=f"https://example.gov/{n}.{fmt.lower()}",
                media_type=media or None,
                format=fmt,
            )
        ],
        raw={"identifier": f"bench-{n}", "title": title},
    )


def import_cms() -> tuple[float, float]:
    body = CMS.read_bytes()
    timings = []
    for _ in range(2):
        start = time.perf_counter()
        history = services.import_bytes(
            body, catalog_key="cms-data.json", via="cli", source=str(CMS)
        )
        db.session.commit()
        timings.append(time.perf_counter() - start)
        assert history.status == "completed", history.message
    assert history.unchanged_count == 139, (history.new_count, history.updated_count)
    return timings[0], timings[1]


def fill(n: int) -> None:
    rng = random.Random(2026)
    vocabulary = Vocabulary()
    for start in range(0, n, 1000):
        records = [synthetic(i, rng, vocabulary) for i in range(start, min(start + 1000, n))]
        history = DatasetImport(via="cli", source="bench")
        db.session.add(history)
        services.store(
            Parsed(kind="DCAT-US 1.1", records=records), catalog_key="bench", history=history
        )
        db.session.commit()


def search_latency(app) -> tuple[float, float]:
    """Median of the search query alone, and of the whole /datasets page over HTTP."""
    query_times, page_times = [], []
    client = app.test_client()
    for _round in range(3):
        for q in QUERIES:
            start = time.perf_counter()
            queries.search_datasets(queries.Filters(q=q))
            query_times.append(time.perf_counter() - start)
            db.session.rollback()
            start = time.perf_counter()
            response = client.get("/datasets", query_string={"q": q})
            page_times.append(time.perf_counter() - start)
            assert response.status_code == 200
    return query_times, page_times


def main() -> None:
    url = os.environ.get("EVENTHUB_BENCH_DATABASE_URL")
    with tempfile.TemporaryDirectory() as tmp:
        url = url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "LOG_LEVEL": "WARNING"}
        )
        with app.app_context():
            db.create_all()
            print(f"database: {db.engine.dialect.name}")
            first, again = import_cms()
            report("import cms-data.json into an empty database", first, 2.0)
            report("re-import cms-data.json unchanged", again, 1.0)
            start = time.perf_counter()
            fill(SCALE)
            print(f"(filled {SCALE:,} synthetic datasets in {time.perf_counter() - start:.1f} s)")
            query, page = search_latency(app)
            n = f"{SCALE + 139:,}"
            report(f"search over {n} datasets, median (query)", statistics.median(query), 0.050)
            report(f"search over {n} datasets, median (whole page)", statistics.median(page), 0.050)
            report(f"search over {n} datasets, slowest (whole page)", max(page), 0.050)
            matches = [
                queries.search_datasets(queries.Filters(q=q), facets=False).total for q in QUERIES
            ]
            pairs = zip(QUERIES, matches, strict=True)
            print(f"(matches per query: {', '.join(f'{q!r} {m}' for q, m in pairs)})")
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
