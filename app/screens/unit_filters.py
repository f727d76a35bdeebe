"""The list filter "my unit (and the units under it)" on every link to a unit.

A clerk's everyday question of a list — which of these does my unit lead, handle, hold — is
otherwise a pick of his unit and then of each unit under it. The filter asks nothing: its
value is ignored, the user's unit comes from his account. For a user no unit limits (the
Leader, the Admin) it keeps every row. The dashboard's "My tasks" links through it where a
step is its lead unit's only (`Transition.guard_rows`)."""
from __future__ import annotations

from flask_appbuilder.models.filters import BaseFilter
from flask_babel import lazy_gettext as _l

from app import seams
from app.registry.scope import in_my_units
from models.org import Department

#: The filter's `arg_name`, as list links name it.
MY_UNITS = "my_units"


class FilterInMyUnits(BaseFilter):
    name = _l("Is my unit (or under it)")
    arg_name = MY_UNITS
    valueless = True                 # its value field is hidden on the list (pickers.js)

    def apply(self, query, value):
        condition = in_my_units(self.datamodel.obj, self.column_name)
        return query if condition is None else query.filter(condition)


class UnitFilters:
    """Mixin of a list screen: FilterInMyUnits joins the filters of every searchable
    many-to-one link to a unit (after FAB's own: their positions in URLs stay)."""

    def init_properties(self):
        super().init_properties()
        relationships = self.datamodel.obj.__mapper__.relationships
        for column in list(self._filters.get_search_filters()):
            rel = relationships.get(column)
            if rel is None or rel.uselist or rel.mapper.class_ is not Department:
                continue
            for filters in (self._filters.get_search_filters(), seams.all_filters(self)):
                filters.setdefault(column, []).append(FilterInMyUnits(column, self.datamodel))

    def valueless_filter_names(self) -> list[str]:
        """The names (in the user's language) of the list's filters that read no value — "Past
        due", "Is my unit": the list hides their value field while one is chosen."""
        return sorted({str(flt.name) for filters in self._filters.get_search_filters().values() for flt in filters
                       if getattr(flt, "valueless", False)})
