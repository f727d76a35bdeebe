"""The bad rows of a refused import, as a workbook the clerk corrects and uploads again:
his own columns and values, row numbers of the original file, and one column saying
what is wrong with each row."""
from __future__ import annotations

import os
import secrets
import time

import xlsxwriter
from flask import current_app
from flask_babel import gettext

from app.excel import _display_width
from app.importer.run import ImportResult

KEEP_SECONDS = 24 * 3600


def report_dir() -> str:
    path = current_app.config["IMPORT_REPORT_DIR"]
    os.makedirs(path, exist_ok=True)
    return path


def _sweep(directory: str) -> None:
    """Reports are for the clerk correcting his file today, not an archive."""
    limit = time.time() - KEEP_SECONDS
    for name in os.listdir(directory):
        path = os.path.join(directory, name)
        try:
            if os.path.getmtime(path) < limit:
                os.unlink(path)
        except OSError:
            pass


def write_report(result: ImportResult) -> str:
    """Write the report; returns its token (the file name without extension)."""
    directory = report_dir()
    _sweep(directory)
    token = secrets.token_urlsafe(16)
    wb = xlsxwriter.Workbook(os.path.join(directory, f"{token}.xlsx"),
                             {"strings_to_formulas": False, "strings_to_urls": False, "remove_timezone": True})
    ws = wb.add_worksheet(gettext("Data"))
    head = wb.add_format({"bold": True, "border": 1, "bg_color": "#DCE6F1", "text_wrap": True})
    err_head = wb.add_format({"bold": True, "border": 1, "bg_color": "#F8CBAD"})
    err = wb.add_format({"font_color": "#C00000", "text_wrap": True})
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    headers = ["" if h is None else str(h) for h in result.headers]
    ws.write_string(0, 0, gettext("Row in your file"), head)
    ws.set_column(0, 0, 10)
    for c, text in enumerate(headers, start=1):
        ws.write_string(0, c, text, head)
        ws.set_column(c, c, max(10, min(40, _display_width(text) + 4)))
    last = len(headers) + 1
    ws.write_string(0, last, gettext("What is wrong"), err_head)
    ws.set_column(last, last, 60)
    for r, (number, cells, found) in enumerate(result.bad_rows, start=1):
        ws.write_number(r, 0, number)
        for c, value in enumerate(cells[:len(headers)], start=1):
            if value in ("", None):
                continue
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                ws.write_number(r, c, value)
            elif hasattr(value, "year"):
                ws.write_datetime(r, c, value, date)
            else:
                ws.write_string(r, c, str(value))
        reasons = "; ".join(f"{p.column}: {p.reason}" if p.column else p.reason for p in found)
        ws.write_string(r, last, reasons, err)
    ws.freeze_panes(1, 1)
    ws.autofilter(0, 0, max(len(result.bad_rows), 1), last)
    wb.close()
    return token


def report_path(token: str) -> str | None:
    """The report's file for a token this server issued, or None."""
    if not token or not all(ch.isalnum() or ch in "-_" for ch in token):
        return None
    path = os.path.join(report_dir(), f"{token}.xlsx")
    return path if os.path.exists(path) else None
