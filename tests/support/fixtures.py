"""Where the shared real-world fixtures live (catalogs, portal responses).

They sit beside the checkout in ``shared/fixtures``; ``EVENTHUB_FIXTURES_DIR`` points
elsewhere when the checkout is moved without them.
"""

import os
from pathlib import Path

FIXTURES = Path(
    os.environ.get("EVENTHUB_FIXTURES_DIR")
    or Path(__file__).resolve().parents[3] / "shared" / "fixtures"
)
CATALOGS = FIXTURES / "catalogs"
REMOTE = FIXTURES / "remote"
