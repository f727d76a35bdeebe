"""Time limits (SLA tables), the work calendar and the numbering series in the console.

The SLA tables and the calendar are the work panel's configuration entities: their
console screens take columns, filters and order from the entity's `register(...)`
declaration, so nothing is declared twice. Every save goes through the ORM session, so
the audit trail records it and the calendar cache (models/calendar.py) drops at once.
"""
from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.contrib.sqla.validators import Unique
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import exists, select
from wtforms.validators import ValidationError

from app.console.base import ConsoleModelView, Link
from app.downloads import send_xlsx
from app.registry.introspect import kind_of
from app.registry.spec import REGISTRY
from models.base import today_cn
from models.calendar import WorkCalendar, forget_calendar
from models.lookups import lookup_label
from models.numbering import DEFAULT_FORMAT, NumberSeries, format_problems, render

#: Problems of an uploaded calendar listed on the page.
SHOWN_PROBLEMS = 200


class RegisteredTableView(ConsoleModelView):
    """A configuration entity of the registry, as its declaration lists and searches it."""

    def __init__(self, model, db, **kwargs):
        entity = REGISTRY[model]
        self.column_list = list(entity.list)
        self.form_columns = list(entity.form_fields)
        searchable = entity.search if entity.search is not None else entity.list
        self.column_filters = [n for n in searchable if kind_of(model, n) not in ("computed", "relations", "text")]
        self.column_sortable_list = [n for n in (entity.order or entity.list) if kind_of(model, n) != "computed"]
        if entity.base_order:
            self.column_default_sort = (entity.base_order[0], entity.base_order[1] == "desc")
        super().__init__(model, db, **kwargs)


class SLAView(RegisteredTableView):
    column_editable_list = ["active"]
    intro = _l("Time limits apply to the next record they are computed for; an empty key matches every value, "
               "and where several rows match, the tightest limit wins.")

    def __init__(self, model, db, **kwargs):
        self.column_formatters = {attr: _any_or_label(category) for attr, category in model.SLA_KEYS}
        super().__init__(model, db, **kwargs)


def _any_or_label(category: str):
    """An empty key of a time limit matches every value: say so."""
    def fmt(_view, _context, model, name):
        code = getattr(model, name)
        return lookup_label(category, code) if code else Markup('<span class="text-muted">{}</span>').format(
            _l("Any value"))
    return fmt


class FunctionOwnerView(RegisteredTableView):
    """Which units run which function: their users see every record of it (app/registry/scope.py)."""

    intro = _l("The users of an owning unit, and of the units under it, see and work every record of the "
               "function, whichever unit leads it. Other users see their own unit's records. A user's unit is "
               "set on his account (Security → Users). A change applies from the user's next page.")


class UnitAliasView(RegisteredTableView):
    """The other names of units an Excel import accepts (models/org.py)."""

    intro = _l("An import accepts a unit by its name, its short name or its code, with or without the 厦门市 "
               "prefix, and by the other names listed here: the names ledgers use (市发展改革委, 思明区). An edit "
               "applies to the next import.")


class WorkCalendarView(RegisteredTableView):
    """Holidays and make-up working days; a whole year at once from an Excel file."""

    intro = _l("Only the exceptions are listed: Monday to Friday are working days and weekends are days off "
               "unless a row here says otherwise. Enter each year's State Council notice when it is published "
               "(usually in November), by hand or from an Excel file.")

    def __init__(self, db, **kwargs):
        super().__init__(WorkCalendar, db, **kwargs)

    def extra_links(self) -> list[Link]:
        return [Link(url_for(".import_year"), _l("Import a year from Excel"), "fa-upload", "calendar-import")]

    def create_form(self, obj=None):
        return _own_day_check(super().create_form(obj))

    def edit_form(self, obj=None):
        return _own_day_check(super().edit_form(obj))

    def check(self, model: WorkCalendar, is_created: bool) -> None:
        """One row per day; a day whose row is in the work panel's trash says so (flask-admin's
        own check would only say "already exists" of a row the console does not show)."""
        if model.day is None:
            return
        with self.db_session.no_autoflush:
            clash = self.db_session.scalar(select(WorkCalendar.is_deleted).where(
                WorkCalendar.day == model.day, WorkCalendar.id != (model.id or 0)))
        if clash is True:
            raise ValidationError(gettext("The work panel's trash holds a calendar row for %(day)s: restore it "
                                          "there, or delete it for good first.", day=model.day.isoformat()))
        if clash is False:
            raise ValidationError(gettext("The calendar already has a row for %(day)s: edit that one.",
                                          day=model.day.isoformat()))

    def after_model_change(self, form, model, is_created: bool) -> None:
        forget_calendar()

    def after_model_delete(self, model) -> None:
        forget_calendar()

    @expose("/import/", methods=["GET", "POST"])
    def import_year(self):
        """The work panel's importer (same checks, same report, all rows or none)."""
        from app.importer import import_file

        result = None
        if request.method == "POST":
            upload = request.files.get("file")
            if upload is None or not upload.filename:
                flash(gettext("Choose the Excel file to import."), "warning")
            else:
                result = import_file(REGISTRY[WorkCalendar], upload.read(), upload.filename, self.db_session,
                                     check_only=bool(request.form.get("check_only")))
                forget_calendar()
                if result.ok and not result.checked_only:
                    flash(gettext("Imported %(rows)d records from %(file)s.", rows=result.created,
                                  file=result.filename), "success")
                    return redirect(url_for(".index_view"))
        return self.render("console/calendar_import.html", result=result, shown=SHOWN_PROBLEMS,
                           this_year=today_cn().year)

    @expose("/import/template/")
    def import_template(self):
        from app.importer import build_template

        path = build_template(REGISTRY[WorkCalendar])
        name = gettext("Import template - %(title)s", title=str(REGISTRY[WorkCalendar].title))
        return send_xlsx(path, f"{name}.xlsx")


def _own_day_check(form):
    form.day.validators = [v for v in form.day.validators if not isinstance(v, Unique)]
    return form


def _preview(_view, _context, model: NumberSeries, _name):
    return Markup("<code>{}</code>").format(render(model.format, model.prefix, model.year, model.next_number))


class NumberSeriesView(ConsoleModelView):
    column_list = ["key", "prefix", "year", "next_number", "format", "preview", "active", "note"]
    form_columns = ["key", "prefix", "year", "next_number", "format", "active", "note"]
    column_labels = {"preview": _l("Next number as printed")}
    column_editable_list = ["next_number", "active"]
    column_searchable_list = ["key", "prefix"]
    column_filters = ["key", "year", "active"]
    column_sortable_list = ["key", "prefix", "year", "next_number", "active"]
    column_default_sort = [("key", False), ("year", True)]
    column_formatters = {"preview": _preview}
    readonly_on_edit = ("key", "year")
    form_args = {"format": {"default": DEFAULT_FORMAT}, "next_number": {"default": 1},
                 "year": {"default": lambda: today_cn().year}}
    intro = _l("One series per key and year. Outgoing documents are numbered from the series of their agency "
               "prefix (e.g. 厦府); a series opens by itself on its first number of the year, after the highest "
               "number already used. A switched-off series gives no numbers.")

    def __init__(self, db, **kwargs):
        super().__init__(NumberSeries, db, **kwargs)

    def check(self, model: NumberSeries, is_created: bool) -> None:
        problems = format_problems(model.format)
        if model.next_number is None or model.next_number < 1:
            problems.append(gettext("The next number is at least 1."))
        if is_created:
            model.key, model.prefix = (model.key or "").strip(), (model.prefix or "").strip() or (model.key or "")
            with self.db_session.no_autoflush:
                if self.db_session.scalar(select(exists().where(NumberSeries.key == model.key,
                                                             NumberSeries.year == model.year))):
                    problems.append(gettext("The series %(key)s %(year)s exists already: edit it.",
                                            key=model.key, year=model.year))
        if problems:
            raise ValidationError(" ".join(problems))
