"""The rubric the rubric page offers before an organizer saved one: the usual criteria of a
civic open-data event, each on a 1 to 5 scale with a sentence per level. The organizer saves
it as it is or edits it first; nothing is stored until then."""

from __future__ import annotations

DEFAULT_CRITERIA: tuple[dict, ...] = (
    {
        "name": "Impact",
        "description": "How much the project could improve people's lives or the work of "
        "government.",
        "weight": 3.0,
        "breaks_ties": True,
        "levels": [
            "Little visible benefit to anyone.",
            "Some benefit to a small group, not yet clear how.",
            "A clear benefit to a defined group of people.",
            "A significant benefit to many people, with a plausible path to real use.",
            "Could change how many people live or work, and is ready to be used.",
        ],
    },
    {
        "name": "Use of open data",
        "description": "How well the project uses the event's open datasets.",
        "weight": 3.0,
        "levels": [
            "Uses no open data, or only as decoration.",
            "Uses one dataset superficially.",
            "Uses open data correctly to answer a real question.",
            "Combines datasets thoughtfully and handles their gaps and limits.",
            "Draws new insight from the data and documents its sources and caveats.",
        ],
    },
    {
        "name": "Execution",
        "description": "How well the project works and how it is built.",
        "weight": 2.0,
        "levels": [
            "An idea with little that works yet.",
            "A prototype with major gaps.",
            "A working prototype of the main feature.",
            "Works reliably; the code and design are solid.",
            "Polished, accessible and ready for others to build on.",
        ],
    },
    {
        "name": "Presentation",
        "description": "How clearly the team explains the problem, the solution and the next "
        "steps.",
        "weight": 2.0,
        "levels": [
            "Hard to follow.",
            "Understandable with effort.",
            "Clear about the problem and the solution.",
            "Clear and compelling, with a convincing demo.",
            "Memorable, well argued and honest about its limits.",
        ],
    },
)


def default_criteria() -> list[dict]:
    return [
        {"scale_min": 1, "scale_max": 5, "breaks_ties": False, **c, "levels": list(c["levels"])}
        for c in DEFAULT_CRITERIA
    ]
