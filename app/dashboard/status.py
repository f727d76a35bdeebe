"""Records by status, per function of the office: one GROUP BY per workflow entity."""
from __future__ import annotations

from flask_babel import gettext

from app.dashboard.figures import Figure, single, status_colours
from app.dashboard.links import equal, list_url
from app.dashboard.queries import count_by, lookup_order, may_read
from app.menu import GROUPS
from app.registry.introspect import label_of, lookup_of
from app.registry.spec import REGISTRY
from app.workflow import engine


def status_figure(entity) -> Figure:
    field = entity.workflow.field
    category = lookup_of(entity.model, field)
    counts = count_by(entity, getattr(entity.model, field))
    codes = lookup_order(category, list(counts), entity.workflow.states())
    rows = [(engine.state_label(entity, code), counts[code], list_url(entity, equal(field, code))) for code in codes]
    return single(f"status-{entity.slug}", str(entity.title), gettext("Records"), rows, chart="hbar",
                  colours=status_colours(category, codes, entity.workflow.finished), link=list_url(entity),
                  heading=str(label_of(entity.model, field)))


def status_by_domain() -> list[tuple[object, list[Figure]]]:
    """[(menu group, [figure per workflow entity the user may read])], in menu order."""
    out = []
    for group in GROUPS:
        figures = [status_figure(e) for e in REGISTRY.values()
                   if e.group == group.key and e.workflow is not None and may_read(e)]
        if figures:
            out.append((group, figures))
    return out
