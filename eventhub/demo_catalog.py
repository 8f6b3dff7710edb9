"""The demo's open-data side: a small catalog of real public HHS datasets and two challenges
on the demo event that feature them. The records are written here (their summaries are our
own; identifiers and addresses as their publishers give them): the demo reads no files.
"""

from __future__ import annotations

from eventhub.accounts.models import User
from eventhub.challenges import services as challenges
from eventhub.datasets.dcat import parse_when
from eventhub.datasets.models import Dataset, DatasetImport
from eventhub.datasets.records import DatasetRecord, DistributionRecord, Parsed
from eventhub.datasets.services import store
from eventhub.events.models import Event
from eventhub.extensions import db

HHS = "U.S. Department of Health & Human Services"
CMS = ["Centers for Medicare & Medicaid Services", HHS]
CDC = ["Centers for Disease Control and Prevention", HHS]
FDA = ["Center for Drug Evaluation and Research", "U.S. Food and Drug Administration", HHS]
HRSA = ["Health Resources and Services Administration", HHS]
# OMB bureau codes of the publishing agencies, for the data.json this site serves.
BUREAUS = {CMS[0]: "009:38", CDC[0]: "009:20", FDA[0]: "009:10", HRSA[0]: "009:15"}
US_GOVERNMENT_WORK = "https://www.usa.gov/government-works"
CMS_API = "https://data.cms.gov/data-api/v1/dataset"
CMS_FILES = "https://data.cms.gov/sites/default/files"


def _api(url: str, title: str = "API") -> DistributionRecord:
    return DistributionRecord(access_url=url, format="API", title=title)


def _file(url: str, media_type: str, title: str) -> DistributionRecord:
    return DistributionRecord(download_url=url, media_type=media_type, title=title)


def _dataset(**fields) -> DatasetRecord:
    """A record as the DCAT-US importer makes one. Its ``raw`` holds only what has no column
    of its own: the agency's bureau and program codes, which /datasets/data.json reports."""
    record = DatasetRecord(
        license=US_GOVERNMENT_WORK,
        access_level="public",
        modified=parse_when(fields["modified_raw"]),
        **fields,
    )
    record.raw = {
        "identifier": record.identifier,
        "title": record.title,
        "bureauCode": [BUREAUS[record.publisher[0]]],
        "programCode": ["009:000"],
    }
    return record


def demo_datasets() -> list[DatasetRecord]:
    return [
        _dataset(
            identifier=f"{CMS_API}/9552739e-3d05-4c1b-8eff-ecabf391e2e5/data-viewer",
            title="Medicare Part D Prescribers - by Provider and Drug",
            description="For each clinician who prescribed to people with Medicare drug "
            "coverage, and each drug they prescribed in a year: the number of claims and "
            "30-day fills, days supplied and total drug cost, with the prescriber's specialty "
            "and location. Counts under 11 are suppressed to protect privacy.",
            keywords=["Medicare", "Prescription drugs", "Prescribers", "Opioids"],
            publisher=CMS,
            contact_name="Medicare Provider Data - OEDA",
            contact_email="IPAG_Data_Products@cms.hhs.gov",
            modified_raw="2024-06-04",
            landing_page="https://data.cms.gov/provider-summary-by-type-of-service/"
            "medicare-part-d-prescribers/medicare-part-d-prescribers-by-provider-and-drug",
            distributions=[
                _api(f"{CMS_API}/9552739e-3d05-4c1b-8eff-ecabf391e2e5/data", "Latest year (API)"),
                _file(
                    f"{CMS_FILES}/2024-05/18f82097-61a6-4889-9941-9a0b6ad7523c/"
                    "MUP_DPR_RY24_P04_V10_DY22_NPIBN.csv",
                    "text/csv",
                    "Calendar year 2022",
                ),
            ],
        ),
        _dataset(
            identifier=f"{CMS_API}/14d8e8a9-7e9b-4370-a044-bf97c46b4b44/data-viewer",
            title="Medicare Part D Prescribers - by Provider",
            description="One row per prescriber per year: total Part D claims and costs, "
            "the share of brand, generic, opioid and antibiotic prescribing, and a summary of "
            "the prescriber's patients.",
            keywords=["Medicare", "Prescription drugs", "Prescribers"],
            publisher=CMS,
            contact_name="Medicare Provider Data - OEDA",
            contact_email="IPAG_Data_Products@cms.hhs.gov",
            modified_raw="2024-06-04",
            landing_page="https://data.cms.gov/provider-summary-by-type-of-service/"
            "medicare-part-d-prescribers/medicare-part-d-prescribers-by-provider",
            distributions=[
                _api(f"{CMS_API}/14d8e8a9-7e9b-4370-a044-bf97c46b4b44/data", "Latest year (API)"),
                _file(
                    f"{CMS_FILES}/2024-05/402e13a3-8112-4dfd-9671-33a9f1f3000d/"
                    "MUP_DPR_RY24_P04_V10_DY22_NPI.csv",
                    "text/csv",
                    "Calendar year 2022",
                ),
            ],
        ),
        _dataset(
            identifier=f"{CMS_API}/7e0b4365-fd63-4a29-8f5e-e0ac9f66a81b/data-viewer",
            title="Medicare Part D Spending by Drug",
            description="What Medicare drug plans spent on each drug over five years, by "
            "brand and generic name and manufacturer: total and per-claim spending, the number "
            "of people who took it, and how its price per dosage unit changed.",
            keywords=["Medicare", "Prescription drugs", "Drug spending"],
            publisher=CMS,
            contact_name="CMS Drug Spending - OEDA",
            contact_email="IPAG_Data_Products@cms.hhs.gov",
            modified_raw="2024-06-13",
            landing_page="https://data.cms.gov/summary-statistics-on-use-and-payments/"
            "medicare-medicaid-spending-by-drug/medicare-part-d-spending-by-drug",
            distributions=[
                _api(f"{CMS_API}/7e0b4365-fd63-4a29-8f5e-e0ac9f66a81b/data"),
                _file(
                    f"{CMS_FILES}/2024-03/663f0dab-d621-41c5-9130-dc9ce1beecf2/"
                    "DSD_PTD_RY24_P04_V10_DY22_BGM.csv",
                    "text/csv",
                    "2018 to 2022",
                ),
            ],
        ),
        _dataset(
            identifier="xubh-q36u",
            title="Hospital General Information",
            description="Every hospital registered with Medicare: name, address and phone, "
            "hospital type and ownership, whether it has an emergency department, and its "
            "overall star rating on Care Compare.",
            keywords=["Hospitals", "Quality", "Star ratings"],
            publisher=CMS,
            contact_name="Hospital Compare",
            modified_raw="2025-07-16",
            landing_page="https://data.cms.gov/provider-data/dataset/xubh-q36u",
            distributions=[
                _file(
                    "https://data.cms.gov/provider-data/sites/default/files/resources/"
                    "893c372430d9d71a1c52737d01239d47_1753409109/Hospital_General_Information.csv",
                    "text/csv",
                    "All hospitals",
                ),
            ],
        ),
        _dataset(
            identifier="https://data.cdc.gov/api/views/swc5-untb",
            title="PLACES: Local Data for Better Health, County Data",
            description="Estimates for every U.S. county of chronic conditions, health risk "
            "behaviors, use of preventive services, disabilities and health-related social "
            "needs, modeled from national survey data and census population counts.",
            keywords=["PLACES", "Chronic disease", "Prevention", "Counties", "Community health"],
            publisher=CDC,
            modified_raw="2024-08-23",
            landing_page="https://www.cdc.gov/places/",
            distributions=[
                _file(
                    "https://data.cdc.gov/api/views/swc5-untb/rows.csv?accessType=DOWNLOAD",
                    "text/csv",
                    "All counties",
                ),
                _api("https://data.cdc.gov/resource/swc5-untb.json", "Query API"),
            ],
        ),
        _dataset(
            identifier="c696c4f7-6de9-45db-988a-7195c2ade1d0",
            title="FDA Adverse Event Reporting System (FAERS) Quarterly Data Files",
            description="Reports of adverse events and medication errors involving drugs and "
            "biologic products, sent to FDA by manufacturers, health professionals and the "
            "public, released each quarter as linked tables of patients, drugs, reactions and "
            "outcomes. A report shows that an event was reported, not that a drug caused it.",
            keywords=["FAERS", "Adverse events", "Drug safety", "Prescription drugs"],
            publisher=FDA,
            contact_name="CDER OSE Tracking",
            contact_email="cderosetracking@fda.hhs.gov",
            modified_raw="2025-05-01",
            landing_page="https://open.fda.gov/data/faers/",
            distributions=[
                DistributionRecord(
                    access_url="https://fis.fda.gov/extensions/FPD-QDE-FAERS/FPD-QDE-FAERS.html",
                    format="ZIP",
                    title="Quarterly files (ASCII and XML)",
                ),
                _api("https://api.fda.gov/drug/event.json", "openFDA drug adverse event API"),
            ],
        ),
        _dataset(
            identifier="hrsa-health-center-service-delivery-and-look-alike-sites",
            title="Health Center Service Delivery and Look-Alike Sites",
            description="Where HRSA-funded health centers and look-alikes see patients: each "
            "site's name, address, operator, type and weekly hours, with map coordinates. "
            "Health centers serve people whether or not they can pay.",
            keywords=["Health centers", "Primary care", "Community health", "Locations"],
            publisher=HRSA,
            modified_raw="2025-06-02",
            landing_page="https://data.hrsa.gov/data/download",
            distributions=[
                _file(
                    "https://data.hrsa.gov/DataDownload/DD_Files/"
                    "Health_Center_Service_Delivery_and_LookAlike_Sites.csv",
                    "text/csv",
                    "All sites (CSV)",
                ),
                _file(
                    "https://data.hrsa.gov/DataDownload/DD_Files/"
                    "Health_Center_Service_Delivery_and_LookAlike_Sites.xlsx",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    "All sites (Excel)",
                ),
            ],
        ),
    ]


def store_catalog() -> dict[str, Dataset]:
    """Store the demo datasets as one import would; returns them by title."""
    history = DatasetImport(via="cli", source="demo data")
    db.session.add(history)
    parsed = Parsed(kind="DCAT-US 1.1", records=demo_datasets(), title="Demo health datasets")
    store(parsed, catalog_key="demo", history=history)
    return {
        d.title: d
        for d in db.session.scalars(db.select(Dataset).filter_by(catalog=history.catalog))
    }


CHALLENGES = [
    {
        "challenge": {
            "title": "Medicare prescribing patterns",
            "slug": "medicare-prescribing-patterns",
            "sponsor": "Centers for Medicare & Medicaid Services",
            "summary": "Show where Part D prescribing differs from what peers do, so clinicians "
            "and plans can see it.",
            "problem_statement": "Medicare drug plans pay for more than a billion "
            "prescriptions a year. The **Part D prescriber** files show who prescribed what; "
            "the spending file shows what it cost; FAERS shows what was reported to go "
            "wrong.\n\n"
            "Build something that helps a person see a pattern, for example:\n\n"
            "- opioid or antibiotic prescribing far from others of the same specialty\n"
            "- brand drugs prescribed where a generic costs a fraction\n"
            "- adverse event reports rising for a drug whose use is rising\n\n"
            "Explain your method in plain words. Unusual is not wrong: say what your tool "
            "cannot tell.",
            "eligibility": "Teams of **1 to 5** registered participants. Federal employees may "
            "take part but cannot receive cash prizes.",
        },
        "prizes": [
            {"name": "First place", "amount": 10_000, "description": "And a demo to CMS staff."},
            {"name": "Runner-up", "amount": 5_000},
        ],
        "datasets": [
            "Medicare Part D Prescribers - by Provider and Drug",
            "Medicare Part D Spending by Drug",
            "FDA Adverse Event Reporting System (FAERS) Quarterly Data Files",
        ],
    },
    {
        "challenge": {
            "title": "Care close to home",
            "slug": "care-close-to-home",
            "sponsor": "Health Resources and Services Administration",
            "summary": "Put each county's health needs on the same map as the places people "
            "can get care.",
            "problem_statement": "Some counties have high rates of diabetes, high blood "
            "pressure or missed checkups and few places to get primary care.\n\n"
            "Combine **PLACES** county estimates with health center sites and hospitals to "
            "help a county health department or a community group answer: *where would a new "
            "clinic or a mobile van help most?*",
            "eligibility": "Open to everyone registered for the event, on their own or in "
            "teams of up to 5.",
        },
        "prizes": [
            {"name": "Best community tool", "amount": 7_500},
            {"name": "People's choice", "kind": "Cloud credits and a year of mentoring"},
        ],
        "datasets": [
            "PLACES: Local Data for Better Health, County Data",
            "Health Center Service Delivery and Look-Alike Sites",
            "Hospital General Information",
        ],
    },
]


def add_challenges(event: Event, datasets: dict[str, Dataset], *, actor: User) -> None:
    """The challenges, their prizes and datasets, through the services the forms use."""
    for spec in CHALLENGES:
        challenge = challenges.create_challenge(event, spec["challenge"], actor=actor)
        for prize in spec["prizes"]:
            challenges.add_prize(
                challenge,
                {"description": "", "kind": "", "amount": None, "winners": 1, **prize},
                actor=actor,
            )
        for title in spec["datasets"]:
            challenges.link_dataset(challenge, datasets[title].id, actor=actor)
