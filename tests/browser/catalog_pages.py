"""The dataset and challenge pages each role visits, built from ``catalog_world``."""

from __future__ import annotations

from tests.browser.catalog_world import CatalogWorld
from tests.browser.visit import Visit

# --- forms sent with mistakes -------------------------------------------------------------


def _challenge_form_invalid_fields(page) -> None:
    """No title, and a web address with capitals and spaces."""
    page.get_by_label("Web address").fill("Opioid Map!")
    page.get_by_role("button", name="Create challenge").click()


def _challenge_form_reserved_address(page) -> None:
    """Valid fields the service refuses: its message lands beside the field."""
    page.get_by_label("Title").fill("Opioid prescribing map")
    page.get_by_label("Web address").fill("new")
    page.get_by_role("button", name="Create challenge").click()


def _prize_form_cents(page) -> None:
    page.get_by_label("Amount in US dollars").fill("$12.50")
    page.get_by_role("button", name="Add prize").click()


def _prize_form_no_value(page) -> None:
    page.get_by_label("Prize name").fill("Honorable mention")
    page.get_by_role("button", name="Add prize").click()


def _import_without_a_file(page) -> None:
    page.get_by_role("button", name="Import the file").click()


def _import_from_plain_http(page) -> None:
    page.get_by_label("Address", exact=True).fill("http://data.example.gov/data.json")
    page.get_by_role("button", name="Fetch and import").click()


# --- what each role visits ----------------------------------------------------------------

ORGANIZING = ("organizer", "other_organizer", "admin")  # may import datasets
MANAGING = ("organizer", "admin")  # may manage the main event's challenges


def _import_pages(c: CatalogWorld) -> list[Visit]:
    return [
        Visit("datasets.import_catalog", "/datasets/import", "Failed: This is not a DCAT-US"),
        Visit("datasets.imports", "/datasets/imports", "cms-provider-data.json"),
        Visit(
            "datasets.import_report",
            f"/datasets/imports/{c.completed_import_id}",
            "missing a title",
            label="completed, one record rejected",
        ),
        Visit(
            "datasets.import_report",
            f"/datasets/imports/{c.failed_import_id}",
            "it is a JSON list of strings",
            label="failed",
        ),
    ]


def _manage_pages(slug: str, c: CatalogWorld) -> list[Visit]:
    e = f"/events/{slug}/challenges"
    ch = f"{e}/{c.challenge_slug}"
    return [
        Visit("challenges.create", f"{e}/new", "Add a challenge"),
        Visit("challenges.edit", f"{ch}/edit", "Save challenge"),
        Visit("challenges.prizes", f"{ch}/prizes", "Remove Runner-up"),
        Visit("challenges.datasets", f"{ch}/datasets", "Remove FDA Adverse Event Reporting"),
        Visit(
            "challenges.datasets",
            f"{ch}/datasets?q=hospital",
            "Add Medicare Spending Per Beneficiary - Hospital",
            label="searching",
        ),
        Visit(
            "challenges.datasets",
            f"{ch}/datasets?q=drugs",
            "2 datasets match “drugs”",
            label="searching, a result already linked",
        ),
        Visit(
            "challenges.datasets",
            f"{e}/{c.empty_challenge_slug}/datasets",
            "No datasets linked yet",
            label="nothing linked",
        ),
    ]


def _mistakes(slug: str, c: CatalogWorld) -> list[Visit]:
    e = f"/events/{slug}/challenges"
    prizes = f"{e}/{c.challenge_slug}/prizes"
    return [
        Visit(
            "challenges.create",
            f"{e}/new",
            "Enter a title.",
            then=_challenge_form_invalid_fields,
            label="with invalid fields",
        ),
        Visit(
            "challenges.create",
            f"{e}/new",
            "is reserved for a page of the site",
            then=_challenge_form_reserved_address,
            label="with a reserved web address",
        ),
        Visit(
            "challenges.prizes",
            prizes,
            "Enter a whole number of dollars",
            then=_prize_form_cents,
            label="with cents and no name",
        ),
        Visit(
            "challenges.prizes",
            prizes,
            "Enter a cash amount in dollars",
            then=_prize_form_no_value,
            label="with neither amount nor kind",
        ),
        Visit(
            "datasets.import_catalog",
            "/datasets/import",
            "Choose a data.json file to upload.",
            then=_import_without_a_file,
            label="without a file",
        ),
        Visit(
            "datasets.import_catalog",
            "/datasets/import",
            "cannot be imported",
            then=_import_from_plain_http,
            label="from an http address",
        ),
    ]


def catalog_pages(role: str, slug: str, c: CatalogWorld) -> list[Visit]:
    """Dataset and challenge pages for ``role``; ``slug`` is the main event's."""
    e = f"/events/{slug}/challenges"
    manages, organizes = role in MANAGING, role in ORGANIZING
    visits = [
        Visit("datasets.index", "/datasets", "Import datasets" if organizes else "Narrow down"),
        Visit("datasets.show", f"/datasets/{c.dataset_id}", "Medicare prescribing patterns"),
        Visit("challenges.index", e, "Add a challenge" if manages else "Runner-up ($2,500"),
        Visit(
            "challenges.show",
            f"{e}/{c.challenge_slug}",
            "Edit challenge" if manages else "Questions to start from",
        ),
    ]
    if role == "anonymous":
        visits += [
            Visit(
                "datasets.index",
                "/datasets?q=prescribers",
                "matching “prescribers”",
                label="searching",
            ),
            Visit(
                "datasets.index",
                "/datasets?keyword=drugs",
                "with keyword “drugs”",
                label="filtered",
            ),
            Visit("datasets.index", "/datasets?page=2", "Page 2 of 2", label="second page"),
            Visit(
                "datasets.index", "/datasets?q=xylophone", "No datasets match", label="no results"
            ),
            Visit(
                "datasets.show",
                f"/datasets/{c.bare_dataset_id}",
                "No challenge features this dataset yet.",
                label="with little metadata",
            ),
            Visit("datasets.show", "/datasets/999999", "Page not found", 404, label="unknown"),
            Visit(
                "challenges.show",
                f"{e}/{c.empty_challenge_slug}",
                "The problem statement is coming soon.",
                label="nothing added yet",
            ),
            Visit("accounts.login", "/datasets/import", "Sign in", label="import, signed out"),
        ]
    if role == "stranger":
        visits.append(
            Visit(
                "datasets.import_catalog",
                "/datasets/import",
                "Not allowed",
                403,
                label="not allowed",
            )
        )
    if role == "other_organizer":
        visits.append(
            Visit(
                "challenges.edit",
                f"{e}/{c.challenge_slug}/edit",
                "Not allowed",
                403,
                label="not theirs",
            )
        )
    if organizes:
        visits += _import_pages(c)
    if manages:
        visits += _manage_pages(slug, c)
    if role == "organizer":
        visits += _mistakes(slug, c)
    return visits
