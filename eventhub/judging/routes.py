"""The judging blueprint with every view module's routes on it, for the app factory."""

from eventhub.judging import (  # noqa: F401  (each module adds its routes to bp)
    dashboard_views,
    judge_views,
    manage_views,
    setup_views,
)
from eventhub.judging.blueprint import bp

__all__ = ["bp"]
