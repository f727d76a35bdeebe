"""The ledgers of an entity, reached from its list (a mixin of the generated screens).

`/<entity>view/ledger/<key>/` writes the ledger over the list's own query
(`export_query`: the list's filters and order from the query string, its base filters
and the user's department scope), narrowed by the ledger's fixed filter. The list's
toolbar links to it with the list's current query string, so the ledger holds what the
user sees; without a query string it is the whole ledger of his scope. Opening one needs
the "export" permission on the entity, and every ledger written is audited.
"""
from __future__ import annotations

from typing import Any

from flask import abort, g, request, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.models.filters import FilterRelation
from flask_babel import gettext
from sqlalchemy import inspect as sa_inspect

from app.audit import coded, record_act
from app.downloads import send_xlsx
from app.ledgers.spec import LEDGERS, Ledger, ledgers_of
from app.ledgers.workbook import write_ledger
from app.masking import can_see_sensitive, sensitive_columns
from app.registry.deadlines import FilterDueWithin, FilterPastDue, within_days
from app.registry.introspect import kind_of, label_of, lookup_of
from app.registry.scope import current_department_ids, scope_condition
from models.base import current_lang, today_cn
from models.lookups import lookup_label

#: FAB filters that read as "column: value".
EQUALS = {"eq", "rel_o_m"}


def _join(parts: list[str]) -> str:
    return ("；" if current_lang() == "zh" else "; ").join(parts)


def _value_text(model, column: str, value: Any, flt) -> str:
    """A filter value as the list shows it: a label, a record's name, Yes/No."""
    if isinstance(flt, FilterRelation) or kind_of(model, column) == "relation":
        rel = sa_inspect(model).relationships.get(column)
        if rel is not None:
            try:
                found = flt.datamodel.session.get(rel.mapper.class_, int(value))
            except (TypeError, ValueError):
                found = None
            return str(found) if found is not None else str(value)
    category = lookup_of(model, column)
    if category:
        return lookup_label(category, value)
    if kind_of(model, column) == "bool":
        return gettext("Yes") if str(value).lower() in ("y", "1", "true", "on") else gettext("No")
    return str(value)


def _filter_text(model, flt, values: list) -> str:
    """One list filter in words: "Status: Handling", "Title (Contains): 学校"."""
    label = str(label_of(model, flt.column_name))
    if isinstance(flt, FilterPastDue):
        return gettext("%(column)s: %(value)s", column=label, value=str(flt.name))
    if isinstance(flt, FilterDueWithin):
        return gettext("%(column)s: %(value)s", column=label,
                       value=gettext("Due within %(days)s days", days=within_days(values[0] if values else "")))
    shown = "、".join(_value_text(model, flt.column_name, v, flt) for v in values if v not in (None, ""))
    if flt.arg_name in EQUALS:
        return gettext("%(column)s: %(value)s", column=label, value=shown)
    return gettext("%(column)s (%(operator)s): %(value)s", column=label, operator=str(flt.name), value=shown)


def describe_filters(view) -> str:
    """The list filters of the request (`export_query` has read them) in words, in the
    order of the list's search form (the request's own order is lost)."""
    model = view.datamodel.obj
    order = list(view.search_columns)

    def position(pair) -> int:
        name = pair[0].column_name
        return order.index(name) if name in order else len(order)

    active = sorted(view._filters.get_filters_values(), key=position)
    return _join([_filter_text(model, flt, values if isinstance(values, list) else [values])
                  for flt, values in active])


def describe_scope(entity) -> str:
    """Whose records the ledger holds: every unit's, or the user's unit and those under it."""
    if scope_condition(entity) is None:
        return gettext("all units")
    ids = current_department_ids() or []
    person = getattr(getattr(g, "user", None), "personnel", None)
    unit = getattr(person, "department", None)
    if unit is None or not ids:
        return gettext("records of no unit and those you registered")
    return gettext("%(unit)s and the units under it", unit=str(unit))


def subtitle(view) -> str:
    """The title's second line: when, with which filters (read by `export_query`), over which units."""
    filters = describe_filters(view)
    return _join([
        gettext("Exported on %(date)s", date=today_cn().isoformat()),
        gettext("Filters: %(filters)s", filters=filters or gettext("none")),
        gettext("Units: %(scope)s", scope=describe_scope(view.entity)),
    ])


class LedgerScreens:
    """Mixin of EntityView: the ledger route and what the list's toolbar needs."""

    def ledgers(self) -> list[Ledger]:
        """The entity's ledgers, if the user may export it (none otherwise)."""
        if self.entity is None or not self.can("export"):
            return []
        return ledgers_of(self.entity.model)

    def ledger_url(self, ledger: Ledger) -> str:
        """The ledger's download with the list's current query string (its filters and order)."""
        url = url_for(f"{self.endpoint}.ledger", key=ledger.key)
        query = request.query_string.decode("utf-8", "replace")
        return f"{url}?{query}" if query else url

    @expose("/ledger/<key>/")
    @has_access
    def ledger(self, key):
        found = LEDGERS.get(key)
        if found is None or found.model is not self.entity.model:
            abort(404)
        query = found.narrow(self.export_query())
        unmasked = can_see_sensitive()
        path, count = write_ledger(found, query, subtitle=subtitle(self), unmasked=unmasked)
        self._audit_ledger(found, count, unmasked)
        return send_xlsx(path, f"{found.title}-{today_cn():%Y%m%d}.xlsx")

    def _audit_ledger(self, ledger: Ledger, count: int, unmasked: bool) -> None:
        names = [c for c in ledger.columns if isinstance(c, str)]
        detail = coded("ledger_export", ledger=ledger.key, rows=count,
                       filters=request.query_string.decode("utf-8", "replace") or "—",
                       unmasked=bool(unmasked and set(names) & set(sensitive_columns(ledger.model))))
        session = self.datamodel.session
        record_act(session, "EXPORT", self.entity.name, detail=detail)
        session.commit()
