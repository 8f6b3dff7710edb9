"""Closed sets of values shared by models, forms and templates. Imports nothing from eventhub."""

from enum import StrEnum


class EventKind(StrEnum):
    DATAPALOOZA = "datapalooza"
    DATAJAM = "datajam"
    TECH_SPRINT = "tech-sprint"
    INNOVATION_SPRINT = "innovation-sprint"
    HACKATHON = "hackathon"
    HEALTHATHON = "healthathon"
    DEMO_DAY = "demo-day"
    ROUNDTABLE = "roundtable"
    LISTENING_SESSION = "listening-session"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    EventKind.DATAPALOOZA: "Datapalooza",
    EventKind.DATAJAM: "Datajam",
    EventKind.TECH_SPRINT: "Tech sprint",
    EventKind.INNOVATION_SPRINT: "Innovation sprint",
    EventKind.HACKATHON: "Hackathon",
    EventKind.HEALTHATHON: "Healthathon",
    EventKind.DEMO_DAY: "Demo day",
    EventKind.ROUNDTABLE: "Roundtable",
    EventKind.LISTENING_SESSION: "Listening session",
}


class EventStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class EventPhase(StrEnum):
    """Derived, never stored: see events.phases.event_phase()."""

    DRAFT = "draft"
    UPCOMING = "upcoming"
    REGISTRATION_OPEN = "registration-open"
    IN_PROGRESS = "in-progress"
    HACKING = "hacking"
    SUBMISSIONS_CLOSED = "submissions-closed"
    ENDED = "ended"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return self.value.replace("-", " ").capitalize()


class SessionKind(StrEnum):
    TALK = "talk"
    WORKSHOP = "workshop"
    PANEL = "panel"
    BREAK = "break"
    DEMO = "demo"
    OTHER = "other"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class SessionStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class EventRoleKind(StrEnum):
    """Roles a person holds in one event by appointment. Participants are registrants."""

    ORGANIZER = "organizer"
    JUDGE = "judge"


class RegistrationStatus(StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"
