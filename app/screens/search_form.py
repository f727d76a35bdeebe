"""A list's filter form, drawn once per view and language and kept until its options change.

FAB's search widget draws every filter's field on each list request — the unit drop-down
with its few hundred units, each lookup's select with its codes — though only the active
filters differ between two requests: a third of a list page's time. The drawn fields are
kept in a process cache (models/cache_stamps.py) whose stamp every write to the tables
they draw from raises: a unit, a lookup code, a custom field added in the console shows
at the next request of every worker.

Only forms whose options are the same for everyone are kept: a relation whose records
the user's scope narrows (app/registry/scope.py) is drawn for him at each request."""
from __future__ import annotations

from flask_appbuilder._compat import as_unicode
from flask_appbuilder.widgets import RenderTemplateWidget, SearchWidget
from flask_babel import get_locale

from app.extensions import db
from app.screens.pickers import PickerField
from models.cache_stamps import SharedCache
from models.custom_fields import CustomField
from models.lookups import Lookup
from models.org import Department

#: Kept drawings beyond which the cache starts again (views × languages stay far below).
_MOST = 1000

_DRAWN = SharedCache("search_forms", Department, lambda session: {}, also=(Lookup, CustomField))


def _same_for_everyone(form, filters, columns) -> bool:
    """Every relation among `columns` is a search-as-you-type field (app/screens/pickers.py,
    holding no record) or offers records of a table the stamp follows, unnarrowed by the
    current user's scope."""
    datamodel = filters.datamodel
    for col in columns:
        if datamodel.is_relation(col) and not isinstance(form[col], PickerField):
            related = datamodel.get_related_interface(col)
            if related.obj not in _DRAWN.models or related.scope() is not None:
                return False
    return True


def _draw(form, filters, columns) -> tuple[dict, dict, dict]:
    """FAB's SearchWidget's three dicts: labels, drawn fields, filter names."""
    offered = filters.get_search_filters()
    labels = {col: as_unicode(form[col].label.text) for col in columns}
    fields = {col: form[col]() for col in columns}
    names = {col: [as_unicode(flt.name) for flt in offered[col]] for col in columns}
    return labels, fields, names


class KeptSearchWidget(SearchWidget):
    """FAB's SearchWidget with its fields drawn from the cache; the active filters, the
    only part a request's URL changes, are read at each request."""

    def __call__(self, **kwargs):
        form, filters = self.template_args["form"], self.filters
        columns = list(self.template_args["include_cols"])
        if _same_for_everyone(form, filters, columns):
            kept = _DRAWN.get(db.session)
            key = (self.template_args.get("route_base"), type(form).__name__, tuple(columns), str(get_locale()))
            drawn = kept.get(key)
            if drawn is None:
                if len(kept) >= _MOST:
                    kept.clear()
                drawn = kept[key] = _draw(form, filters, columns)
        else:
            drawn = _draw(form, filters, columns)
        kwargs["label_columns"], kwargs["form_fields"], kwargs["search_filters"] = drawn
        kwargs["active_filters"] = filters.get_filters_values_tojson()
        return RenderTemplateWidget.__call__(self, **kwargs)
