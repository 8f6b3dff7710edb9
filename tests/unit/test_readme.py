"""The README's configuration table names every setting the app reads."""

from pathlib import Path

from eventhub.config import ENV_SETTINGS

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_documents_every_environment_setting():
    text = README.read_text()

    missing = [name for name in ENV_SETTINGS if f"`EVENTHUB_{name}`" not in text]

    assert missing == [], f"document these in README.md's configuration table: {missing}"
