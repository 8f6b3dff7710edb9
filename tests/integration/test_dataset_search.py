"""Finding datasets: words ranked by where they match, and filters that show their counts.

Datasets are made with the factory, which stores them through the import service, so they
are indexed exactly as imported ones are. Results are read in the order the page lists them.
"""

from __future__ import annotations

import pytest

from tests.factories import make_dataset
from tests.integration.datasets_support import result_titles
from tests.integration.pages import page


def _search(client, **args):
    response = client.get("/datasets", query_string=args)
    assert response.status_code == 200
    return response


def _summary(response) -> str:
    """The line above the results: how many, and what they were narrowed by."""
    return next(p.text for p in page(response).all("p", class_="eh-meta") if "dataset" in p.text)


def _facets(response) -> dict[str, dict[str, int]]:
    """The "Narrow down" panel: facet title -> {value: count} as printed."""
    aside = page(response).all("aside")[0]
    out: dict[str, dict[str, int]] = {}
    title = None
    for node in aside.walk():
        if node.tag == "h3":
            title = node.text
            out[title] = {}
        elif node.tag == "li" and title:
            label, _, count = node.text.partition(" (")
            out[title][label] = int(count.split(")")[0])
    return out


def _facet_link(response, title: str, label: str) -> str:
    aside = page(response).all("aside")[0]
    heading = None
    for node in aside.walk():
        if node.tag == "h3":
            heading = node.text
        elif node.tag == "a" and heading == title and node.text == label:
            return node.attrs["href"]
    raise AssertionError(f"no {title} link {label!r}")


# --- words ------------------------------------------------------------------------------


def test_search_title_match_ranks_above_keyword_and_description_matches(client):
    make_dataset(
        title="Emergency Room Wait Times",
        description="How long people wait at each hospital emergency room, by month.",
        keywords=["waiting"],
    )
    make_dataset(title="Licensed Bed Counts", keywords=["hospital", "beds"])
    make_dataset(title="Hospital Locations", description="Addresses of every facility.")
    make_dataset(title="Bus Stop Inventory", description="Every stop in the city.")

    found = _search(client, q="hospital")

    assert result_titles(found) == [
        "Hospital Locations",
        "Licensed Bed Counts",
        "Emergency Room Wait Times",
    ]
    assert _summary(found).startswith("3 datasets matching “hospital”.")


def test_search_stems_words_so_hospitals_finds_hospital(client):
    make_dataset(title="Hospital Readmissions by County", keywords=["quality"])
    make_dataset(title="Park Inspections", keywords=["parks"])

    plural = _search(client, q="hospitals")
    singular_of_plural = _search(client, q="readmission county")

    assert result_titles(plural) == ["Hospital Readmissions by County"]
    assert result_titles(singular_of_plural) == ["Hospital Readmissions by County"]


def test_search_last_word_matches_as_typed_prefix(client):
    make_dataset(title="Vaccination Coverage Among Children")

    assert result_titles(_search(client, q="vaccin")) == ["Vaccination Coverage Among Children"]
    assert result_titles(_search(client, q="coverage chil")) == [
        "Vaccination Coverage Among Children"
    ]


def test_search_finds_keywords_and_publishers_not_in_the_title(client):
    make_dataset(title="Quarterly Reports", publisher=["Treasury Department"], keywords=["money"])
    make_dataset(title="Annual Tables", keywords=["fisheries"], publisher=["Commerce Office"])

    assert result_titles(_search(client, q="treasury")) == ["Quarterly Reports"]
    assert result_titles(_search(client, q="fisheries")) == ["Annual Tables"]


def test_search_requires_every_word(client):
    make_dataset(title="Hospital Readmissions")
    make_dataset(title="Hospital Locations")

    assert result_titles(_search(client, q="hospital locations")) == ["Hospital Locations"]


def test_search_ignores_common_words_alike_on_both_databases(client):
    make_dataset(title="Hospital Readmissions by County", publisher=["Health Office"])
    make_dataset(title="Theater Locations", publisher=["Arts Office"])

    found = {
        q: result_titles(_search(client, q=q))
        for q in ("hospitals in the county", "a hospital", "county the", "readmissions of")
    }

    assert found == {q: ["Hospital Readmissions by County"] for q in found}


def test_search_without_match_says_so(client):
    make_dataset(title="Hospital Readmissions")

    found = _search(client, q="zebra")

    assert result_titles(found) == []
    assert "0 datasets matching “zebra”." in _summary(found)
    assert "No datasets match. Try fewer or other words" in page(found).text


def test_search_query_syntax_is_read_as_words(client):
    make_dataset(title="Hospital Readmissions")
    hospital = ["Hospital Readmissions"]
    expected = {
        'hospital" OR "x': [],  # every word must match, "or" and "x" included
        "NEAR(hospital": [],
        "hospital*": hospital,
        "-hospital": hospital,
        "hospital:*": hospital,
        "a & b | !c": [],
        "é": [],
        "'''": hospital,  # no words at all: the whole catalog
        "(": hospital,
    }

    found = {query: result_titles(_search(client, q=query)) for query in expected}

    assert found == expected


# --- filters ----------------------------------------------------------------------------


@pytest.fixture
def catalog():
    """Four datasets across two publishers, three keywords, three formats, three levels."""
    csv = {"download_url": "https://data.example.gov/a.csv", "media_type": "text/csv"}
    json_ = {"download_url": "https://data.example.gov/b.json", "media_type": "application/json"}
    api = {"access_url": "https://data.example.gov/api", "format": "API"}
    make_dataset(
        title="Clinic Locations",
        publisher=["Health Office"],
        keywords=["Clinics", "health"],
        distributions=[csv],
        access_level="public",
    )
    make_dataset(
        title="Clinic Staffing",
        publisher=["Health Office"],
        keywords=["health"],
        distributions=[json_],
        access_level="restricted public",
    )
    make_dataset(
        title="Bus Ridership",
        publisher=["Transit Office"],
        keywords=["transit"],
        distributions=[csv, api],
        access_level="public",
    )
    make_dataset(
        title="Clinic Bus Routes",
        publisher=["Transit Office"],
        keywords=["transit", "health"],
        access_level="non-public",
    )


def test_catalog_page_shows_every_facet_with_counts(client, catalog):
    listing = _search(client)

    assert _summary(listing) == "4 datasets in the catalog."
    assert _facets(listing) == {
        "Publisher": {"Health Office": 2, "Transit Office": 2},
        "Keyword": {"health": 3, "transit": 2, "clinics": 1},
        "Format": {"CSV": 2, "API": 1, "JSON": 1},
        "Access level": {"non-public": 1, "public": 2, "restricted public": 1},
    }


def test_filter_by_publisher_then_format_narrows_and_recounts(client, catalog):
    by_health = client.get(_facet_link(_search(client), "Publisher", "Health Office"))
    csv_only = client.get(_facet_link(by_health, "Format", "CSV"))

    assert sorted(result_titles(by_health)) == ["Clinic Locations", "Clinic Staffing"]
    assert _summary(by_health).startswith("2 datasets published by Health Office.")
    assert _facets(by_health)["Keyword"] == {"health": 2, "clinics": 1}
    assert _facets(by_health)["Format"] == {"CSV": 1, "JSON": 1}
    assert result_titles(csv_only) == ["Clinic Locations"]
    assert _summary(csv_only).startswith("1 dataset published by Health Office in CSV.")


def test_active_filter_offers_its_removal(client, catalog):
    by_keyword = _search(client, keyword="transit")
    [remove] = [a for a in page(by_keyword).all("a") if a.text.startswith("remove")]

    back = client.get(remove.attrs["href"])

    assert sorted(result_titles(by_keyword)) == ["Bus Ridership", "Clinic Bus Routes"]
    assert "transit (2) remove" in page(by_keyword).text
    assert _summary(back) == "4 datasets in the catalog."


def test_filters_narrow_the_results(client, catalog):
    cases = {
        "keyword": {"keyword": "Health"},
        "format": {"format": "CSV"},
        "access": {"access": "public"},
        "restricted": {"access": "restricted public"},
        "unknown access level": {"access": "secret"},
        "keyword and access": {"keyword": "health", "access": "non-public"},
        "words and keyword": {"q": "clinic", "keyword": "transit"},
        "words and format": {"q": "bus", "format": "API"},
    }

    found = {name: sorted(result_titles(_search(client, **args))) for name, args in cases.items()}

    assert found == {
        "keyword": ["Clinic Bus Routes", "Clinic Locations", "Clinic Staffing"],
        "format": ["Bus Ridership", "Clinic Locations"],
        "access": ["Bus Ridership", "Clinic Locations"],
        "restricted": ["Clinic Staffing"],
        "unknown access level": [
            "Bus Ridership",
            "Clinic Bus Routes",
            "Clinic Locations",
            "Clinic Staffing",
        ],
        "keyword and access": ["Clinic Bus Routes"],
        "words and keyword": ["Clinic Bus Routes"],
        "words and format": ["Bus Ridership"],
    }


def test_filters_combined_with_words_count_only_the_matches(client, catalog):
    found = _search(client, q="clinic")

    assert _facets(found)["Publisher"] == {"Health Office": 2, "Transit Office": 1}
    assert _facets(found)["Access level"] == {"non-public": 1, "public": 1, "restricted public": 1}


def test_search_results_are_paged(client):
    for n in range(21):
        make_dataset(title=f"Census Tract Table {n:02d}", keywords=["census"])

    first = _search(client, q="census")
    second = client.get(
        next(a.attrs["href"] for a in page(first).all("a") if a.text == "Next page")
    )

    assert len(result_titles(first)) == 20
    assert "Page 1 of 2" in page(first).text
    assert len(result_titles(second)) == 1
    assert set(result_titles(first)).isdisjoint(result_titles(second))
