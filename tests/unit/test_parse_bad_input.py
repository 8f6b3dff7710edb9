import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventhub.datasets.parse import parse_bytes, parse_document
from eventhub.datasets.records import NotACatalog, Rejection
from tests.support.fixtures import CATALOGS

URL = "https://data.example.gov/data.json"
GOOD = {
    "identifier": "good-1",
    "title": "Clinic Locations",
    "description": "Where the clinics are.",
    "keyword": ["clinics"],
    "publisher": {"name": "Health Office"},
}


def refused(body: bytes, **kwargs) -> str:
    with pytest.raises(NotACatalog) as caught:
        parse_bytes(body, **kwargs)
    return str(caught.value)


def catalog(*datasets) -> dict:
    return {
        "conformsTo": "https://project-open-data.cio.gov/v1.1/schema",
        "dataset": list(datasets),
    }


def test_empty_body_is_refused():
    assert refused(b"") == "The file is empty: there is no catalog in it."
    assert refused(b" \r\n\t", url=URL) == "The response is empty: there is no catalog in it."


def test_messages_name_an_upload_a_file_and_a_fetch_a_response():
    assert refused(b"{", url=URL).startswith("The response is not valid JSON:")
    assert refused(b"{").startswith("The file is not valid JSON:")
    assert "Upload the catalog's data.json" in refused(b"<rss/>")
    assert "data.json address" in refused(b"<rss/>", url=URL)


def test_html_page_served_as_json_is_refused():
    page = b"\n<!DOCTYPE html>\n<html lang='en'><head><title>Data</title></head></html>"

    fetched = refused(page, content_type="application/json", url=URL)
    uploaded = refused(page)

    assert fetched.startswith("The address returned a web page (HTML), not a JSON catalog.")
    assert uploaded.startswith("The file is a web page (HTML), not a JSON catalog.")


def test_html_content_type_with_a_non_json_body_is_refused():
    message = refused(b"Service temporarily unavailable", content_type="text/html; charset=utf-8")

    assert "web page (HTML)" in message


def test_json_labelled_as_html_is_still_read():
    body = json.dumps(catalog(GOOD)).encode()

    parsed = parse_bytes(body, content_type="text/html")

    assert [record.title for record in parsed.records] == ["Clinic Locations"]


def test_xml_is_refused_as_not_json():
    message = refused(b'<?xml version="1.0"?><rdf:RDF></rdf:RDF>')

    assert message.startswith("The file is XML, not a JSON catalog.")


def test_malformed_json_names_line_and_column():
    body = b'{\n  "dataset": [\n    {"title": "Clinics",}\n  ]\n}'

    message = refused(body)

    assert message.startswith("The file is not valid JSON:")
    assert message.endswith("at line 3, column 25.")


def test_absurdly_nested_json_is_refused():
    message = refused(b"[" * 100_000 + b"]" * 100_000)

    assert message == "The file nests JSON too deeply to be a catalog."


def test_non_utf8_body_is_refused_with_its_position():
    message = refused(b'{"title": "Caf\xe9"}')

    assert message.startswith("The file is not UTF-8 text")
    assert "position 15" in message


def test_byte_order_mark_is_tolerated():
    body = b"\xef\xbb\xbf" + (CATALOGS / "dcat-us-1.1-sample.json").read_bytes()

    parsed = parse_bytes(body)

    assert len(parsed.records) == 3


def test_declared_charset_is_honoured():
    body = json.dumps(catalog({**GOOD, "title": "Café Inspections"}), ensure_ascii=False)

    parsed = parse_bytes(
        body.encode("latin-1"), content_type="application/json; charset=ISO-8859-1"
    )

    assert parsed.records[0].title == "Café Inspections"


def test_utf8_mislabelled_as_latin1_is_read_as_utf8():
    body = json.dumps(catalog({**GOOD, "title": "Café Inspections"}), ensure_ascii=False)

    parsed = parse_bytes(body.encode(), content_type="application/json; charset=ISO-8859-1")

    assert parsed.records[0].title == "Café Inspections"


def test_json_list_of_numbers_is_not_a_catalog():
    assert refused(b"[1, 2, 3]") == (
        "This is not a DCAT-US catalog or a CKAN, Socrata or DKAN dataset: "
        "it is a JSON list of numbers."
    )


def test_json_object_names_its_keys_when_not_a_catalog():
    message = refused(b'{"a": 1, "b": 2, "c": 3}')

    assert message.endswith("it is a JSON object with keys a, b, c.")


def test_other_json_shapes_are_described():
    assert refused(b'"data.json"').endswith("it is a string in JSON.")
    assert refused(b"[]").endswith("it is an empty JSON list.")
    assert refused(b'["a", "b"]').endswith("it is a JSON list of strings.")
    assert refused(b'[{"name": "x"}]').endswith("it is a JSON list of objects with keys name.")


def test_catalog_without_dataset_list_is_refused():
    with pytest.raises(NotACatalog) as caught:
        parse_document(
            {"@type": "dcat:Catalog", "conformsTo": "https://project-open-data.cio.gov/v1.1/schema"}
        )

    assert 'has no "dataset" list' in str(caught.value)


def test_catalog_whose_dataset_is_not_a_list_is_refused():
    with pytest.raises(NotACatalog) as caught:
        parse_document({"dataset": {"title": "Clinics"}})

    assert str(caught.value) == (
        'The catalog\'s "dataset" must be a list of datasets, but it is an object.'
    )


def test_dataset_missing_title_is_rejected_and_the_rest_imported():
    untitled = {**GOOD, "identifier": "no-title"}
    del untitled["title"]

    parsed = parse_document(catalog(GOOD, untitled))

    assert [record.identifier for record in parsed.records] == ["good-1"]
    assert parsed.rejections == [
        Rejection(reason="missing a title", identifier="no-title", title=None, position=2)
    ]


def test_dataset_missing_identifier_is_rejected_and_the_rest_imported():
    anonymous = {**GOOD, "title": "Nameless"}
    del anonymous["identifier"]

    parsed = parse_document(catalog(anonymous, GOOD))

    assert [record.title for record in parsed.records] == ["Clinic Locations"]
    assert parsed.rejections == [
        Rejection(reason="missing an identifier", identifier=None, title="Nameless", position=1)
    ]


def test_keyword_given_as_a_string_is_rejected():
    tagged = {**GOOD, "identifier": "kw", "title": "Tagged", "keyword": "health, clinics"}

    parsed = parse_document(catalog(GOOD, tagged))

    [rejection] = parsed.rejections
    assert rejection.reason == "keyword must be a list of strings, not a string"
    assert (rejection.identifier, rejection.title, rejection.position) == ("kw", "Tagged", 2)
    assert len(parsed.records) == 1


def test_publisher_given_as_a_string_is_rejected():
    published = {**GOOD, "identifier": "pub", "title": "Published", "publisher": "Health Office"}

    parsed = parse_document(catalog(published, GOOD))

    [rejection] = parsed.rejections
    assert rejection.reason == "publisher must be an object with a name, not a string"
    assert rejection.position == 1
    assert len(parsed.records) == 1


def test_every_problem_of_a_record_is_named_at_once():
    broken = {"identifier": "both", "keyword": "x", "publisher": "y"}

    [rejection] = parse_document(catalog(broken)).rejections

    assert rejection.reason == (
        "missing a title; keyword must be a list of strings, not a string; "
        "publisher must be an object with a name, not a string"
    )


def test_non_object_dataset_entries_are_rejected_with_their_position():
    parsed = parse_document(catalog("clinics.csv", GOOD, 42, None))

    assert [record.title for record in parsed.records] == ["Clinic Locations"]
    assert [(r.position, r.reason) for r in parsed.rejections] == [
        (1, "each dataset must be an object, not a string"),
        (3, "each dataset must be an object, not a number"),
        (4, "each dataset must be an object, not null"),
    ]


def test_rejection_in_a_nested_catalog_names_that_catalog():
    doc = {
        "conformsTo": {"title": "DCAT-US 3.0"},
        "dataset": [GOOD],
        "catalog": [{"title": "Partner Catalog", "dataset": [{"identifier": "p-1"}]}],
    }

    parsed = parse_document(doc)

    assert len(parsed.records) == 1
    assert parsed.rejections[0].reason == "nested catalog “Partner Catalog”: missing a title"


def test_dkan_list_with_bad_items_keeps_the_good_ones():
    items = [GOOD, {"identifier": "x", "accessLevel": "public"}, "oops"]

    parsed = parse_document(items)

    assert parsed.kind == "DKAN"
    assert [record.identifier for record in parsed.records] == ["good-1"]
    assert [(r.position, r.reason) for r in parsed.rejections] == [
        (2, "missing a title"),
        (3, "each dataset must be an object, not a string"),
    ]


# Keys every importer looks at, so generated documents reach past the first shape check.
_KEYS = st.sampled_from(
    """dataset identifier title keyword publisher distribution theme contactPoint modified
    accessLevel landingPage license catalog hasPart conformsTo @type result success help id
    name viewType tags resources organization groups subOrganizationOf data downloadURL
    %Ref:downloadURL notation hasEmail fn""".split()
)
_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text("ab 1/-:R", max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=6),
    max_leaves=30,
)


@settings(max_examples=100, deadline=None, database=None)
@given(doc=_JSON)
def test_any_json_is_imported_or_refused_with_a_message(doc):
    try:
        parsed = parse_document(doc, url="https://data.example.gov/api/views/abcd-1234.json")
    except NotACatalog as exc:
        assert str(exc)
    else:
        assert all(record.identifier and record.title for record in parsed.records)
        assert all(rejection.reason for rejection in parsed.rejections)
