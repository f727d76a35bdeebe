"""The import template of an entity: what a clerk fills in, and how.

Sheet one holds the headers in the user's language (a required column is marked "*"
and coloured) with drop-downs for every lookup and yes/no column; sheet two explains
each column — required or not, the format, the allowed values — with an example.
The drop-down values live on a hidden sheet, since Excel limits an inline list to 255
characters.
"""
from __future__ import annotations

import tempfile

import xlsxwriter
from flask_babel import get_locale, gettext

from app.excel import _display_width
from app.importer.fields import ImportField, import_fields
from app.registry.spec import Entity
from models.lookups import lookup_table

TEMPLATE_ROWS = 100_000     # rows the drop-downs and formats cover


def locale_code() -> str:
    return "en" if str(get_locale() or "zh").startswith("en") else "zh"


def header_text(f: ImportField, locale: str) -> str:
    return f.header(locale) + (" *" if f.required else "")


def _choices(f: ImportField, locale: str) -> list[str]:
    rows = [r for r in lookup_table().get(f.category, []) if r.active]
    return [(r.label_en or r.label_zh) if locale == "en" else (r.label_zh or r.label_en) for r in rows]


def _format_hint(f: ImportField) -> str:
    hints = {
        "date": gettext("Date, e.g. 2026-03-01"),
        "datetime": gettext("Date and time, e.g. 2026-03-01 09:30"),
        "bool": gettext("Yes or No"),
        "int": gettext("Whole number"),
        "number": gettext("Number"),
        "lookup": gettext("One of the drop-down values (Chinese or English label, or the code)"),
        "relation": gettext("The record's code or name, as its list shows it"),
        "text": gettext("Text"),
    }
    if f.kind == "string":
        hint = gettext("Text, at most %(n)d characters", n=f.max_length) if f.max_length else gettext("Text")
    else:
        hint = hints.get(f.kind, "")
    if f.several:                       # a child column naming several records (协办单位)
        hint = gettext("%(hint)s; several separated by 、", hint=hint)
    return hint


def build_template(entity: Entity) -> str:
    """Write the template to a temporary file and return its path."""
    locale = locale_code()
    fields = import_fields(entity)
    handle = tempfile.NamedTemporaryFile(prefix="template-", suffix=".xlsx", delete=False)
    handle.close()
    wb = xlsxwriter.Workbook(handle.name, {"strings_to_formulas": False, "strings_to_urls": False})
    data = wb.add_worksheet(gettext("Data"))
    guide = wb.add_worksheet(gettext("Instructions"))
    lists = wb.add_worksheet("Lists")
    lists.hide()
    head = {"bold": True, "border": 1, "text_wrap": True, "valign": "vcenter"}
    fmt_required = wb.add_format({**head, "bg_color": "#F8CBAD"})
    fmt_optional = wb.add_format({**head, "bg_color": "#DCE6F1"})
    fmt_date = wb.add_format({"num_format": "yyyy-mm-dd"})
    fmt_datetime = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    fmt_text = wb.add_format({"num_format": "@"})
    list_col = 0
    for i, f in enumerate(fields):
        text = header_text(f, locale)
        cell_format = {"date": fmt_date, "datetime": fmt_datetime}.get(f.kind)
        if f.kind == "string":
            cell_format = fmt_text      # a leading zero or a long number stays as typed
        data.set_column(i, i, max(12, min(40, _display_width(text) + 4)), cell_format)
        data.write_string(0, i, text, fmt_required if f.required else fmt_optional)
        choices = _choices(f, locale) if f.kind == "lookup" else (
            [gettext("Yes"), gettext("No")] if f.kind == "bool" else [])
        if choices:
            for r, value in enumerate(choices):
                lists.write_string(r, list_col, value)
            letter = xlsxwriter.utility.xl_col_to_name(list_col)
            data.data_validation(1, i, TEMPLATE_ROWS, i, {
                "validate": "list", "source": f"=Lists!${letter}$1:${letter}${len(choices)}",
                "error_type": "warning", "error_title": text[:32],
                "error_message": gettext("Choose a value from the list.")})
            list_col += 1
    data.freeze_panes(1, 0)
    data.set_row(0, 30)

    guide.set_column(0, 0, 28)
    guide.set_column(1, 1, 10)
    guide.set_column(2, 2, 50)
    guide.set_column(3, 3, 60)
    title = wb.add_format({"bold": True, "font_size": 14})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    guide.write_string(0, 0, gettext("Import template: %(title)s", title=str(entity.title)), title)
    notes = [
        gettext("Fill in one record per row on the first sheet, from the second row on. Do not rename the headers."),
        gettext("Columns marked * are required. Dates as 2026-03-01; yes/no as Yes or No."),
        gettext("Every row is checked before anything is saved: if one row is wrong, nothing is imported and "
                "the report lists each wrong cell."),
    ]
    for r, note in enumerate(notes, start=1):
        guide.write_string(r, 0, note)
    top = len(notes) + 2
    columns = [gettext("Column"), gettext("Required field"), gettext("Format"), gettext("Allowed values")]
    for c, text in enumerate(columns):
        guide.write_string(top, c, text, fmt_optional)
    for r, f in enumerate(fields, start=top + 1):
        guide.write_string(r, 0, header_text(f, locale))
        guide.write_string(r, 1, gettext("Yes") if f.required else gettext("No"))
        guide.write_string(r, 2, _format_hint(f), wrap)
        if f.kind == "lookup":
            guide.write_string(r, 3, "、".join(_choices(f, locale)), wrap)
    wb.close()
    return handle.name
