"""``flask --app eventhub datasets import``: a file or an address, counts and rejections printed.

One run is a real process against the test's database, its stderr a terminal, so the
progress bar is drawn as a person sees it; the rest use Flask's CLI runner in this process
(where the stand-in portal's origin is allowed).
"""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
import threading

import pytest

from eventhub.config import ROOT
from eventhub.datasets.models import Dataset
from eventhub.extensions import db
from tests.factories import make_organizer
from tests.integration.datasets_support import history_rows, stored_count
from tests.integration.pages import page
from tests.support.fixtures import CATALOGS


@pytest.fixture
def config_overrides(portal):
    return {"IMPORT_TEST_ORIGIN": portal.origin}


def _flask_import(database_url: str, *args: str) -> tuple[int, str, str]:
    """``flask --app eventhub datasets import`` in its own process, its stderr a terminal
    (so the progress bar draws as a person sees it). Returns (exit code, stdout, stderr)."""
    env = {
        **os.environ,
        "EVENTHUB_DATABASE_URL": database_url,
        "EVENTHUB_SECRET_KEY": "cli-test",
        "COLUMNS": "100",
    }
    terminal, attached = pty.openpty()
    seen = bytearray()

    def read_terminal():
        while True:
            try:
                chunk = os.read(terminal, 4096)
            except OSError:
                return
            if not chunk:
                return
            seen.extend(chunk)

    reader = threading.Thread(target=read_terminal, daemon=True)
    reader.start()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "eventhub", "datasets", "import", *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=attached,
            stdin=subprocess.DEVNULL,
            timeout=60,
            text=True,
        )
    finally:
        os.close(attached)
        reader.join(5)
        os.close(terminal)
    return done.returncode, done.stdout, seen.decode(errors="replace")


def test_cli_import_file_draws_progress_and_prints_counts(app, client, login_as):
    login_as(make_organizer())  # to read the import history afterwards
    db.session.commit()
    path = str(CATALOGS / "fda-data.json")
    before = client.get("/datasets")  # this process now holds the (empty) catalog's facets

    code, out, err = _flask_import(app.config["SQLALCHEMY_DATABASE_URI"], path, "--catalog", "FDA")
    again = app.test_cli_runner().invoke(args=["datasets", "import", path, "--catalog", "FDA"])

    assert code == 0, err
    assert f"DCAT-US 1.1 from {path}: 86 new, 0 updated, 0 unchanged, 0 rejected." in out
    assert "Importing" in err and "100%" in err
    assert again.exit_code == 0
    assert "0 new, 0 updated, 86 unchanged, 0 rejected." in again.stdout
    assert stored_count(Dataset) == 86
    assert "0 datasets in the catalog." in page(before).text
    after = page(client.get("/datasets")).text  # what another process wrote is seen here
    assert "86 datasets in the catalog." in after
    assert "Center for Devices and Radiological Health (27)" in after
    # The two ran on different clocks (the test's and the real one): compare, not order.
    assert sorted(r[1:7] for r in history_rows(client)) == [
        [path, "command line", "0", "0", "86", "0"],
        [path, "command line", "86", "0", "0", "0"],
    ]


def test_cli_import_url_and_rejections_are_listed(app, portal, tmp_path):
    runner = app.test_cli_runner()
    bad = tmp_path / "mixed.json"
    bad.write_text(
        json.dumps({"dataset": [{"identifier": "a", "title": "Alpha"}, {"identifier": "b"}]})
    )

    fetched = runner.invoke(
        args=["datasets", "import", portal.url("/catalogs/dcat-us-3.0-complete.json")]
    )
    mixed = runner.invoke(args=["datasets", "import", str(bad)])

    assert fetched.exit_code == 0, fetched.output
    assert "4 new, 0 updated, 0 unchanged, 0 rejected." in fetched.stdout
    assert mixed.exit_code == 0
    assert "1 new, 0 updated, 0 unchanged, 1 rejected." in mixed.stdout
    assert "rejected record 2 b: missing a title" in mixed.stdout


def test_cli_import_of_a_file_that_is_not_a_catalog_fails_and_says_why(app, tmp_path):
    names = tmp_path / "names.json"
    names.write_text('["clinics", "hospitals"]')

    result = app.test_cli_runner().invoke(args=["datasets", "import", str(names)])

    assert result.exit_code == 1
    assert (
        "Nothing was imported: This is not a DCAT-US catalog or a CKAN, Socrata or DKAN "
        "dataset: it is a JSON list of strings."
    ) in result.output
    assert stored_count(Dataset) == 0


def test_cli_import_of_a_refused_address_or_missing_file_says_why(app, tmp_path):
    runner = app.test_cli_runner()

    http = runner.invoke(args=["datasets", "import", "http://data.example.org/data.json"])
    missing = runner.invoke(args=["datasets", "import", str(tmp_path / "nowhere.json")])

    assert http.exit_code == 1
    assert (
        "Nothing was imported: http://data.example.org/data.json cannot be imported: "
        "only https:// addresses are fetched, for a secure connection."
    ) in http.output
    assert missing.exit_code == 1
    assert f"No such file: {tmp_path / 'nowhere.json'}" in missing.output
    assert stored_count(Dataset) == 0
