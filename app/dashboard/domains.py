"""Panels of the functions a leader watches, declared by the domains (views/*.py) with
`register_panel`, as ledgers are with `register_ledger`: how proposals are answered and
judged, whether the hotline answers on time and satisfies, whether incidents are reported
within their limits. Each panel is shown only to users who may read what it counts, and
every number links to the list it counts where a list filter can show it. `PANELS` names
the entity each panel is about: its function (menu group) decides whether the user works
on it. This package imports no domain model.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Optional

from flask_babel import gettext

from app.dashboard.figures import Figure, Rate, colours_for, single
from app.dashboard.links import equal, list_url, one_of
from app.dashboard.queries import code_label, count_by, lookup_order
from app.registry.introspect import label_of, lookup_of
from models.lookups import EVALUATED, SATISFIED


@dataclass
class Panel:
    key: str
    title: str
    group: str                                  # the function (menu group key) it is about
    figures: list[Figure] = field(default_factory=list)
    rates: list[Rate] = field(default_factory=list)
    link: Optional[str] = None

    @property
    def empty(self) -> bool:
        """Nothing counted: every figure empty, no rate with a denominator."""
        return all(f.empty for f in self.figures) and not any(r.denominator for r in self.rates)


def code_counts(entity, column: str) -> dict:
    """{code: live records} of a lookup column (records without a value left out)."""
    counts = count_by(entity, getattr(entity.model, column))
    counts.pop(None, None)
    return counts


def by_code(entity, column: str, counts: dict, key: str, title: str) -> Figure:
    """Records per code of a lookup column, every code of the lookup (zeros too), each
    linked to the list filtered by it."""
    category = lookup_of(entity.model, column)
    codes = lookup_order(category, list(counts) + [c for c in lookup_order(category, []) if c not in counts])
    rows = [(code_label(entity, column, c), counts.get(c, 0), list_url(entity, equal(column, c))) for c in codes]
    return single(key, title, gettext("Records"), rows, chart="doughnut", colours=colours_for(category, codes),
                  link=list_url(entity), heading=str(label_of(entity.model, column)))


def satisfaction_rate(entity, column: str, counts: dict, key: str) -> Rate:
    """Satisfied and basically satisfied among those who gave a verdict."""
    return Rate(key=key, title=gettext("Satisfaction rate"),
                numerator=sum(counts.get(c, 0) for c in SATISFIED),
                denominator=sum(counts.get(c, 0) for c in EVALUATED),
                numerator_label=gettext("satisfied or basically satisfied"),
                denominator_label=gettext("evaluated"),
                numerator_url=list_url(entity, one_of(column, SATISFIED)),
                denominator_url=list_url(entity, one_of(column, EVALUATED)))


#: (the entity a panel is about, the function building it), in the page's order.
PANELS: list[tuple[type, Callable[[], Optional[Panel]]]] = []
_ORDER: dict[Callable, int] = {}


def register_panel(model: type, build: Callable[[], Optional[Panel]], order: int = 100) -> None:
    """Show the panel `build()` returns (None: nothing to show) on the dashboard, about the
    entity of `model`; panels are shown by `order`, then as registered."""
    PANELS[:] = [(m, b) for m, b in PANELS if b is not build]
    _ORDER[build] = order
    PANELS.append((model, build))
    PANELS.sort(key=lambda pair: _ORDER.get(pair[1], 100))
