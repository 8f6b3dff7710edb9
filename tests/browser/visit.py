"""One page for the accessibility checks to visit: shared by the page lists in ``pages.py``
(people and events) and ``catalog_pages.py`` (datasets and challenges)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Visit:
    """A page to check: open ``path``; if ``then`` is given it acts (say, submits a form with
    mistakes) and the page it leads to is checked. ``endpoint`` and ``status`` are the answer
    the server must give, ``shows`` a text the page must contain (so each role really sees
    its own version of the page)."""

    endpoint: str | None
    path: str
    shows: str = ""
    status: int = 200
    then: Callable | None = None
    label: str = ""
