import copy
import json
from datetime import UTC, datetime

import pytest

from eventhub.datasets.parse import parse_bytes, parse_document
from eventhub.datasets.records import NotACatalog
from tests.support.fixtures import REMOTE

DGU = "ckan-package_show-data.gov.uk-flood-map-for-planning-rivers-and-sea-flood-zone-2.json"
DGU_URL = (
    "https://data.gov.uk/api/3/action/package_show"
    "?id=flood-map-for-planning-rivers-and-sea-flood-zone-2"
)
HEALTHDATA = (
    "ckan-api-package_show-healthdata.gov-dkan7-covid-19-reported-patient-impact-and-"
    "hospital-capacity-state-timeseries.json"
)
HEALTHDATA_NAME = "covid-19-reported-patient-impact-and-hospital-capacity-state-timeseries"
HEALTHDATA_URL = f"https://healthdata.gov/api/3/action/package_show?id={HEALTHDATA_NAME}"
SOCRATA = "socrata-view-data.seattle.gov-3k2p-39jp.json"
SOCRATA_URL = "https://data.seattle.gov/api/views/3k2p-39jp.json"
MEDICAID = "dkan-metastore-data.medicaid.gov-4eaa5ebe-62f7-402e-a407-963cd380688b.json"
MEDICAID_ID = "4eaa5ebe-62f7-402e-a407-963cd380688b"
MEDICAID_URL = (
    f"https://data.medicaid.gov/api/1/metastore/schemas/dataset/items/{MEDICAID_ID}"
    "?show-reference-ids"
)
PROVIDER = "dkan-metastore-items-data.cms.gov-provider-data.json"
PROVIDER_URL = "https://data.cms.gov/provider-data/api/1/metastore/schemas/dataset/items"


def parse_remote(name, url=None):
    return parse_bytes((REMOTE / name).read_bytes(), url=url, content_type="application/json")


def load_remote(name):
    return json.loads((REMOTE / name).read_text(encoding="utf-8"))


def test_ckan_package_show_maps_the_dataset():
    parsed = parse_remote(DGU, DGU_URL)

    [flood] = parsed.records

    assert parsed.kind == "CKAN"
    assert flood.title == "Flood Map for Planning (Rivers and Sea)- Flood Zone 2"
    assert flood.identifier == "cf494c44-05cd-4060-a029-35937970c9c6"
    assert flood.description.startswith("The Flood Map for Planning (Rivers and Sea) includes")
    assert flood.publisher == ["Environment Agency"]
    assert flood.keywords == [
        "flood",
        "flood-protection",
        "flooding",
        "opendata",
        "risk-management",
    ]
    assert flood.contact_email == "data.info@environment-agency.gov.uk"
    assert flood.access_level == "public"
    assert flood.landing_page == (
        "https://data.gov.uk/dataset/flood-map-for-planning-rivers-and-sea-flood-zone-2"
    )


def test_ckan_license_prefers_the_licence_address():
    [flood] = parse_remote(DGU, DGU_URL).records

    assert flood.license == (
        "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
    )


def test_ckan_naive_metadata_modified_is_read_as_utc():
    [flood] = parse_remote(DGU, DGU_URL).records

    assert flood.modified_raw == "2018-06-05T12:40:12.239474"
    assert flood.modified == datetime(2018, 6, 5, 12, 40, 12, 239474, tzinfo=UTC)
    assert flood.issued_raw == "2015-10-06T11:21:26.185852"


def test_ckan_service_resources_become_access_urls_with_their_formats():
    [flood] = parse_remote(DGU, DGU_URL).records

    assert len(flood.distributions) == 3
    assert all(d.download_url is None for d in flood.distributions)
    assert [d.format for d in flood.distributions] == [None, "WMS", "WMS"]
    assert flood.distributions[1].url.startswith("http://environment.data.gov.uk/ds/wms?")
    assert flood.distributions[2].url.startswith("http://environment.data.gov.uk/ds/wfs?")


def test_ckan_raw_is_the_package_as_published():
    [flood] = parse_remote(DGU, DGU_URL).records

    assert flood.raw["name"] == "flood-map-for-planning-rivers-and-sea-flood-zone-2"
    assert len(flood.raw["extras"]) == 26


def test_ckan_without_request_url_has_no_invented_landing_page():
    [flood] = parse_document(load_remote(DGU)).records

    assert flood.landing_page is None


def test_healthdata_dkan7_result_list_gives_one_dataset():
    parsed = parse_remote(HEALTHDATA, HEALTHDATA_URL)

    [covid] = parsed.records

    assert parsed.kind == "CKAN"
    assert covid.title == (
        "COVID-19 Reported Patient Impact and Hospital Capacity by State Timeseries"
    )
    assert covid.identifier == "83b4a668-9321-4d8c-bc4f-2bef66c49050"
    assert covid.publisher == ["Department of Health & Human Services"]
    assert covid.keywords == ["Covid-19", "Covid", "Covid19"]
    assert (covid.contact_name, covid.contact_email) == ("HealthData.gov", "HealthData@hhs.gov")
    assert covid.license == "https://opendatacommons.org/licenses/odbl/1.0/"
    assert covid.landing_page == f"https://healthdata.gov/dataset/{HEALTHDATA_NAME}"


def test_healthdata_display_dates_are_read():
    [covid] = parse_remote(HEALTHDATA, HEALTHDATA_URL).records

    assert covid.modified_raw == "Mon, 11/16/2020 - 00:55"
    assert covid.modified == datetime(2020, 11, 16, 0, 55, tzinfo=UTC)


def test_healthdata_private_flag_is_not_taken_as_non_public():
    [covid] = parse_remote(HEALTHDATA, HEALTHDATA_URL).records

    assert covid.access_level is None


def test_healthdata_csv_resource_is_a_download():
    [covid] = parse_remote(HEALTHDATA, HEALTHDATA_URL).records

    [csv] = covid.distributions

    assert csv.download_url == (
        "https://healthdata.gov/sites/default/files/"
        "reported_hospital_utilization_timeseries_20201115_2134.csv"
    )
    assert (csv.media_type, csv.format) == ("text/csv", "csv")


def test_ckan_landing_page_falls_back_to_the_package_url():
    [covid] = parse_document(load_remote(HEALTHDATA)).records

    assert covid.landing_page == f"https://healthdata.gov/dataset/{HEALTHDATA_NAME}"


def test_ckan_error_answer_names_the_portals_reason():
    answer = {
        "help": "https://ckan.example.org/api/3/action/help_show?name=package_show",
        "success": False,
        "error": {"message": "Not found", "__type": "Not Found Error"},
    }

    with pytest.raises(NotACatalog) as caught:
        parse_document(answer)

    assert str(caught.value) == (
        "The CKAN portal answered with an error: Not Found Error: Not found."
    )


def test_ckan_list_of_names_is_refused_with_a_hint():
    answer = {"help": "package_list", "success": True, "result": ["flood-zones", "rivers"]}

    with pytest.raises(NotACatalog) as caught:
        parse_document(answer)

    assert str(caught.value).startswith("The CKAN answer holds a list of names, not a dataset.")
    assert "package_show?id=" in str(caught.value)


def test_socrata_view_maps_the_dataset_with_the_domain_from_its_address():
    parsed = parse_remote(SOCRATA, SOCRATA_URL)

    [calls] = parsed.records

    assert parsed.kind == "Socrata"
    assert calls.identifier == "3k2p-39jp"
    assert calls.title == "Seattle Police Department 911 Incident Response"
    assert calls.landing_page == "https://data.seattle.gov/d/3k2p-39jp"
    assert calls.publisher == [
        "City of Seattle, Department of Information Technology, Seattle Police Department"
    ]
    assert calls.keywords == ["911", "police", "crime", "incident response"]
    assert calls.themes == ["Public Safety"]
    assert calls.license == "http://creativecommons.org/publicdomain/zero/1.0/legalcode"
    assert calls.access_level == "public"


def test_socrata_modified_is_the_latest_epoch_change():
    [calls] = parse_remote(SOCRATA, SOCRATA_URL).records

    assert calls.modified_raw == "1433350568"  # rowsUpdatedAt, later than viewLastModified
    assert calls.modified == datetime(2015, 6, 3, 16, 56, 8, tzinfo=UTC)


def test_socrata_distributions_are_the_csv_and_json_exports():
    [calls] = parse_remote(SOCRATA, SOCRATA_URL).records

    assert [(d.download_url, d.media_type) for d in calls.distributions] == [
        ("https://data.seattle.gov/api/views/3k2p-39jp/rows.csv?accessType=DOWNLOAD", "text/csv"),
        (
            "https://data.seattle.gov/api/views/3k2p-39jp/rows.json?accessType=DOWNLOAD",
            "application/json",
        ),
    ]


def test_socrata_view_without_its_address_is_refused():
    with pytest.raises(NotACatalog) as caught:
        parse_remote(SOCRATA)

    assert "Socrata view" in str(caught.value)
    assert "import it from its address" in str(caught.value)


def test_dkan_item_unwraps_reference_ids():
    parsed = parse_remote(MEDICAID, MEDICAID_URL)

    [drugs] = parsed.records

    assert parsed.kind == "DKAN"
    assert drugs.identifier == MEDICAID_ID
    assert drugs.title.startswith("Product Data for Newly Reported Drugs in the Medicaid")
    assert drugs.keywords == ["drug rebate program"]
    assert drugs.publisher == ["data.medicaid.gov"]
    assert drugs.contact_email == "Medicaid.gov@cms.hhs.gov"
    assert drugs.license == "http://www.usa.gov/publicdomain/label/1.0/"
    assert drugs.modified == datetime(2024, 1, 16, 18, 50, 39, tzinfo=UTC)
    assert drugs.raw["keyword"][0]["data"] == "drug rebate program"  # as published


def test_dkan_item_prefers_the_real_download_url_and_fills_the_media_type():
    [drugs] = parse_remote(MEDICAID, MEDICAID_URL).records

    [csv] = drugs.distributions

    assert csv.download_url == (
        "https://data.medicaid.gov/sites/default/files/uploaded_resources/"
        "mdrp-newly-rprt-drug-01-08-2024-to-01-14-2024.csv"
    )
    assert (csv.media_type, csv.format) == ("text/csv", "csv")


def test_dkan_item_landing_page_comes_from_its_address():
    [drugs] = parse_remote(MEDICAID, MEDICAID_URL).records

    assert drugs.landing_page == f"https://data.medicaid.gov/dataset/{MEDICAID_ID}"


def test_dkan_file_reference_gets_the_host_it_was_fetched_from():
    item = copy.deepcopy(load_remote(MEDICAID))
    del item["distribution"][0]["data"]["downloadURL"]

    [drugs] = parse_document(item, url=MEDICAID_URL).records

    assert drugs.distributions[0].download_url == (
        "https://data.medicaid.gov/sites/default/files/uploaded_resources/"
        "mdrp-newly-rprt-drug-01-08-2024-to-01-14-2024.csv"
    )


def test_dkan_placeholder_host_without_an_address_is_not_a_distribution():
    item = copy.deepcopy(load_remote(MEDICAID))
    del item["distribution"][0]["data"]["downloadURL"]

    [drugs] = parse_document(item).records

    assert drugs.distributions == []


def test_dkan_item_list_imports_every_item():
    parsed = parse_remote(PROVIDER, PROVIDER_URL)

    assert parsed.kind == "DKAN"
    assert len(parsed.records) == 228
    assert parsed.rejections == []


def test_dkan_item_list_record_maps_the_provider_dataset():
    parsed = parse_remote(PROVIDER, PROVIDER_URL)

    dialysis = parsed.records[0]

    assert dialysis.identifier == "23ew-n7w9"
    assert dialysis.title == "Dialysis Facility - Listing by Facility"
    assert dialysis.publisher == ["Centers for Medicare & Medicaid Services (CMS)"]
    assert dialysis.themes == ["Dialysis facilities"]
    assert dialysis.landing_page == "https://data.cms.gov/provider-data/dataset/23ew-n7w9"
    assert dialysis.modified == datetime(2025, 6, 17, tzinfo=UTC)
    assert dialysis.issued_raw == "2020-03-14"
    [csv] = dialysis.distributions
    assert csv.url.endswith("/DFC_FACILITY.csv")
    assert (csv.media_type, csv.format) == ("text/csv", None)


def test_dkan_item_list_quirks_are_accepted():
    records = parse_remote(PROVIDER, PROVIDER_URL).records

    zips = next(record for record in records if record.title == "Home Health Care - Zip Codes")

    assert sum(1 for record in records if record.contact_email is None) == 66
    assert all(record.license is None for record in records)
    assert zips.keywords.count("Quality") == 1  # listed twice in the item
