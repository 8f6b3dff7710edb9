"""Where the real-world fixtures live (catalogs, portal responses, the DCAT-US 1.1 schemas).

``tests/fixtures`` holds them byte for byte as the project's shared fixtures provide them
(their README names each source), so a fresh checkout tests without anything beside it.
``EVENTHUB_FIXTURES_DIR`` points elsewhere, for example at a newer copy.
"""

import os
from pathlib import Path

FIXTURES = Path(
    os.environ.get("EVENTHUB_FIXTURES_DIR") or Path(__file__).resolve().parents[1] / "fixtures"
)
CATALOGS = FIXTURES / "catalogs"
REMOTE = FIXTURES / "remote"
