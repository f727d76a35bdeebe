"""Documents that look like documents (issue 22): an outgoing document (发文) printed in the
national format GB/T 9704-2012 党政机关公文格式, as DOCX and PDF.

`render(document, fmt)` is the one entry point: the record is read once into a neutral
description of its parts (`outgoing.py`), which each writer lays out (`docx_writer.py`,
`pdf_writer.py`) by the standard's measures (`gbt9704.py`). A classified record prints as
its registration stub only.
"""
from __future__ import annotations

from app.paper.docx_writer import write_docx
from app.paper.office_layout import LayoutFile, OfficeLayout, in_force
from app.paper.outgoing import outgoing_paper
from app.paper.pdf_writer import write_pdf

#: The formats `render` writes, and their media types.
FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def render(document, fmt: str, layout: OfficeLayout | None = None) -> tuple[bytes, str]:
    """The file of an outgoing `Document` in `fmt` ('pdf' or 'docx') and its file name, in the
    office's `layout` — the one in force (console, app/paper/office_layout.py) when none is given."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown paper format {fmt!r}: one of {', '.join(FORMATS)}")
    if document.direction != "OUTGOING":
        raise ValueError("only an outgoing document (发文) is printed in the GB/T 9704 format")
    if layout is None:
        from app.extensions import db

        layout = in_force(db.session)
    paper = outgoing_paper(document, layout)
    if fmt == "pdf":
        return write_pdf(paper), f"{paper.filename}.pdf"
    return write_docx(paper), f"{paper.filename}.docx"


#: The console's handle on the office's layout of these files (Rules › Paper forms).
LAYOUT = LayoutFile(render)
