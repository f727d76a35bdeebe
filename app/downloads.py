"""Sending a generated file: every export, ledger, template and report is written to a
temporary file (xlsxwriter's constant_memory mode needs a file) and removed once sent; a
small one made in memory (a paper form's layout, a printed document) is sent as it is."""
from __future__ import annotations

import io
import os

from flask import after_this_request, send_file

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def send_xlsx(path: str, filename: str, *, remove: bool = True):
    """`path` as a download named `filename`; the file is deleted after the response
    unless `remove` is False (a report the user may fetch again)."""
    if remove:
        @after_this_request
        def _cleanup(response):
            try:
                os.unlink(path)
            except OSError:
                pass
            return response

    return send_file(path, as_attachment=True, download_name=filename, mimetype=XLSX)


def send_bytes(data: bytes, filename: str, mimetype: str):
    """`data` as a download named `filename`."""
    return send_file(io.BytesIO(data), as_attachment=True, download_name=filename, mimetype=mimetype)
