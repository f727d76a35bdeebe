"""Everything the home page shows, for the logged-in user, in his language.

Besides "My tasks", every panel is about one function of the office (a menu group: the
`group` of the registry entity it counts). A panel is shown to the users who work on its
function: whose unit runs it, or who have no unit limit (`app.registry.ownership.works_on`),
or who have records of it (the panel has data for them). So a clerk of the documents
division is not shown a wall of empty hotline and proposal panels; without the ownership
module, the panels with no data for the user are hidden. A line at the bottom says that
panels were hidden.
"""
from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Optional

from flask_babel import gettext

from app.dashboard.domains import PANELS, Panel
from app.dashboard.figures import Figure
from app.dashboard.overdue import deadline_entities, overdue_by_department
from app.dashboard.status import status_by_domain
from app.dashboard.tasks import Tasks, my_tasks
from app.registry.spec import entity_for

OWNERSHIP = "app.registry.ownership"


@dataclass
class Dashboard:
    tasks: list[Tasks]
    overdue: Optional[Figure]
    status: list[tuple[Any, list[Figure]]]
    panels: list[Panel] = field(default_factory=list)
    hidden_note: str = ""                       # why some panels are not shown, if any are not

    @property
    def figures(self) -> list[Figure]:
        out = [self.overdue] if self.overdue is not None else []
        out += [f for _group, figures in self.status for f in figures]
        out += [f for panel in self.panels for f in panel.figures]
        return out

    def chart_data(self) -> dict[str, Any]:
        """What the chart script draws: non-empty figures by DOM id."""
        return {f.key: f.as_json() for f in self.figures if not f.empty}


def _works_on() -> Optional[Callable[[str], bool]]:
    """`works_on(group_key)` of app.registry.ownership, or None while it does not exist."""
    if importlib.util.find_spec(OWNERSHIP) is None:
        return None
    from app.registry.ownership import works_on

    return works_on


class Visibility:
    """Which panels the user is shown: those of the functions his unit runs (all, for a
    user no unit limits) and those with data for him. Remembers whether any was hidden."""

    def __init__(self, works_on: Optional[Callable[[str], bool]] = None):
        self._works_on = works_on
        self._answers: dict[str, bool] = {}
        self.hidden = False

    @property
    def by_ownership(self) -> bool:
        return self._works_on is not None

    def works_on(self, group: str) -> bool:
        """Whether the user's unit runs function `group` (or no unit limits him)."""
        if self._works_on is None:
            return False
        if group not in self._answers:
            self._answers[group] = bool(self._works_on(group))
        return self._answers[group]

    def shows(self, group: str, empty: bool) -> bool:
        """A panel of function `group` is shown if the user works on the function: his unit
        runs it, or he has records of it (the panel has data for him)."""
        if not empty or self.works_on(group):
            return True
        self.hidden = True
        return False

    @property
    def note(self) -> str:
        if not self.hidden:
            return ""
        if self.by_ownership:
            return gettext("Panels of functions you do not work on are hidden.")
        return gettext("Panels without data for you are hidden.")


def build_dashboard() -> Dashboard:
    seen = Visibility(_works_on())
    overdue = overdue_by_department()
    if overdue is not None and overdue.empty and not any(seen.works_on(e.group) for e in deadline_entities()):
        overdue, seen.hidden = None, True          # across functions: shown if he runs one with deadlines
    status = [(group, kept) for group, figures in status_by_domain()
              if (kept := [f for f in figures if seen.shows(group.key, f.empty)])]
    panels = [panel for model, build in PANELS
              if (panel := build()) is not None and seen.shows(entity_for(model).group, panel.empty)]
    return Dashboard(tasks=my_tasks(), overdue=overdue, status=status, panels=panels, hidden_note=seen.note)
