"""What the dashboard shows, independent of how it is drawn.

A `Figure` is categories (statuses, departments, answer categories) with one or more
series of counts; every count carries the URL of the list behind it. The page renders
each figure twice from the same object: as a table of linked numbers (readable without
JavaScript, by screen readers and by tests) and as JSON for the chart script. A `Rate`
is a share with its numerator and denominator, each linked where a list can show it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from models.lookups import CATEGORIES

#: Bootstrap label styles of lookups (success, danger, ...) as chart colours.
STYLE_COLOURS = {
    "success": "#3c8d5a", "info": "#3a87ad", "warning": "#e0a030", "danger": "#c0392b",
    "primary": "#2f5f98", "default": "#8a8f98",
}
#: Lookups whose codes have a meaning a colour should carry (satisfied green, not blue).
MEANING_COLOURS = {
    "satisfaction": {"MANYI": "#3c8d5a", "JIBEN": "#8cc084", "BUMANYI": "#c0392b", "WEIPINGJIA": "#b8bcc4"},
}
#: Bars of a record's status: still moving, or finished (its workflow's end states).
OPEN_COLOUR, FINISHED_COLOUR = "#2f5f98", "#b8bcc4"
#: Colours of categories without a style: sober, distinguishable, readable on white.
PALETTE = ["#2f5f98", "#c8553d", "#3c8d5a", "#e0a030", "#7a5c99", "#3a9ca8", "#a5673f", "#8a8f98",
           "#b84a7a", "#5b7f2a", "#d08a2e", "#45608a"]


@dataclass
class Series:
    name: str
    values: list[int]
    urls: list[Optional[str]]
    colour: Optional[str] = None


@dataclass
class Figure:
    key: str                                    # DOM id, stable
    title: str
    categories: list[str]
    series: list[Series]
    chart: str = "bar"                          # bar | hbar | doughnut
    colours: list[str] = field(default_factory=list)   # per category (single series)
    link: Optional[str] = None                  # the whole list behind the figure
    note: str = ""
    stacked: bool = False
    heading: str = ""                           # what the categories are: "Status", "Unit"

    @property
    def total(self) -> int:
        return sum(sum(s.values) for s in self.series)

    @property
    def empty(self) -> bool:
        return self.total == 0

    @property
    def rows(self) -> list[tuple[str, list[tuple[int, Optional[str]]], int]]:
        """(category, [(count, url) per series], row total) for the table."""
        return [(name, [(s.values[i], s.urls[i]) for s in self.series], sum(s.values[i] for s in self.series))
                for i, name in enumerate(self.categories)]

    def as_json(self) -> dict[str, Any]:
        return {
            "chart": self.chart, "stacked": self.stacked, "categories": self.categories,
            "colours": self.colours,
            "series": [{"name": s.name, "values": s.values, "urls": s.urls, "colour": s.colour}
                       for s in self.series],
        }


@dataclass
class Rate:
    key: str
    title: str
    numerator: int
    denominator: int
    numerator_label: str
    denominator_label: str
    numerator_url: Optional[str] = None
    denominator_url: Optional[str] = None
    note: str = ""

    @property
    def percent(self) -> Optional[float]:
        return round(100.0 * self.numerator / self.denominator, 1) if self.denominator else None


def colours_for(lookup: Optional[str], codes: list[str]) -> list[str]:
    """A colour per code: what the code means (satisfied, overdue, on time: the lookup's
    own style), else the palette in order."""
    styles = CATEGORIES[lookup].styles if lookup in CATEGORIES else {}
    meaning = MEANING_COLOURS.get(lookup or "", {})
    return [meaning.get(code) or STYLE_COLOURS.get(styles.get(code, ""), PALETTE[i % len(PALETTE)])
            for i, code in enumerate(codes)]


def status_colours(lookup: Optional[str], codes: list[str], finished) -> list[str]:
    """Status bars: the lookup's style where it has one, else grey for finished states
    and one colour for the rest, so the eye goes to what is still open."""
    styles = CATEGORIES[lookup].styles if lookup in CATEGORIES else {}
    return [STYLE_COLOURS.get(styles.get(code, ""), FINISHED_COLOUR if code in finished else OPEN_COLOUR)
            for code in codes]


def single(key: str, title: str, name: str, rows: list[tuple[str, int, Optional[str]]], *, chart: str = "bar",
           colours: Optional[list[str]] = None, link: Optional[str] = None, heading: str = "") -> Figure:
    """A figure of one series (`name`) from (category, count, url) rows."""
    return Figure(key=key, title=title, categories=[r[0] for r in rows],
                  series=[Series(name, [r[1] for r in rows], [r[2] for r in rows])],
                  chart=chart, colours=colours or [PALETTE[i % len(PALETTE)] for i in range(len(rows))],
                  link=link, heading=heading)
