"""Shared pieces for the project tests: real image bytes made with Pillow, and a small event
with a challenge and a team of two."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image

from tests.factories import make_challenge, make_event, make_organizer, make_team, make_user


def image_bytes(kind: str = "PNG", size: tuple[int, int] = (64, 48), mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color=0 if mode in ("1", "L") else (30, 120, 200)).save(out, kind)
    return out.getvalue()


def upload(body: bytes, filename: str = "shot.png", alt: str = "Map of bus stops") -> dict:
    return {"image": (io.BytesIO(body), filename), "alt": alt}


PROJECT_FORM = {
    "title": "Bus Bunching Radar",
    "tagline": "See which buses arrive in clumps.",
    "description": "Uses **real-time** arrivals.",
    "repository_url": "https://github.com/example/radar",
    "demo_url": "https://radar.example.org",
    "video_url": "",
    "technologies": "Python, Leaflet",
}


@dataclass
class Setup:
    event: object
    challenge: object
    organizer: object
    captain: object
    member: object
    team: object

    @property
    def base(self) -> str:
        return f"/events/{self.event.slug}/projects"

    def form(self, **changes) -> dict:
        return {**PROJECT_FORM, "challenge_id": str(self.challenge.id), **changes}


def setup_event(**event_fields) -> Setup:
    organizer = make_organizer(name="Olivia Organizer")
    event = make_event(
        organizer=organizer, slug="transit-jam", title="Transit Datajam", **event_fields
    )
    challenge = make_challenge(event, title="Faster Buses")
    captain = make_user(name="Cora Captain")
    member = make_user(name="Milo Member")
    team = make_team(event, captain, member, name="Route Runners")
    return Setup(event, challenge, organizer, captain, member, team)
