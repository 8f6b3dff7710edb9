"""Every model module, imported once so metadata (and migrations) see all tables."""

from eventhub.accounts.models import PasswordReset, PendingSignup, User
from eventhub.calendar.models import CalendarPart, CalendarToken
from eventhub.challenges.models import Challenge, ChallengeDataset, Prize
from eventhub.core.models import AuditEntry
from eventhub.datasets import search  # noqa: F401  (the full-text index is made with the tables)
from eventhub.datasets.models import (
    Catalog,
    CatalogRevision,
    Dataset,
    DatasetFacet,
    DatasetImport,
    Distribution,
    Publisher,
)
from eventhub.demoday.models import DemoDay, DemoSlot
from eventhub.events.models import AgendaSession, Event, EventRole, Partner, Registration
from eventhub.judging.models import (
    Assignment,
    Criterion,
    Finalist,
    JudgeConflict,
    JudgeInvitation,
    JudgeProfile,
    JudgingSettings,
    PairwiseComparison,
    Review,
    Rubric,
    Score,
)
from eventhub.results.models import PrizeAward, TieBreak, Vote
from eventhub.submissions.models import (
    DeadlineExtension,
    Screenshot,
    Submission,
    SubmissionChange,
    SubmissionDataset,
)
from eventhub.teams.models import BoardEntry, JoinRequest, Team, TeamMembership

__all__ = [
    "Catalog",
    "CatalogRevision",
    "Challenge",
    "ChallengeDataset",
    "Dataset",
    "DatasetImport",
    "DatasetFacet",
    "Distribution",
    "Prize",
    "Publisher",
    "AgendaSession",
    "AuditEntry",
    "CalendarPart",
    "CalendarToken",
    "Event",
    "EventRole",
    "Partner",
    "PasswordReset",
    "PendingSignup",
    "Registration",
    "User",
    "BoardEntry",
    "DeadlineExtension",
    "JoinRequest",
    "Screenshot",
    "Submission",
    "SubmissionChange",
    "SubmissionDataset",
    "Team",
    "TeamMembership",
    "Assignment",
    "Criterion",
    "DemoDay",
    "DemoSlot",
    "Finalist",
    "JudgeConflict",
    "JudgeInvitation",
    "JudgeProfile",
    "JudgingSettings",
    "PairwiseComparison",
    "PrizeAward",
    "Review",
    "Rubric",
    "Score",
    "TieBreak",
    "Vote",
]
