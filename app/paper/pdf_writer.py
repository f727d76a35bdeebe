"""An `OutgoingPaper` as a PDF laid out by GB/T 9704-2012, with reportlab.

Every character is set in a cell of the standard's grid — 22 lines of 28 characters in the
156 × 225 mm 版心 — so the PDF prints exactly as the standard measures it whatever fonts a
reader has; the fonts are embedded (app/paper/pdf_fonts.py says which and why). Depths are
measured down from the page's top edge in points and turned into PDF's upward y when drawn.
"""
from __future__ import annotations

import io
import math

from reportlab.pdfgen import canvas

from app.paper import gbt9704 as std
from app.paper.lines import Glyph, break_lines, sealed_columns, signature_columns, text_cells, title_lines
from app.paper.outgoing import OutgoingPaper
from app.paper.pdf_fonts import STROKED, ascent_descent, font_name, width

PAGE_W = std.mm_to_pt(std.PAGE_WIDTH)
PAGE_H = std.mm_to_pt(std.PAGE_HEIGHT)
LEFT = std.mm_to_pt(std.MARGIN_LEFT)
RIGHT = LEFT + std.mm_to_pt(std.TEXT_WIDTH)
TOP = std.mm_to_pt(std.MARGIN_TOP)
BOTTOM = TOP + std.mm_to_pt(std.TEXT_HEIGHT)      # the 版心's bottom edge, as a depth
PITCH = std.LINE_PITCH_PT
CELL = std.CHAR_PITCH_PT
RED = tuple(c / 255 for c in std.ISSUER_MARK_RGB)
BLACK = (0, 0, 0)


class _Pages:
    """The canvas, the page being filled and the next free line of its grid."""

    def __init__(self, paper: OutgoingPaper):
        self.buffer = io.BytesIO()
        self.canvas = canvas.Canvas(self.buffer, pagesize=(PAGE_W, PAGE_H), invariant=True)
        self.canvas.setTitle(paper.title)
        self.canvas.setSubject(paper.doc_no)
        self.canvas.setAuthor("、".join(paper.issuers))
        self.paper = paper
        self.page = 1
        self.line = 0
        self.unnumbered: set[int] = set()       # a blank page before the 版记 and the 版记's page (7.5)

    # --- drawing
    def text(self, x: float, depth: float, text: str, face: str, size: float, color=BLACK) -> None:
        """`text` with its baseline at `depth`."""
        c = self.canvas
        stroke = STROKED.get(face)
        c.saveState()
        c.setFillColorRGB(*color)
        c.setStrokeColorRGB(*color)
        c.setLineWidth(size * (stroke or 0))
        obj = c.beginText(x, PAGE_H - depth)
        obj.setFont(font_name(face), size)
        obj.setTextRenderMode(2 if stroke else 0)
        obj.textOut(text)
        c.drawText(obj)
        c.restoreState()

    def rule(self, depth: float, thickness_mm: float, color=BLACK) -> None:
        """A line across the 版心 centred on `depth`."""
        c = self.canvas
        c.setStrokeColorRGB(*color)
        c.setLineWidth(std.mm_to_pt(thickness_mm))
        c.line(LEFT, PAGE_H - depth, RIGHT, PAGE_H - depth)

    @staticmethod
    def baseline(band_top: float, face: str, size: float, band: float = PITCH) -> float:
        """The baseline that centres a line of `face` at `size` in a band of the grid."""
        ascent, descent = ascent_descent(face, size)
        return band_top + band / 2 + (ascent + descent) / 2

    def glyphs(self, line: int, glyphs: list[Glyph], size: float = std.BODY_PT, x0: float = LEFT,
               cell: float = CELL, color=BLACK) -> None:
        """One line of the grid: each glyph in its cell."""
        band_top = TOP + line * PITCH
        for glyph in glyphs:
            depth = self.baseline(band_top, glyph.face, size)
            self.text(x0 + glyph.cell * cell, depth, glyph.char, glyph.face, size, color)

    # --- the flow of lines
    def take(self, count: int = 1) -> int:
        """The first of `count` free lines kept on one page (a new page when they do not fit)."""
        if self.line + count > std.LINES_PER_PAGE:
            self.next_page()
        first = self.line
        self.line += count
        return first

    def skip(self, count: int = 1) -> None:
        """Blank lines; none at the top of a page."""
        if self.line:
            self.line = min(self.line + count, std.LINES_PER_PAGE)

    def lines(self, lines: list[list[Glyph]], keep_together: bool = False) -> None:
        if keep_together and lines:
            first = self.take(len(lines))
            for i, glyphs in enumerate(lines):
                self.glyphs(first + i, glyphs)
            return
        for glyphs in lines:
            self.glyphs(self.take(), glyphs)

    def page_number(self) -> None:
        """7.5: `— n —` in 4号 宋体, its dashes 7 mm below the 版心; odd pages right, even left,
        one character in from the side."""
        if self.page in self.unnumbered:
            return
        text = self.paper.layout.page_number_text(self.page)
        size = std.SMALL_PT
        inset = std.PAGE_NUMBER_SIDE_CHARS * size
        x = RIGHT - inset - width(text, "songti", size) if self.page % 2 else LEFT + inset
        centre = BOTTOM + std.mm_to_pt(std.PAGE_NUMBER_BELOW_TEXT)
        ascent, descent = ascent_descent("songti", size)
        self.text(x, centre + (ascent + descent) / 2, text, "songti", size)

    def next_page(self) -> None:
        self.page_number()
        self.canvas.showPage()
        self.page += 1
        self.line = 0

    def finish(self) -> bytes:
        self.page_number()
        self.canvas.showPage()
        self.canvas.save()
        return self.buffer.getvalue()


# --- 版头 (7.2) -----------------------------------------------------------------------------------
def _marks(pages: _Pages, paper: OutgoingPaper) -> None:
    """份号, 密级和保密期限, 紧急程度: top left of the 版心, one a line, in that order."""
    for mark in (paper.copy_no, paper.secrecy, paper.urgency):
        if mark:
            pages.glyphs(pages.take(), break_lines([(mark, "heiti")], std.CHARS_PER_LINE)[0])


def _issuer_mark(pages: _Pages, paper: OutgoingPaper) -> float:
    """The red 发文机关标志 (7.2.4), its top 35 mm below the 版心's top; returns its bottom
    depth. Joint issuers stack, each name spread to the longest's width, 文件 beside them."""
    top = TOP + std.mm_to_pt(std.ISSUER_MARK_TOP)
    room = std.mm_to_pt(std.ISSUER_MARK_MAX_WIDTH)
    if not paper.issuers:           # no issuer on record: no mark, the rest keeps its place
        return top
    if len(paper.issuers) == 1:
        mark = paper.mark
        size = min(std.ISSUER_MARK_MAX_PT, room / text_cells(mark))
        ascent, descent = ascent_descent("xiaobiaosong", size)
        x = LEFT + (RIGHT - LEFT - size * text_cells(mark)) / 2
        _space_out(pages, x, top + ascent, mark, size, size * text_cells(mark))
        return top + ascent - descent
    longest = max(text_cells(name) for name in paper.issuers)
    word = paper.layout.joint_mark_word
    beside = text_cells(word) + 0.5 if word else 0.0
    size = min(std.JOINT_MARK_MAX_PT, room / (longest + beside))
    ascent, descent = ascent_descent("xiaobiaosong", size)
    row = (ascent - descent) * 1.15
    names_width = size * longest
    x = LEFT + (RIGHT - LEFT - names_width - beside * size) / 2
    for i, name in enumerate(paper.issuers):
        _space_out(pages, x, top + ascent + i * row, name, size, names_width)
    block = row * (len(paper.issuers) - 1) + ascent - descent
    middle = top + block / 2
    if word:
        pages.text(x + names_width + 0.5 * size, middle + (ascent + descent) / 2, word, "xiaobiaosong", size, RED)
    return top + block


def _space_out(pages: _Pages, x: float, depth: float, text: str, size: float, total: float) -> None:
    """`text` in red over `total` points: its characters in their cells (a half-width one in
    half a cell), the room left over spread evenly between them (a shorter joint issuer's name)."""
    if len(text) == 1:
        pages.text(x + (total - size) / 2, depth, text, "xiaobiaosong", size, RED)
        return
    gap = (total - text_cells(text) * size) / (len(text) - 1)
    for i, char in enumerate(text):
        pages.text(x + text_cells(text[:i]) * size + i * gap, depth, char, "xiaobiaosong", size, RED)


def _doc_no(pages: _Pages, paper: OutgoingPaper, mark_bottom: float) -> float:
    """发文字号 two lines below the mark (7.2.5), centred — or, on an upward document, one
    character from the left on the line of the last 签发人 (7.2.6: 签发人 one character from
    the right, two names a line, in 仿宋 and 楷体). Returns the baseline of the number."""
    size = std.BODY_PT
    band = mark_bottom + std.DOC_NO_LINES_BELOW_MARK * PITCH
    if not paper.upward or not paper.signers:
        depth = pages.baseline(band, "fangsong", size)
        x = LEFT + (RIGHT - LEFT - text_cells(paper.doc_no) * size) / 2
        pages.text(x, depth, paper.doc_no, "fangsong", size)
        return depth
    rows = [paper.signers[i:i + 2] for i in range(0, len(paper.signers), 2)]
    label = "签发人："
    row_width = max(sum(len(n) for n in row) + len(row) - 1 for row in rows)
    names_x = RIGHT - size - row_width * size
    for i, row in enumerate(rows):
        depth = pages.baseline(band + i * PITCH, "fangsong", size)
        if i == 0:
            pages.text(names_x - len(label) * size, depth, label, "fangsong", size)
        pages.text(names_x, depth, "\u3000".join(row), "kaiti", size)
    pages.text(LEFT + size, depth, paper.doc_no, "fangsong", size)
    return depth


def _head(pages: _Pages, paper: OutgoingPaper) -> None:
    """The 版头 and the red separator 4 mm below the 发文字号 (7.2.7); the title's line is the
    third line of the grid under the separator."""
    _marks(pages, paper)
    mark_bottom = _issuer_mark(pages, paper)
    baseline = _doc_no(pages, paper, mark_bottom)
    _ascent, descent = ascent_descent("fangsong", std.BODY_PT)
    separator = baseline - descent + std.mm_to_pt(std.SEPARATOR_BELOW_DOC_NO)
    pages.rule(separator, std.SEPARATOR_THICKNESS, RED)
    below = math.ceil((separator + std.mm_to_pt(std.SEPARATOR_THICKNESS) / 2 - TOP) / PITCH - 1e-6)
    pages.line = below + std.TITLE_LINES_BELOW_SEPARATOR


# --- 主体 (7.3) -----------------------------------------------------------------------------------
def _title(pages: _Pages, paper: OutgoingPaper) -> None:
    size = std.TITLE_PT
    for text in title_lines(paper.title, std.TITLE_CHARS_PER_LINE):
        line = pages.take()
        x = LEFT + (RIGHT - LEFT - len(text) * size) / 2
        pages.glyphs(line, [Glyph(i, char, "xiaobiaosong") for i, char in enumerate(text)], size, x, size)


def _body(pages: _Pages, paper: OutgoingPaper) -> None:
    width = std.CHARS_PER_LINE
    if paper.main_recipients:
        pages.skip()
        pages.lines(break_lines([(paper.main_recipients, "fangsong")], width))
    elif paper.title:
        pages.skip()
    faces = {0: "fangsong", 1: "heiti", 2: "kaiti", 3: "fangsong", 4: "fangsong"}
    for paragraph in paper.paragraphs:
        runs = [(paragraph.heading, faces[paragraph.level]), (paragraph.rest, "fangsong")]
        pages.lines(break_lines(runs, width, std.PARAGRAPH_INDENT_CHARS))


def _attachments(pages: _Pages, paper: OutgoingPaper) -> None:
    """7.3.4: one blank line, two characters in, 附件： and the names; a name's next line and
    the next name line up under the first name (its number)."""
    if not paper.attachments:
        return
    pages.skip()
    label = paper.layout.attachment_label
    start = std.PARAGRAPH_INDENT_CHARS + text_cells(label)
    for i, name in enumerate(paper.attachments):
        number = name.split(".", 1)[0] + "." if len(paper.attachments) > 1 else ""
        runs = [(label if i == 0 else "", "fangsong"), (name, "fangsong")]
        first = std.PARAGRAPH_INDENT_CHARS if i == 0 else start
        pages.lines(break_lines(runs, std.CHARS_PER_LINE, first, start + text_cells(number)))


def _signatures(pages: _Pages, paper: OutgoingPaper) -> None:
    """7.3.5.2 (no seal printed): one blank line, the issuers' names two characters from the
    right, lead first; the date on the next line, its first character two to the right of the
    names' first — or, when longer, two characters from the right with the names moved left.
    7.3.5.1 (sealed, when the office's layout says so): two blank lines, the date four
    characters from the right, each name centred above it; the seal is pressed by hand."""
    width = std.CHARS_PER_LINE
    if paper.layout.sealed:
        starts, date_start = sealed_columns(paper.signatures, paper.written_date, width,
                                            std.SEALED_DATE_RIGHT_CHARS)
        blank = std.SEALED_LINES_BELOW_TEXT
    else:
        start, date_start = signature_columns(paper.signatures, paper.written_date, width,
                                              std.SIGNATURE_RIGHT_CHARS, std.DATE_SHIFT_CHARS)
        starts, blank = [start] * len(paper.signatures), 1
    lines = [break_lines([(name, "fangsong")], width, start)[0]
             for name, start in zip(paper.signatures, starts, strict=True)]
    if paper.written_date:
        lines.append(break_lines([(paper.written_date, "fangsong")], width, date_start)[0])
    if lines:
        pages.skip(blank)
        pages.lines(lines, keep_together=True)
    if paper.annotation:
        pages.lines(break_lines([(paper.annotation, "fangsong")], width, std.PARAGRAPH_INDENT_CHARS))


# --- 版记 (7.4) -----------------------------------------------------------------------------------
def _imprint_rows(paper: OutgoingPaper) -> tuple[list, int]:
    """The 抄送 lines of the 版记 and the grid lines the whole 版记 takes."""
    size = std.SMALL_PT
    inset = std.IMPRINT_SIDE_CHARS * size
    cells = int((RIGHT - LEFT - 2 * inset) // size)
    label = paper.layout.copied_to_label
    copied = []
    if paper.copied_to:
        copied = break_lines([(label + paper.copied_to, "fangsong")], cells, 0, text_cells(label))
    return copied, len(copied) + 1


def _imprint_turns(pages: _Pages, rows: int) -> int:
    """Pages to turn before the 版记 so that it stands on an even page: none when the text ends on
    an even page with room for it, one when it ends on an odd page, two (a blank page) when the
    even page it ends on is full."""
    fits = pages.line + rows + 1 <= std.LINES_PER_PAGE
    if pages.page % 2 == 0:
        return 0 if fits else 2
    return 1


def imprint_turns(paper: OutgoingPaper) -> int:
    """The page turns the 版记 needs, from this grid's layout of the text (the Word file, laid
    out by Word on the same grid, takes the same turns)."""
    if not paper.has_imprint:
        return 0
    pages = _text(paper)
    return _imprint_turns(pages, _imprint_rows(paper)[1])


def _imprint(pages: _Pages, paper: OutgoingPaper) -> None:
    """At the foot of the last side of the document — an even page, the back of its last sheet,
    since a document is printed on both sides (5.1; the last rule sits on the 版心's bottom edge
    of 公文最后一面, 7.4.1): a thick line, 抄送 (4号, one character in, its lines under the first
    name), a thin line, 印发机关 left and 印发日期 right, a thick line on the 版心's bottom edge.
    A short document ending on an odd page has its 版记 alone on the even page after it; one whose
    even page has no room left gets a blank page and the 版记's page, neither numbered (7.5)."""
    if not paper.has_imprint:
        return
    size = std.SMALL_PT
    inset = std.IMPRINT_SIDE_CHARS * size
    copied, rows = _imprint_rows(paper)
    turns = _imprint_turns(pages, rows)
    if turns == 2:                              # the even page is full: a blank odd page, then the 版记's
        pages.unnumbered.update({pages.page + 1, pages.page + 2})
    for _turn in range(turns):
        pages.next_page()
    first = std.LINES_PER_PAGE - rows
    pages.line = std.LINES_PER_PAGE
    for i, glyphs in enumerate(copied):
        pages.glyphs(first + i, glyphs, size, LEFT + inset, size)
    last = std.LINES_PER_PAGE - 1
    band = TOP + last * PITCH
    depth = pages.baseline(band, "fangsong", size)
    if paper.printing_org:
        pages.text(LEFT + inset, depth, paper.printing_org, "fangsong", size)
    if paper.printed_date:
        pages.text(RIGHT - inset - width(paper.printed_date, "fangsong", size), depth, paper.printed_date,
                   "fangsong", size)
    pages.rule(TOP + first * PITCH, std.IMPRINT_THICK)
    if copied:
        pages.rule(band, std.IMPRINT_THIN)
    pages.rule(BOTTOM, std.IMPRINT_THICK)


def write_pdf(paper: OutgoingPaper) -> bytes:
    """The PDF of one outgoing document (or of its stub)."""
    pages = _text(paper)
    _imprint(pages, paper)
    return pages.finish()


def _text(paper: OutgoingPaper) -> _Pages:
    """The document laid out up to its 版记: 版头, title, body, attachments, signature."""
    pages = _Pages(paper)
    _head(pages, paper)
    _title(pages, paper)
    _body(pages, paper)
    _attachments(pages, paper)
    _signatures(pages, paper)
    return pages
