"""The ledgers of an entity, reached from its list (a mixin of the generated screens).

`/<entity>view/ledger/<key>/` writes the ledger over the list's own query
(`export_query`: the list's filters and order from the query string, its base filters
and the user's department scope), narrowed by the ledger's fixed filter. The list's
toolbar links to it with the list's current query string, so the ledger holds what the
user sees; without a query string it is the whole ledger of his scope. Opening one needs
the "export" permission on the entity, and every ledger written is audited.

A report ledger (app/ledgers/spec.py) has a page, `/<entity>view/report/<key>/`, on the
"read" permission: its parameters as choices, then its rows as a table. Its export is the
same `/ledger/<key>/` route, writing the function's rows for the parameters in the query
string instead of the list's query. A parameter not among the choices is refused: the
page says which, in the user's language, and shows no rows; the export goes back to the
page, writes nothing and audits nothing.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import abort, current_app, flash, g, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.models.filters import FilterRelation
from flask_babel import gettext
from sqlalchemy import inspect as sa_inspect

from app.audit import coded, record_act
from app.downloads import send_xlsx
from app.jobs import runner
from app.ledgers.spec import LEDGERS, Ledger, ledgers_of
from app.ledgers.workbook import write_ledger
from app.masking import can_see_sensitive, sensitive_columns
from app.registry.deadlines import FilterDueWithin, FilterPastDue, within_days
from app.registry.introspect import kind_of, label_of, lookup_of
from app.registry.need_to_know import left_out_message
from app.registry.scope import current_department_ids, unit_scope_limits
from models.base import current_lang, now_cn, today_cn
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


def filter_text(model, flt, values: list) -> str:
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
    return _join([filter_text(model, flt, values if isinstance(values, list) else [values])
                  for flt, values in active])


def describe_scope(entity) -> str:
    """Whose records the ledger holds: every unit's, or the user's unit and those under it."""
    if not unit_scope_limits(entity):
        return gettext("all units")
    ids = current_department_ids() or []
    person = getattr(getattr(g, "user", None), "personnel", None)
    unit = getattr(person, "department", None)
    if unit is None or not ids:
        return gettext("records of no unit and those you registered")
    return gettext("%(unit)s and the units under it", unit=str(unit))


def describe_params(ledger: Ledger, values: dict[str, Any]) -> str:
    """A report's parameters in words: "Year: 2025; Quarter: Q2; Branch: All branches"."""
    return _join([gettext("%(column)s: %(value)s", column=str(p.label), value=p.label_of(values[p.name]))
                  for p in ledger.params])


def report_subtitle(ledger: Ledger, values: dict[str, Any]) -> str:
    """A report's second title line: when, for which parameters."""
    return _join([gettext("Exported on %(date)s", date=today_cn().isoformat())]
                 + ([describe_params(ledger, values)] if ledger.params else []))


def report_query(ledger: Ledger, values: dict[str, Any]) -> str:
    """The parameters as a query string (a blank choice as empty)."""
    return urlencode([(p.name, "" if values[p.name] is None else values[p.name]) for p in ledger.params])


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
        """The entity's ledgers of the list, if the user may export it (none otherwise); a
        report ledger has its own page and menu entry instead."""
        if self.entity is None or not self.can("export"):
            return []
        return [ledger for ledger in ledgers_of(self.entity.model) if not ledger.is_report]

    def _found(self, key: str) -> Ledger:
        found = LEDGERS.get(key)
        if found is None or found.model is not self.entity.model:
            abort(404)
        return found

    def ledger_url(self, ledger: Ledger) -> str:
        """The ledger's download with the list's current query string (its filters and order)."""
        url = url_for(f"{self.endpoint}.ledger", key=ledger.key)
        query = request.query_string.decode("utf-8", "replace")
        return f"{url}?{query}" if query else url

    @expose("/ledger/<key>/")
    @has_access
    def ledger(self, key):
        found = self._found(key)
        if found.is_report:
            return self._report_export(found)
        name = f"{found.title}-{today_cn():%Y%m%d}.xlsx"
        query, _left_out = self.exportable(found.narrow(self.export_query()), count=False)
        if runner.more_rows_than(query, current_app.config["EXPORT_JOB_ROWS"]):
            return runner.start(self, kind="ledger", key=key, title=name)
        path, _count = self.ledger_file(found)
        return send_xlsx(path, name)

    def ledger_file(self, ledger: Ledger, progress=None) -> tuple[str, int]:
        """Write the ledger of the filtered list and audit it: (path, detail rows)."""
        query, left_out = self.exportable(ledger.narrow(self.export_query()))
        unmasked = can_see_sensitive()
        line = subtitle(self)
        if left_out:          # the file says so, on the line under its title
            line = _join([line, left_out_message(left_out)])
        path, count = write_ledger(ledger, runner.counting(query, progress), subtitle=line, unmasked=unmasked)
        self._audit_ledger(ledger, count, unmasked, internal=self.internal_audit(left_out))
        if left_out:
            flash(left_out_message(left_out), "warning")
        return path, count

    @expose("/report/<key>/")
    @has_access
    def report(self, key):
        """A report ledger's page: its parameters, a line of counts, its rows."""
        from app.ledgers.columns import page_cells

        found = self._found(key)
        if not found.is_report:
            abort(404)
        values, errors = found.read_params(request.args)
        rows = [] if errors else list(found.report(**values))
        export_url = None
        if self.can("export"):
            export_url = f"{url_for(f'{self.endpoint}.ledger', key=key)}?{report_query(found, values)}"
        print_url = f"{url_for(f'{self.endpoint}.report_print', key=key)}?{report_query(found, values)}"
        return self.render_template(
            "office/ledgers/report.html", title=found.title_for(values), ledger=found, values=values,
            errors=errors, rows=rows, headers=page_cells(found), export_url=export_url, print_url=print_url,
            caption=None if errors or found.caption is None else found.caption(rows))

    @expose("/report/<key>/print")
    @has_access
    def report_print(self, key):
        """A report ledger on an A4 sheet for the parameters chosen: its title, the line of
        counts and the table, headed with the office's name and stamped with who printed it and
        when; audited like its export. A refused parameter goes back to the page."""
        from app.ledgers.columns import page_cells

        found = self._found(key)
        if not found.is_report:
            abort(404)
        values, errors = found.read_params(request.args)
        query = report_query(found, values)
        if errors:
            return redirect(f"{url_for(f'{self.endpoint}.report', key=key)}?{request.query_string.decode()}")
        rows = list(found.report(**values))
        session = self.datamodel.session
        record_act(session, "EXPORT", self.entity.name,
                   detail=coded("ledger_print", ledger=found.key, rows=len(rows), filters=query or "—"))
        session.commit()
        return self.render_template(
            "office/ledgers/report_print.html", title=found.title_for(values), ledger=found, rows=rows,
            headers=page_cells(found), params=describe_params(found, values) if found.params else "",
            caption=None if found.caption is None else found.caption(rows),
            back_url=f"{url_for(f'{self.endpoint}.report', key=key)}?{query}",
            printed_at=now_cn(), printed_by=getattr(g.user, "username", ""))

    def _report_export(self, ledger: Ledger):
        values, errors = ledger.read_params(request.args)
        if errors:      # nothing written: the page says what was refused
            query = request.query_string.decode("utf-8", "replace")
            return redirect(f"{url_for(f'{self.endpoint}.report', key=ledger.key)}?{query}")
        title = ledger.title_for(values)
        path, count = write_ledger(ledger, ledger.report(**values), subtitle=report_subtitle(ledger, values),
                                   unmasked=False, title=title)
        self._audit_ledger(ledger, count, False, filters=report_query(ledger, values))
        return send_xlsx(path, f"{title}-{today_cn():%Y%m%d}.xlsx")

    def _audit_ledger(self, ledger: Ledger, count: int, unmasked: bool, filters: str | None = None,
                      internal: dict | None = None) -> None:
        names = [c for c in ledger.columns if isinstance(c, str)]
        if filters is None:
            filters = request.query_string.decode("utf-8", "replace")
        detail = coded("ledger_export", ledger=ledger.key, rows=count, filters=filters or "—",
                       unmasked=bool(unmasked and set(names) & set(sensitive_columns(ledger.model))),
                       **(internal or {}))
        session = self.datamodel.session
        record_act(session, "EXPORT", self.entity.name, detail=detail)
        session.commit()
