"""Everything the home page shows, for the logged-in user, in his language."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from app.dashboard.domains import Panel, hotline, incidents, proposals
from app.dashboard.figures import Figure
from app.dashboard.overdue import overdue_by_department
from app.dashboard.status import status_by_domain
from app.dashboard.tasks import Tasks, my_tasks


@dataclass
class Dashboard:
    tasks: list[Tasks]
    overdue: Optional[Figure]
    status: list[tuple[Any, list[Figure]]]
    panels: list[Panel] = field(default_factory=list)

    @property
    def figures(self) -> list[Figure]:
        out = [self.overdue] if self.overdue is not None else []
        out += [f for _group, figures in self.status for f in figures]
        out += [f for panel in self.panels for f in panel.figures]
        return out

    def chart_data(self) -> dict[str, Any]:
        """What the chart script draws: non-empty figures by DOM id."""
        return {f.key: f.as_json() for f in self.figures if not f.empty}


def build_dashboard() -> Dashboard:
    return Dashboard(tasks=my_tasks(), overdue=overdue_by_department(), status=status_by_domain(),
                     panels=[p for p in (proposals(), hotline(), incidents()) if p is not None])
