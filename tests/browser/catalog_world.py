"""The dataset catalog and the main event's challenges, as the accessibility checks see them
(the pages each role visits are in ``catalog_pages.py``).

The catalog looks like a real one: long agency titles, descriptions in HTML and Markdown,
several distributions, publishers nested three deep, more results than fit on one page, a
dataset that gives almost nothing, and an import history with one completed import (one
record rejected) and one failed import, both made through the import service.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from eventhub.datasets.services import import_bytes
from eventhub.extensions import db
from tests.factories import link_dataset, make_challenge, make_dataset, make_prize

HHS = "U.S. Department of Health & Human Services"
CMS = ["Centers for Medicare & Medicaid Services", HHS]
CDC = ["Centers for Disease Control and Prevention", HHS]
FDA = ["Center for Drug Evaluation and Research", "U.S. Food and Drug Administration", HHS]
PUBLIC_DOMAIN = "https://www.usa.gov/government-works"

PRESCRIBERS = (
    "Medicare Part D Prescribers – by Provider and Drug: Prescriptions Filled Under Medicare "
    "Prescription Drug Plans, by Prescriber, Specialty and Drug, 2013–2022"
)
PRESCRIBERS_HTML = (
    "<p>One row for each prescriber and drug: how many <strong>Part D claims</strong> and "
    "30-day fills a clinician wrote, the days supplied, and what Medicare drug plans paid.</p>"
    "<h1>What is in it</h1><ul><li>Prescriber NPI, name, specialty, city and state</li>"
    "<li>Brand and generic drug names</li><li>Figures for beneficiaries 65 and older, shown "
    "separately</li></ul><p>Counts under 11 are suppressed. Read the "
    '<a href="https://data.cms.gov/resources/medicare-part-d-prescribers-methodology">'
    "methodology</a> before comparing years.</p>"
)
CMS_API = "https://data.cms.gov/data-api/v1/dataset"
CMS_FILES = "https://data.cms.gov/sites/default/files/2024-05"

# (identifier, title, theme) of CMS provider data, imported as one catalog file.
PROVIDER_DATA = [
    ("23ew-n7w9", "Dialysis Facility - Listing by Facility", "Dialysis facilities"),
    ("6jpm-sxkc", "Home Health Care Agencies", "Home health services"),
    ("252m-zfp9", "Hospice - Provider Data", "Hospice care"),
    ("4jcv-atw7", "Ambulatory Surgical Center Quality Measures - Facility", "Hospitals"),
    (
        "48nr-hqxx",
        "Outpatient and Ambulatory Surgery Consumer Assessment of Healthcare Providers and "
        "Systems (OAS CAHPS) survey for ambulatory surgical centers - Facility",
        "Hospitals",
    ),
    ("ynj2-r877", "Complications and Deaths - Hospital", "Hospitals"),
    ("dgck-syfz", "Patient survey (HCAHPS) - Hospital", "Hospitals"),
    ("77hc-ibv8", "Healthcare Associated Infections - Hospital", "Hospitals"),
    ("yq43-i98g", "Hospital-Acquired Condition (HAC) Reduction Program", "Hospitals"),
    ("9n3s-kdb3", "Hospital Readmissions Reduction Program", "Hospitals"),
    ("ypbt-wvdk", "Hospital Value-Based Purchasing (HVBP) - Total Performance Score", "Hospitals"),
    ("q9vs-r7wp", "Inpatient Psychiatric Facility Quality Measure Data - by Facility", "Hospitals"),
    ("rrqw-56er", "Medicare Spending Per Beneficiary - Hospital", "Hospitals"),
    ("nrth-mfg3", "Medicare Hospital Spending by Claim", "Hospitals"),
    ("4pq5-n9py", "Nursing Home Provider Information", "Nursing homes"),
    ("r5ix-sfxw", "Health Deficiencies", "Nursing homes"),
    ("y2hd-n93e", "Ownership", "Nursing homes"),
    ("g6vv-u9sr", "Penalties", "Nursing homes"),
    ("mj5m-pzi6", "Doctors and Clinicians National Downloadable File", "Doctors and clinicians"),
    ("ccn4-4ntd", "Home Health Care - Patient Survey (HHCAHPS) Provider Data", "Home health"),
]


@dataclass(frozen=True)
class CatalogWorld:
    dataset_id: int  # long title, HTML description, four distributions, in the challenge
    bare_dataset_id: int  # no publisher, no distributions, a long landing page address
    challenge_slug: str  # with prizes and two datasets
    empty_challenge_slug: str  # nothing added yet
    completed_import_id: int  # one record rejected
    failed_import_id: int


def _datasets() -> tuple:
    """The hand-made datasets: (the rich one, FDA's, the bare one)."""
    rich = make_dataset(
        identifier=f"{CMS_API}/9552739e-3d05-4c1b-8eff-ecabf391e2e5/data-viewer",
        catalog="https://data.cms.gov/data.json",
        title=PRESCRIBERS,
        description=PRESCRIBERS_HTML,
        keywords=["Medicare", "Medicare Prescription Drug", "Physicians & Practitioners", "Drugs"],
        publisher=CMS,
        contact_name="Medicare Provider Data - OEDA",
        contact_email="IPAG_Data_Products@cms.hhs.gov",
        license=PUBLIC_DOMAIN,
        access_level="public",
        modified_raw="2024-06-04",
        modified=datetime(2024, 6, 4, tzinfo=UTC),
        landing_page="https://data.cms.gov/provider-summary-by-type-of-service/"
        "medicare-part-d-prescribers/medicare-part-d-prescribers-by-provider-and-drug",
        distributions=[
            {
                "title": "Latest year through the data API",
                "access_url": f"{CMS_API}/9552739e-3d05-4c1b-8eff-ecabf391e2e5/data",
                "format": "API",
            },
            {
                "title": "Calendar year 2022",
                "download_url": f"{CMS_FILES}/18f82097/MUP_DPR_RY24_P04_V10_DY22_NPIBN.csv",
                "media_type": "text/csv",
                "description": "One row per prescriber and drug; a large file.",
            },
            {
                "title": "Calendar year 2021",
                "download_url": f"{CMS_FILES}/43359391/MUP_DPR_RY24_P04_V10_DY21_NPIBN.csv",
                "media_type": "text/csv",
            },
            {
                "title": "Data dictionary",
                "download_url": "https://data.cms.gov/resources/part-d-prescribers-dictionary",
                "media_type": "application/pdf",
            },
        ],
    )
    faers = make_dataset(
        identifier="c696c4f7-6de9-45db-988a-7195c2ade1d0",
        catalog="https://www.fda.gov/data.json",
        title="FDA Adverse Event Reporting System (FAERS): Quarterly Data Extract Files",
        description="Reports of **adverse drug events** and medication errors sent to FDA, "
        "released every quarter as linked tables:\n\n- patients and outcomes\n- suspect "
        "drugs and their indications\n- reactions, coded in MedDRA",
        keywords=["FAERS", "Adverse Event", "Drugs", "Pharmacovigilance"],
        publisher=FDA,
        license=PUBLIC_DOMAIN,
        access_level="public",
        modified_raw="2025-02-14",
        modified=datetime(2025, 2, 14, tzinfo=UTC),
        distributions=[
            {
                "title": "Quarterly files (ASCII and XML)",
                "access_url": "https://fis.fda.gov/extensions/FPD-QDE-FAERS/FPD-QDE-FAERS.html",
                "format": "ZIP",
            },
            {
                "title": "openFDA drug event API",
                "access_url": "https://api.fda.gov/drug/event.json",
            },
        ],
    )
    make_dataset(
        identifier="swc5-untb",
        catalog="https://data.cdc.gov/data.json",
        title="PLACES: Local Data for Better Health, County Data",
        description="Model-based estimates of chronic disease, risk behaviors and preventive "
        "care for every county in the United States.",
        keywords=["PLACES", "Chronic disease", "Prevention", "Health Equity"],
        publisher=CDC,
        license=PUBLIC_DOMAIN,
        access_level="public",
        distributions=[
            {
                "download_url": "https://data.cdc.gov/api/views/swc5-untb/rows.csv",
                "media_type": "text/csv",
            },
            {
                "access_url": "https://data.cdc.gov/resource/swc5-untb.json",
                "media_type": "application/json",
            },
        ],
    )
    bare = make_dataset(
        identifier="urn:x-state-health:syndromic-surveillance:heat-related-illness:"
        "emergency-department-visits:county-week:provisional",
        catalog="county-heat-illness.json",
        title="Heat-related illness: emergency department visits by county and week, "
        "2018–2024 (provisional)",
        description="",
        keywords=[],
        publisher=[],
        access_level="restricted public",
        landing_page="https://health.example.gov/environmental-public-health-tracking/"
        "heat-and-health/syndromic-surveillance-emergency-department-visits-provisional",
    )
    return rich, faers, bare


def _provider_catalog() -> bytes:
    publisher = {"name": CMS[0], "subOrganizationOf": {"name": HHS}}
    datasets = [
        {
            "identifier": identifier,
            "title": title,
            "description": f"{title}, from the Care Compare provider data.",
            "keyword": [theme, "Quality"],
            "modified": "2025-07-16",
            "publisher": publisher,
            "accessLevel": "public",
            "landingPage": f"https://data.cms.gov/provider-data/dataset/{identifier}",
            "distribution": [
                {
                    "downloadURL": f"https://data.cms.gov/provider-data/api/1/datastore/query/"
                    f"{identifier}/0/download?format=csv",
                    "mediaType": "text/csv",
                }
            ],
        }
        for identifier, title, theme in PROVIDER_DATA
    ]
    datasets.insert(3, {"identifier": "xcdc-v8bm", "description": "Staffing by payroll"})
    return json.dumps(
        {"conformsTo": "https://project-open-data.cio.gov/v1.1/schema", "dataset": datasets}
    ).encode()


def _imports(organizer, admin) -> tuple[int, int]:
    completed = import_bytes(
        _provider_catalog(),
        catalog_key="cms-provider-data.json",
        via="file",
        source="cms-provider-data.json",
        actor=organizer,
    )
    failed = import_bytes(
        b'["clinics", "hospitals"]',
        catalog_key="clinic-names.json",
        via="file",
        source="clinic-names.json",
        actor=admin,
    )
    db.session.commit()
    return completed.id, failed.id


def seed_catalog(event, *, organizer, admin) -> CatalogWorld:
    rich, faers, bare = _datasets()
    challenge = make_challenge(
        event,
        slug="medicare-prescribing-patterns",
        title="Medicare prescribing patterns",
        summary="Show where prescribing differs from the norm, and why it might.",
        sponsor="Centers for Medicare & Medicaid Services",
        problem_statement="Part D data covers **billions of dollars** of prescriptions.\n\n"
        "## Questions to start from\n\n- Where do opioid fills per prescriber stand out?\n"
        "- Which specialties switched to generics fastest?\n\n"
        "Explain your method in plain words; see the [Part D overview]"
        "(https://www.cms.gov/medicare/prescription-drug-coverage).",
        eligibility="Teams of 1 to 5 people. Federal employees may compete, but not for cash.",
    )
    make_prize(challenge, name="First place", amount=10_000, description="And a demo to CMS.")
    make_prize(challenge, name="Runner-up", amount=2_500, winners=2)
    make_prize(challenge, name="Best newcomer team", kind="Cloud credits and mentoring")
    link_dataset(challenge, rich)
    link_dataset(challenge, faers)
    empty = make_challenge(
        event,
        slug="find-care-close-to-home",
        title="Find care close to home",
        summary="",
        sponsor="",
    )
    completed, failed = _imports(organizer, admin)
    return CatalogWorld(
        dataset_id=rich.id,
        bare_dataset_id=bare.id,
        challenge_slug=challenge.slug,
        empty_challenge_slug=empty.slug,
        completed_import_id=completed,
        failed_import_id=failed,
    )
