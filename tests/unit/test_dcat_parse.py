import time
from datetime import UTC, datetime

from eventhub.datasets.parse import parse_bytes, parse_document
from tests.support.fixtures import CATALOGS

FDA = "U.S. Food and Drug Administration"
CMS = "Centers for Medicare & Medicaid Services"


def parse_catalog(name):
    return parse_bytes((CATALOGS / name).read_bytes(), url=f"https://agency.example.gov/{name}")


def by_title(parsed, title):
    return next(record for record in parsed.records if record.title == title)


def test_fda_catalog_imports_every_dataset():
    parsed = parse_catalog("fda-data.json")

    assert parsed.kind == "DCAT-US 1.1"
    assert len(parsed.records) == 86
    assert parsed.rejections == []


def test_fda_publisher_keeps_the_sub_organization_chain_nearest_first():
    parsed = parse_catalog("fda-data.json")

    drugs = by_title(parsed, "Drugs@FDA Database")

    assert drugs.publisher == ["Center for Drug Evaluation and Research", FDA]
    assert all(record.publisher[-1] == FDA for record in parsed.records)


def test_fda_record_maps_distribution_contact_and_keywords():
    drugs = by_title(parse_catalog("fda-data.json"), "Drugs@FDA Database")

    assert drugs.identifier == "f22c9b6a-e68a-445a-ae44-1441b2f698ab"
    assert drugs.keywords == ["cder"]
    assert drugs.contact_name == "FDA Enterprise Data Inventory"
    assert drugs.contact_email == "FDA_Enterprise_Data_Inventory@fda.hhs.gov"
    assert drugs.access_level == "public"
    assert drugs.license is None  # the FDA's 2015 catalog names no license
    assert drugs.landing_page == "http://www.fda.gov/Drugs/InformationOnDrugs/ucm135821.htm"
    [download] = drugs.distributions
    assert (
        download.download_url
        == "http://www.fda.gov/downloads/Drugs/InformationOnDrugs/UCM054599.zip"
    )
    assert download.access_url == "http://www.accessdata.fda.gov/scripts/cder/drugsatfda/index.cfm"
    assert (download.media_type, download.format) == ("application/zip", "ZIP")


def test_fda_accrual_period_in_modified_keeps_the_record_without_a_date():
    parsed = parse_catalog("fda-data.json")

    drugs = by_title(parsed, "Drugs@FDA Database")
    undated = [record for record in parsed.records if record.modified is None]

    assert (drugs.modified_raw, drugs.modified) == ("R/P1D", None)
    assert len(undated) == 18
    assert all(record.modified_raw.startswith("R/P") for record in undated)


def test_fda_plain_dates_become_utc_midnight():
    peanuts = by_title(parse_catalog("fda-data.json"), "Peanut Product Recalls")

    assert peanuts.modified_raw == "1900-01-01"
    assert peanuts.modified == datetime(1900, 1, 1, tzinfo=UTC)


def test_fda_distribution_without_any_address_is_left_out():
    parsed = parse_catalog("fda-data.json")

    knowledge = by_title(parsed, "CFSAN Knowledge Management System")

    assert knowledge.distributions == []
    assert sum(len(record.distributions) for record in parsed.records) == 85


def test_cms_catalog_imports_every_dataset():
    parsed = parse_catalog("cms-data.json")

    assert parsed.kind == "DCAT-US 1.1"
    assert len(parsed.records) == 139
    assert parsed.rejections == []
    assert sum(len(record.distributions) for record in parsed.records) == 4040


def test_cms_record_keeps_api_and_file_distributions():
    aco = by_title(parse_catalog("cms-data.json"), "Accountable Care Organization Participants")

    assert aco.publisher == [CMS]
    assert aco.license == "https://www.usa.gov/government-works"
    assert aco.themes == ["Medicare"]
    assert aco.keywords[:2] == ["Medicare", "Value-Based Care"]
    assert aco.modified == datetime(2025, 1, 15, tzinfo=UTC)
    assert len(aco.distributions) == 27
    api, csv = aco.distributions[:2]
    assert api.download_url is None
    assert (
        api.url
        == "https://data.cms.gov/data-api/v1/dataset/9767cb68-8ea9-4f0b-8179-9431abc89f11/data"
    )
    assert (api.format, api.media_type, api.description) == ("API", None, "latest")
    assert csv.media_type == "text/csv"
    assert csv.url.endswith("/PY2025_Medicare_Shared_Savings_Program_Participants.csv")
    assert csv.title == "Accountable Care Organization Participants : 2025-01-15"


def test_cms_catalog_names_one_dataset_published_by_the_cdc():
    parsed = parse_catalog("cms-data.json")

    others = [record.title for record in parsed.records if record.publisher != [CMS]]

    assert others == ["COVID-19 Nursing Home Data"]
    assert by_title(parsed, "COVID-19 Nursing Home Data").publisher == [
        "Centers for Disease Control and Prevention"
    ]


def test_cms_record_raw_is_the_record_as_published():
    parsed = parse_catalog("cms-data.json")

    aco = parsed.records[0]

    assert aco.raw["@type"] == "dcat:Dataset"
    assert aco.raw["dataQuality"] is True
    assert len(aco.raw["distribution"]) == 27


def test_cms_catalog_parses_quickly():
    body = (CATALOGS / "cms-data.json").read_bytes()

    fastest = min(_seconds(lambda: parse_bytes(body)) for _ in range(3))

    assert fastest < 0.3


def test_sample_catalog_gives_three_widget_datasets_with_full_publisher_chain():
    parsed = parse_catalog("dcat-us-1.1-sample.json")

    widgets = by_title(parsed, "U.S. Widget Manufacturing Statistics")

    assert [record.title for record in parsed.records] == [
        "U.S. Widget Manufacturing Statistics",
        "U.S. Widget Phase Modulation Ranges",
        "U.S. Widget Phase Modulation Ranges for 2011",
    ]
    assert widgets.publisher == [
        "Widget Services",
        "Office of Citizen Services and Innovative Technologies",
        "General Services Administration",
        "U.S. Government",
    ]
    assert widgets.modified == datetime(2011, 11, 19, 12, 0, tzinfo=UTC)
    assert widgets.contact_email == "jane.doe@agency.gov"
    assert [d.media_type for d in widgets.distributions] == [
        "text/csv",
        "application/zip",
        "application/json",
        None,
    ]
    assert widgets.distributions[3].access_url == "https://data.agency.gov/api/widgets-statistics/"


def test_sample_dataset_without_distributions_is_still_imported():
    ranges = by_title(
        parse_catalog("dcat-us-1.1-sample.json"), "U.S. Widget Phase Modulation Ranges"
    )

    assert ranges.distributions == []
    assert ranges.keywords == ["widget", "modulation"]


def test_dcat3_catalog_includes_datasets_of_nested_catalogs_but_not_services():
    parsed = parse_catalog("dcat-us-3.0-complete.json")

    titles = [record.title for record in parsed.records]

    assert parsed.kind == "DCAT-US 3.0"
    assert parsed.title == "Federal Data Catalog"
    assert titles == [
        "Annual Budget Data",
        "Employment Statistics",
        "Partner Dataset",
        "Quarterly Budget Reports",
    ]
    assert "Federal Data API" not in titles
    assert parsed.rejections == []


def test_dcat3_nested_dataset_keeps_its_own_publisher_and_contact():
    partner = by_title(parse_catalog("dcat-us-3.0-complete.json"), "Partner Dataset")

    assert partner.identifier == "https://example.gov/datasets/subcatalog-1-dataset-001"
    assert partner.publisher == ["Partner Agency"]
    assert (partner.contact_name, partner.contact_email) == (
        "Partner Support",
        "partner@example.gov",
    )


def test_dcat3_object_values_are_read_as_text():
    catalog = {
        "@type": "Catalog",
        "conformsTo": {"@type": "Standard", "title": "DCAT-US 3.0"},
        "dataset": [
            {
                "@type": "Dataset",
                "title": "Bridge Inspections",
                "description": "Condition ratings of bridges.",
                "identifier": {"@type": "Identifier", "notation": "DOT-BRIDGE-7"},
                "contactPoint": [{"fn": "Bridge Desk", "hasEmail": "MAILTO:bridges@example.gov"}],
                "publisher": {
                    "name": "Bridge Office",
                    "subOrganizationOf": {"name": "Department of Transportation"},
                },
                "theme": [{"@type": "Concept", "prefLabel": "Transportation"}],
                "keyword": [" bridges ", "Bridges", "safety"],
                "landingPage": {"@type": "Document", "accessURL": "https://example.gov/bridges"},
                "license": "https://creativecommons.org/publicdomain/zero/1.0/",
                "accessRights": "PUBLIC",
                "modified": "2024-06-01T09:30:00-04:00",
                "distribution": [
                    {
                        "accessService": [{"endpointURL": ["https://api.example.gov/bridges"]}],
                        "mediaType": {"@type": "MediaType", "@id": "application/json"},
                    }
                ],
            }
        ],
    }

    [bridges] = parse_document(catalog).records

    assert bridges.identifier == "DOT-BRIDGE-7"
    assert bridges.contact_email == "bridges@example.gov"
    assert bridges.publisher == ["Bridge Office", "Department of Transportation"]
    assert bridges.themes == ["Transportation"]
    assert bridges.keywords == ["bridges", "safety"]
    assert bridges.landing_page == "https://example.gov/bridges"
    assert bridges.access_level == "public"
    assert bridges.modified == datetime(2024, 6, 1, 13, 30, tzinfo=UTC)
    assert bridges.distributions[0].url == "https://api.example.gov/bridges"
    assert bridges.distributions[0].media_type == "application/json"


def test_dcat3_dataset_without_identifier_is_named_by_its_iri():
    catalog = {
        "conformsTo": {"title": "DCAT-US 3.0"},
        "dataset": [{"@id": "https://example.gov/id/ports", "title": "Port Calls"}],
    }

    [ports] = parse_document(catalog).records

    assert ports.identifier == "https://example.gov/id/ports"


def test_access_level_spellings_are_normalized():
    spellings = ["Public", "restricted_public", "non-public", "NON_PUBLIC", "secret"]
    catalog = {
        "dataset": [
            {"identifier": str(n), "title": f"Set {n}", "accessLevel": level}
            for n, level in enumerate(spellings)
        ]
    }

    levels = [record.access_level for record in parse_document(catalog).records]

    assert levels == ["public", "restricted public", "non-public", "non-public", None]


def test_partial_and_zoned_modified_dates_are_read_in_utc():
    values = ["2015", "2015-06", "2024-01-16T13:52:33-0500", "2010-01-01/2015-12-31", "soon"]
    catalog = {
        "dataset": [
            {"identifier": str(n), "title": f"Set {n}", "modified": value}
            for n, value in enumerate(values)
        ]
    }

    records = parse_document(catalog).records

    assert [record.modified for record in records] == [
        datetime(2015, 1, 1, tzinfo=UTC),
        datetime(2015, 6, 1, tzinfo=UTC),
        datetime(2024, 1, 16, 18, 52, 33, tzinfo=UTC),
        None,
        None,
    ]
    assert [record.modified_raw for record in records] == values


def _seconds(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start
