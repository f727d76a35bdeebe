"""A paper form as a file to download — PDF and Word — made from the same drawn layout the
browser prints (app/paper_forms/layouts.py), read back by app/paper_forms/sheet.py: an admin's
changed layout changes the sheet, the PDF and the Word file alike.

Both files carry the sheet's head as the print view draws it (the secrecy marking top left
for a record 内部 and above, the office's name, the form's title in red 黑体), the page of
print.css (A4; margins 20, 18, 20, 20 mm) and the form's tables ruled in red (a list of units
in black), labels bold and centred, the cells where a leader writes at least 30 mm high.

The PDF embeds the free CJK TrueType faces of app/paper/pdf_fonts.py (PaperFontsMissing when
they are not installed; the route says so and offers the Word file); the Word file names the
office's own faces (仿宋_GB2312, 黑体, 楷体_GB2312), East Asian font included, as
app/paper/docx_writer.py does.
"""
from __future__ import annotations

import io
import re
from xml.sax.saxutils import escape

from docx import Document as new_docx
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from flask import g
from flask_babel import gettext
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Spacer, TableStyle
from reportlab.platypus import Paragraph as PdfParagraph
from reportlab.platypus import Table as PdfTable
from reportlab.platypus.doctemplate import LayoutError

from app.paper.docx_writer import set_fonts
from app.paper.pdf_fonts import font_name
from app.paper_forms import layouts
from app.paper_forms.sheet import Cell, NumberedList, Paragraph, Table, read
from app.paper_forms.values import secrecy_marking
from models.base import now_cn

#: The formats a form is written in.
FORMATS = ("pdf", "docx")
#: print.css's @page margins (top, right, bottom, left), in mm.
MARGINS = (20, 18, 20, 20)
PAGE_MM = (210, 297)
TEXT_WIDTH_MM = PAGE_MM[0] - MARGINS[1] - MARGINS[3]
TALL_MM = 30
#: print.css's red of the form's rules and title (#c00), and its black.
RED_HEX, BLACK_HEX = "CC0000", "000000"
#: The office's faces in the Word file.
WORD_BODY, WORD_HEADING, WORD_SIGN = "仿宋_GB2312", "黑体", "楷体_GB2312"
#: Sizes (pt): body, a heading, small print, the matter's title, the addressee, the sheet's head.
BODY_PT, HEADING_PT, SMALL_PT, BIG_PT, ORG_PT, TITLE_PT, SECRECY_PT = 12, 14, 10.5, 14, 13, 22, 14
ROLE_PT = {"plain": BODY_PT, "center": 11, "name": 13, "right": 13, "indent": 13, "heading": HEADING_PT,
           "small": SMALL_PT}


def filename(title: str, label: str, fmt: str) -> str:
    """<form title>-<record label>.<ext>, without the characters a file system refuses."""
    name = "-".join(part for part in (title.strip(), label.strip()) if part) or "form"
    return re.sub(r'[\\/:*?"<>|\r\n\t]+', "", name)[:120] + f".{fmt}"


def render_form(session, paper, record, fmt: str) -> tuple[bytes, str]:
    """The form `paper` filled from `record`, drawn by the layout in force and written as
    `fmt` ('pdf' or 'docx'), with its file name."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown form format {fmt!r}: one of {', '.join(FORMATS)}")
    blocks = read(layouts.draw(session, paper.key, paper.fill(record)))
    title = str(paper.title)
    user = getattr(g, "user", None)
    head = {"org": gettext("General Office of the Xiamen Municipal People's Government"), "title": title,
            "secrecy": secrecy_marking(record),
            "printed": gettext("Printed by %(user)s at %(at)s from the office's admin panel",
                               user=getattr(user, "username", "") or "", at=f"{now_cn():%Y-%m-%d %H:%M}")}
    data = write_pdf(head, blocks) if fmt == "pdf" else write_docx(head, blocks)
    return data, filename(title, str(record), fmt)


# --- PDF ------------------------------------------------------------------------------------------
class _PdfStyles:
    """The sheet's paragraph styles, in the registered CJK faces (wrapping between any two
    CJK characters)."""

    def __init__(self):
        self.song, self.hei, self.kai = font_name("fangsong"), font_name("heiti"), font_name("kaiti")
        self.cache: dict[tuple, ParagraphStyle] = {}

    def get(self, role: str, *, cell: Cell | None = None, ruled_list: bool = False) -> ParagraphStyle:
        header = cell is not None and cell.header
        key = (role, header, bool(cell and cell.big), ruled_list, cell is None)
        if key not in self.cache:
            size = ROLE_PT.get(role, BODY_PT) if cell is None else (SMALL_PT if role == "small" else BODY_PT)
            font = self.hei if role == "heading" else self.kai if role == "right" and cell is not None else self.song
            align = {"center": TA_CENTER, "name": TA_CENTER, "right": TA_RIGHT}.get(role, TA_LEFT)
            if header:
                font, align = self.hei, TA_LEFT if ruled_list else TA_CENTER
            if cell is not None and cell.big:
                font, size = self.hei, BIG_PT
            indent = size * 2 if role == "indent" else 0
            leading = size * (1.8 if role in ("indent", "right") and cell is None else 1.45)
            # a right-aligned line may hang its closing mark (）。) past its width: room for it in the cell
            hang = size if align == TA_RIGHT and cell is not None else 0
            self.cache[key] = ParagraphStyle(
                f"form-{len(self.cache)}", fontName=font, fontSize=size, leading=leading, alignment=align,
                firstLineIndent=indent, wordWrap="CJK", leftIndent=hang,
                spaceBefore=(5 * mm if role == "heading" else 0) if cell is None else 0,
                spaceAfter=(2 * mm if cell is None else 1 * mm))
        return self.cache[key]


def _paragraphs(block: Paragraph) -> list[str]:
    """An indented block's lines each as a paragraph of its own (each indented, as the office
    writes a text's paragraphs); another block's lines stay together."""
    if block.role != "indent":
        return [block.text]
    return [line for line in block.text.split("\n") if line.strip()]


def _markup(text: str) -> str:
    return escape(text).replace("\n", "<br/>")


def _pdf_table(table: Table, styles: _PdfStyles, *, split_rows: bool):
    columns = table.columns
    widths = [w * TEXT_WIDTH_MM * mm for w in table.widths] if len(table.widths) == columns \
        else [TEXT_WIDTH_MM * mm / columns] * columns
    rule = colors.black if table.ruled_list else colors.HexColor(f"#{RED_HEX}")
    commands = [("GRID", (0, 0), (-1, -1), 0.5, rule), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2.5 * mm), ("RIGHTPADDING", (0, 0), (-1, -1), 2.5 * mm),
                ("TOPPADDING", (0, 0), (-1, -1), 2 * mm), ("BOTTOMPADDING", (0, 0), (-1, -1), 2 * mm)]
    data, heights = [], []
    for r, row in enumerate(table.rows):
        cells: list = []
        tall = False
        for cell in row:
            c = len(cells)
            if c >= columns:
                break
            span = min(cell.colspan, columns - c)
            cells.append([PdfParagraph(_markup(line.text), styles.get(line.role, cell=cell,
                                                                      ruled_list=table.ruled_list))
                          for line in cell.lines] or "")
            cells.extend([""] * (span - 1))
            if span > 1:
                commands.append(("SPAN", (c, r), (c + span - 1, r)))
            if cell.header and not table.ruled_list:
                commands.append(("VALIGN", (c, r), (c, r), "MIDDLE"))
            tall = tall or cell.tall
        cells.extend([""] * (columns - len(cells)))
        data.append(cells)
        heights.append(TALL_MM * mm if tall else 0)
    return PdfTable(data, colWidths=widths, minRowHeights=heights, style=TableStyle(commands),
                    splitInRow=1 if split_rows else 0,
                    spaceAfter=4 * mm, hAlign="LEFT")


def write_pdf(head: dict, blocks: list) -> bytes:
    """The form's PDF: a table row moves whole to the next page (a label and its value stay
    together); only a row taller than a page is split within."""
    try:
        return _write_pdf(head, blocks, split_rows=False)
    except LayoutError:
        return _write_pdf(head, blocks, split_rows=True)


def _write_pdf(head: dict, blocks: list, *, split_rows: bool) -> bytes:
    styles = _PdfStyles()
    story = []
    if head["secrecy"]:
        story.append(PdfParagraph(_markup(head["secrecy"]), ParagraphStyle(
            "secrecy", fontName=styles.hei, fontSize=SECRECY_PT, leading=SECRECY_PT * 1.3)))
    story.append(PdfParagraph(_markup(head["org"]), ParagraphStyle(
        "org", fontName=styles.song, fontSize=ORG_PT, leading=ORG_PT * 1.5, alignment=TA_CENTER, wordWrap="CJK")))
    story.append(PdfParagraph(_markup(head["title"]), ParagraphStyle(
        "title", fontName=styles.hei, fontSize=TITLE_PT, leading=TITLE_PT * 1.3, alignment=TA_CENTER,
        textColor=colors.HexColor(f"#{RED_HEX}"), spaceBefore=2 * mm, spaceAfter=6 * mm, wordWrap="CJK")))
    for block in blocks:
        if isinstance(block, Table):
            story.append(_pdf_table(block, styles, split_rows=split_rows))
        elif isinstance(block, NumberedList):
            style = styles.get("indent")
            listed = ParagraphStyle("list", parent=style, firstLineIndent=0, leftIndent=2 * BODY_PT)
            story.extend(PdfParagraph(_markup(f"{n}. {item}"), listed) for n, item in enumerate(block.items, 1))
            story.append(Spacer(0, 2 * mm))
        else:
            story.extend(PdfParagraph(_markup(text), styles.get(block.role)) for text in _paragraphs(block))
    buffer = io.BytesIO()
    top, right, bottom, left = MARGINS
    frame = Frame(left * mm, bottom * mm, A4[0] - (left + right) * mm, A4[1] - (top + bottom) * mm,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)     # the margins are the text's own
    doc = BaseDocTemplate(buffer, pagesize=A4, topMargin=top * mm, rightMargin=right * mm, bottomMargin=bottom * mm,
                          leftMargin=left * mm, title=head["title"], author=head["org"],
                          pageTemplates=[PageTemplate("sheet", frames=[frame],
                                                      onPage=lambda canvas, d: _foot(canvas, d, head, styles))])
    doc.build(story)
    return buffer.getvalue()


# --- Word -----------------------------------------------------------------------------------------
def _word_run(paragraph, text: str, font: str, size: float, *, bold: bool = False, color: str | None = None):
    """`text` in `paragraph`, its line breaks kept."""
    for n, part in enumerate(text.split("\n")):
        run = paragraph.add_run()
        if n:
            run.add_break()
        run.add_text(part)
        set_fonts(run._r, font)
        run.font.size = Pt(size)
        run.bold = bold or None
        if color:
            run.font.color.rgb = RGBColor.from_string(color)


def _word_paragraph(container, text: str, role: str, *, size: float | None = None, font: str | None = None,
                    bold: bool = False, color: str | None = None, in_cell: bool = False):
    paragraph = container.add_paragraph()
    size = size or (BODY_PT if in_cell and role != "small" else ROLE_PT.get(role, BODY_PT))
    font = font or (WORD_HEADING if role == "heading" else WORD_SIGN if role == "right" and in_cell else WORD_BODY)
    paragraph.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "name": WD_ALIGN_PARAGRAPH.CENTER,
                           "right": WD_ALIGN_PARAGRAPH.RIGHT}.get(role, WD_ALIGN_PARAGRAPH.LEFT)
    fmt = paragraph.paragraph_format
    fmt.space_after = Pt(2 if in_cell else 4)
    if role == "indent":
        fmt.first_line_indent = Pt(size * 2)
    if role == "heading":
        fmt.space_before = Pt(12)
    _word_run(paragraph, text, font, size, bold=bold, color=color)
    return paragraph


def _word_borders(table, color: str) -> None:
    """Single 0.5 pt rules around and between every cell, in `color`."""
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        for attr, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", color)):
            edge.set(qn(attr), value)
        borders.append(edge)
    for old in tbl_pr.findall(qn("w:tblBorders")):
        tbl_pr.remove(old)
    later = {qn(f"w:{tag}") for tag in ("shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription")}
    anchor = next((child for child in tbl_pr if child.tag in later), None)
    if anchor is not None:
        anchor.addprevious(borders)
    else:
        tbl_pr.append(borders)


def _word_cell_margins(table) -> None:
    """print.css's cell padding: 2 mm above and below, 2.5 mm either side."""
    tbl_pr = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side, length in (("top", 2), ("left", 2.5), ("bottom", 2), ("right", 2.5)):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), str(round(length / 25.4 * 1440)))
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    for old in tbl_pr.findall(qn("w:tblCellMar")):
        tbl_pr.remove(old)
    later = {qn(f"w:{tag}") for tag in ("tblLook", "tblCaption", "tblDescription")}
    anchor = next((child for child in tbl_pr if child.tag in later), None)
    if anchor is not None:
        anchor.addprevious(margins)
    else:
        tbl_pr.append(margins)


def _word_table(doc, table: Table) -> None:
    columns = table.columns
    widths = table.widths if len(table.widths) == columns else [1 / columns] * columns
    word = doc.add_table(rows=len(table.rows), cols=columns)
    word.alignment = WD_TABLE_ALIGNMENT.CENTER
    word.autofit = False
    _word_borders(word, BLACK_HEX if table.ruled_list else RED_HEX)
    _word_cell_margins(word)
    for column, share in zip(word.columns, widths, strict=True):
        column.width = Mm(share * TEXT_WIDTH_MM)              # the grid Word and LibreOffice lay out by
    for r, row in enumerate(table.rows):
        c = 0
        for cell in row:
            if c >= columns:
                break
            span = min(cell.colspan, columns - c)
            target = word.cell(r, c)
            if span > 1:
                target = target.merge(word.cell(r, c + span - 1))
            target.width = Mm(sum(widths[c:c + span]) * TEXT_WIDTH_MM)
            _word_cell(target, cell, table.ruled_list)
            if cell.tall:
                word.rows[r].height = Mm(TALL_MM)
                word.rows[r].height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
            c += span
        for rest in range(c, columns):
            word.cell(r, rest).width = Mm(widths[rest] * TEXT_WIDTH_MM)
    doc.add_paragraph().paragraph_format.space_after = Pt(0)


def _word_cell(target, cell: Cell, ruled_list: bool) -> None:
    first = target.paragraphs[0]
    for line in cell.lines:
        role = "plain" if cell.header and not ruled_list else line.role
        paragraph = _word_paragraph(target, line.text, role, in_cell=True, bold=cell.header or cell.big,
                                    size=BIG_PT if cell.big else None,
                                    font=WORD_HEADING if cell.big else None)
        if cell.header and not ruled_list:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if cell.lines:                          # the cell's own empty paragraph is not needed then
        first._p.getparent().remove(first._p)
    if cell.header:
        target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _foot(canvas, doc, head: dict, styles: _PdfStyles) -> None:
    """Each page's foot, under the text: who printed it and when (as the print view's sheet
    says), and the page's number."""
    _top, right, bottom, left = MARGINS
    depth = bottom * mm / 2
    canvas.saveState()
    canvas.setFont(styles.song, 9)
    canvas.setFillColor(colors.HexColor("#555555"))
    if head.get("printed"):
        canvas.drawString(left * mm, depth, head["printed"])
    canvas.drawRightString(A4[0] - right * mm, depth, f"— {doc.page} —")
    canvas.restoreState()


def write_docx(head: dict, blocks: list) -> bytes:
    doc = new_docx()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.right_margin, section.bottom_margin, section.left_margin = (Mm(m) for m in MARGINS)
    normal = doc.styles["Normal"]
    set_fonts(normal.element, WORD_BODY)
    normal.font.size = Pt(BODY_PT)
    doc.core_properties.title = head["title"]
    doc.core_properties.author = head["org"]
    if head.get("printed"):                                      # as the sheet's and the PDF's foot say
        foot = section.footer.paragraphs[0]
        foot.text = head["printed"]
        foot.runs[0].font.size = Pt(9)
    body = doc.element.body
    for paragraph in list(doc.paragraphs):                      # the template's empty first paragraph
        body.remove(paragraph._p)
    if head["secrecy"]:
        _word_paragraph(doc, head["secrecy"], "plain", size=SECRECY_PT, font=WORD_HEADING)
    _word_paragraph(doc, head["org"], "center", size=ORG_PT)
    title = _word_paragraph(doc, head["title"], "center", size=TITLE_PT, font=WORD_HEADING, bold=True,
                            color=RED_HEX)
    title.paragraph_format.space_after = Pt(14)
    for block in blocks:
        if isinstance(block, Table):
            _word_table(doc, block)
        elif isinstance(block, NumberedList):
            for n, item in enumerate(block.items, 1):
                paragraph = _word_paragraph(doc, f"{n}. {item}", "plain", size=ROLE_PT["indent"])
                paragraph.paragraph_format.left_indent = Pt(2 * BODY_PT)
        elif isinstance(block, Paragraph):
            for text in _paragraphs(block):
                _word_paragraph(doc, text, block.role)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
