"""The organizer's teams CSV: one row per current member, and one per person looking on the
board without a team, so a spreadsheet shows who still needs placing."""

from __future__ import annotations

import csv
import io

from eventhub.events.models import Event
from eventhub.teams.models import BoardEntry, Team
from eventhub.timefmt import format_datetime

HEADER = ["team", "role", "name", "email", "affiliation", "looking", "skills", "joined"]


def cell(text) -> str:
    """Keep spreadsheet programs from running a cell as a formula (as the roster CSV does)."""
    text = "" if text is None else str(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def teams_csv(event: Event, teams: list[Team], unplaced: list[BoardEntry]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*HEADER[:-1], f"joined ({event.timezone})"])
    entries = {e.user_id: e for e in unplaced}
    for team in teams:
        for m in team.current_members:
            role = "captain" if m.user_id == team.captain_id else "member"
            writer.writerow(
                _row(team.name, role, m.user, None, format_datetime(m.joined_at, event.timezone))
            )
    for entry in entries.values():
        writer.writerow(_row("", "looking", entry.user, entry, ""))
    return out.getvalue()


def _row(team_name, role, user, entry, joined) -> list[str]:
    looking = "yes" if entry is not None and entry.looking else ""
    skills = entry.skills if entry is not None else ""
    return [
        cell(v)
        for v in (team_name, role, user.name, user.email, user.affiliation, looking, skills, joined)
    ]
