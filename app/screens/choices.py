"""A record's current relation values stay acceptable on its edit form.

Relation fields offer only records in the user's scope (OfficeInterface.
get_related_interface); a record may already link to one outside it, set by someone who
could. That value stays on offer (app/screens/pickers.py looks it up among the records
submitted), so the record can be saved unchanged.
"""
from __future__ import annotations

from collections.abc import Callable

#: The attribute on a field that holds the record's current values (`keep_current`).
HELD = "office_held"


def keep_current(field, held: Callable[[], list]) -> None:
    """Offer the values the record already has (`held()`, read only when asked: a save whose
    choices are all in the user's scope never loads them) beside the user's own choices."""
    setattr(field, HELD, held)
    offered = field.query_func
    if offered is None:           # a picker (pickers.py) reads HELD itself
        return

    def query():
        rows = list(offered())
        return rows + [obj for obj in held() if obj not in rows]
    field.query_func = query
