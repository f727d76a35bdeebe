"""An `OutgoingPaper` as a Word document laid out by GB/T 9704-2012, with python-docx.

The DOCX is what a clerk opens, corrects and prints on an office PC, so it carries the
standard in Word's own terms rather than in fixed positions: the A4 page and the 版心's
margins, a document grid of 22 lines × 28 characters (`w:docGrid` linesAndChars) that every
paragraph snaps to, named styles in the office's fonts (方正小标宋简体, 仿宋_GB2312, 黑体,
楷体_GB2312, each also as the East Asian font `w:eastAsia`, which is the one Word uses for
Chinese), different odd and even footers for the page number, and the 版记 as a table anchored
to the foot of the last page's 版心.

The grid is the one Word's 页面设置 (文档网格: 每行28字, 每页22行) writes, its 15.8 pt cell a
little narrower than the 16 pt character, which Word fits in; LibreOffice gives such a
character two cells instead, so a DOCX is checked in Word, the PDF anywhere.
"""
from __future__ import annotations

import copy
import io

from docx import Document as new_docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor, Twips

from app.paper import gbt9704 as std
from app.paper.lines import sealed_columns, signature_columns, text_cells, title_lines
from app.paper.office_layout import Fonts
from app.paper.outgoing import OutgoingPaper

#: The styles this writer defines: name → (ASCII style id, font, size in pt, alignment). The
#: names are what a clerk sees in Word's style list; the ids are ASCII, as Word writes them.
PARAGRAPH_STYLES = {
    "公文正文": ("GwBody", std.FONT_FANGSONG, std.BODY_PT, WD_ALIGN_PARAGRAPH.JUSTIFY),
    "版头标注": ("GwHeadMark", std.FONT_HEITI, std.BODY_PT, WD_ALIGN_PARAGRAPH.LEFT),
    "发文机关标志": ("GwIssuerMark", std.FONT_XIAOBIAOSONG, std.ISSUER_MARK_MAX_PT, WD_ALIGN_PARAGRAPH.CENTER),
    "发文字号": ("GwDocNo", std.FONT_FANGSONG, std.BODY_PT, WD_ALIGN_PARAGRAPH.CENTER),
    "公文标题": ("GwTitle", std.FONT_XIAOBIAOSONG, std.TITLE_PT, WD_ALIGN_PARAGRAPH.CENTER),
    "主送机关": ("GwRecipients", std.FONT_FANGSONG, std.BODY_PT, WD_ALIGN_PARAGRAPH.JUSTIFY),
    "附件说明": ("GwAttachments", std.FONT_FANGSONG, std.BODY_PT, WD_ALIGN_PARAGRAPH.LEFT),
    "署名": ("GwSignature", std.FONT_FANGSONG, std.BODY_PT, WD_ALIGN_PARAGRAPH.LEFT),
    "附注": ("GwAnnotation", std.FONT_FANGSONG, std.BODY_PT, WD_ALIGN_PARAGRAPH.LEFT),
    "版记": ("GwImprint", std.FONT_FANGSONG, std.SMALL_PT, WD_ALIGN_PARAGRAPH.LEFT),
    "页码": ("GwPageNumber", std.FONT_SONGTI, std.SMALL_PT, WD_ALIGN_PARAGRAPH.LEFT),
}
#: Character styles of the body's headings (7.3.3): 一、黑体；（一）楷体；1. （1） 仿宋.
HEADING_STYLES = {1: "一级标题", 2: "二级标题", 3: "三级标题", 4: "四级标题"}
RED = RGBColor(*std.ISSUER_MARK_RGB)
#: The schema's order of the children this writer adds to a paragraph's and a table's
#: properties: Word refuses a file whose elements are out of it.
PPR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
             "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
             "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
             "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
             "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange")
TBLPR_ORDER = ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
               "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook",
               "tblCaption", "tblDescription", "tblPrChange")


def put(parent, child, order: tuple[str, ...]) -> None:
    """`child` in `parent` at its place in the schema's `order`, replacing one of its kind."""
    for old in parent.findall(child.tag):
        parent.remove(old)
    name = child.tag.rsplit("}", 1)[1]
    later = {qn(f"w:{tag}") for tag in order[order.index(name) + 1:]}
    for existing in parent:
        if existing.tag in later:
            existing.addprevious(child)
            return
    parent.append(child)


# --- fonts and styles -------------------------------------------------------------------------------
def set_fonts(rpr_owner, name: str) -> None:
    """Name `name` for every script of a run or style, the East Asian one included (the
    font Word actually uses for Chinese characters)."""
    fonts = rpr_owner.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _child(parent, tag: str):
    """`parent`'s child `tag`, appended when missing (callers ask in the schema's order)."""
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        parent.append(found)
    return found


def _defaults(doc, fonts: Fonts) -> None:
    """The document's defaults: 3号 仿宋_GB2312 in Chinese, no spacing between paragraphs.
    The grid's character pitch is counted from the default size (w:charSpace is added to
    it), so the default must be the body's 16 pt, or each character would take two cells."""
    office = fonts
    defaults = _child(doc.styles.element, "w:docDefaults")
    rpr = _child(_child(defaults, "w:rPrDefault"), "w:rPr")
    fonts = _child(rpr, "w:rFonts")
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), office.body)
    for tag in ("w:sz", "w:szCs"):
        _child(rpr, tag).set(qn("w:val"), str(round(std.BODY_PT * 2)))
    lang = _child(rpr, "w:lang")
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")
    spacing = _child(_child(_child(defaults, "w:pPrDefault"), "w:pPr"), "w:spacing")
    for attr in list(spacing.attrib):
        del spacing.attrib[attr]
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    spacing.set(qn("w:lineRule"), "auto")


def _no_cell_margins(table) -> None:
    """Text from a cell's very edge: the widths below are the text's own."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), "0")
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    put(table._tbl.tblPr, margins, TBLPR_ORDER)


def _styles(doc, fonts: Fonts) -> None:
    """The named styles, in the fonts the office's layout names (the standard's by default)."""
    _defaults(doc, fonts)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(std.BODY_PT)
    set_fonts(normal.element, fonts.body)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal.element.get_or_add_rPr().append(lang)
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0
    for name, (style_id, font, size, align) in PARAGRAPH_STYLES.items():
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.style_id = style_id
        style.base_style = normal
        style.font.size = Pt(size)
        set_fonts(style.element, fonts.named(font))
        style.paragraph_format.alignment = align
    doc.styles["发文机关标志"].font.color.rgb = RED
    # a 2号 character is wider than a cell of the grid: snapped, Word would give it two cells
    # (the title spread over the page); off the grid, each title line is one grid line high
    title = doc.styles["公文标题"]
    _off_grid(title, std.LINE_PITCH_PT)
    _indent(doc.styles["公文正文"].element, first_chars=std.PARAGRAPH_INDENT_CHARS)
    for level, name in HEADING_STYLES.items():
        style = doc.styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
        style.style_id = f"GwHeading{level}"
        set_fonts(style.element, fonts.named(std.HEADING_FONTS[level]))


def _indent(element, *, left_chars: float = 0, first_chars: float = 0, hanging_chars: float = 0,
            right_chars: float = 0) -> None:
    """Indents in characters of the grid (w:leftChars …, hundredths of a character), with the
    same lengths in twips for a reader that ignores the grid."""
    ind = element.get_or_add_pPr().get_or_add_ind()
    twips = std.CHAR_PITCH_PT * 20
    for attr, chars in (("left", left_chars), ("firstLine", first_chars), ("hanging", hanging_chars),
                        ("right", right_chars)):
        if chars:
            ind.set(qn(f"w:{attr}Chars"), str(round(chars * 100)))
            ind.set(qn(f"w:{attr}"), str(round(chars * twips)))


def _off_grid(paragraph, height_pt: float) -> None:
    """A paragraph (or paragraph style) of its own exact line height, not snapped to the
    document grid (the red mark, the title, the page number)."""
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(max(height_pt, 1))
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    element = paragraph.element if hasattr(paragraph, "style_id") else paragraph._p
    put(element.get_or_add_pPr(), snap, PPR_ORDER)


def _run(paragraph, text: str, font: str | None = None, size: float | None = None, color=None, style=None):
    run = paragraph.add_run(text, style=style)
    if font:
        set_fonts(run._r, font)
    if size:
        run.font.size = Pt(size)
    if color is not None:
        run.font.color.rgb = color
    return run


# --- page setup -----------------------------------------------------------------------------------
def _page(doc) -> None:
    """A4, the 版心's margins, the 22 × 28 grid, different odd and even footers."""
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(std.PAGE_WIDTH), Mm(std.PAGE_HEIGHT)
    section.top_margin, section.bottom_margin = Mm(std.MARGIN_TOP), Mm(std.MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Mm(std.MARGIN_LEFT), Mm(std.MARGIN_RIGHT)
    # the footer's one line of 4号 centred 7 mm below the 版心 (7.5)
    section.footer_distance = Mm(std.MARGIN_BOTTOM - std.PAGE_NUMBER_BELOW_TEXT - std.pt_to_mm(std.SMALL_PT) / 2)
    sect = section._sectPr
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(round(std.LINE_PITCH_PT * 20)))
    grid.set(qn("w:charSpace"), str(round((std.CHAR_PITCH_PT - std.BODY_PT) * 4096)))
    doc.settings.odd_and_even_pages_header_footer = True


def _footers(doc, paper: OutgoingPaper, unnumbered_end: bool) -> None:
    """The page numbers of every section; the last section (a blank page and the 版记's page)
    without any when `unnumbered_end` (7.5: 版记页前有空白页的，空白页和版记页均不编排页码)."""
    sections = list(doc.sections)
    for i, section in enumerate(sections):
        if unnumbered_end and i == len(sections) - 1:
            for footer in (section.footer, section.even_page_footer):
                footer.is_linked_to_previous = False
            continue
        _page_number(section.footer, paper, odd=True)
        _page_number(section.even_page_footer, paper, odd=False)


def _field(paragraph, instruction: str, shown: str) -> None:
    """A field (PAGE) as Word writes it: begin, instruction, separate, its last value, end."""
    def char(kind):
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)
        return run

    char("begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    char("separate")
    paragraph.add_run(shown)
    char("end")


def _page_number(footer, paper: OutgoingPaper, *, odd: bool) -> None:
    """`— n —` (7.5): odd pages right, even pages left, one character in from the side."""
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.style = "页码"
    fmt = paragraph.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    inset = Pt(std.PAGE_NUMBER_SIDE_CHARS * std.SMALL_PT)
    if odd:
        fmt.right_indent = inset
    else:
        fmt.left_indent = inset
    _off_grid(paragraph, std.SMALL_PT)
    before, after = paper.layout.page_number.split("{n}", 1)
    if before:
        paragraph.add_run(before)
    _field(paragraph, "PAGE", "1" if odd else "2")
    if after:
        paragraph.add_run(after)


# --- 版头 (7.2) ---------------------------------------------------------------------------------------
def _head(doc, paper: OutgoingPaper) -> None:
    marks = [m for m in (paper.copy_no, paper.secrecy, paper.urgency) if m]
    for mark in marks:
        doc.add_paragraph(mark, style="版头标注")
    # the mark's top 35 mm below the 版心's top: a spacer under the marks above it
    spacer = doc.add_paragraph(style="公文正文")
    _off_grid(spacer, std.mm_to_pt(std.ISSUER_MARK_TOP) - len(marks) * std.LINE_PITCH_PT)
    room = std.mm_to_pt(std.ISSUER_MARK_MAX_WIDTH)
    if len(paper.issuers) == 1:
        size = min(std.ISSUER_MARK_MAX_PT, room / text_cells(paper.mark))
        mark = doc.add_paragraph(style="发文机关标志")
        _off_grid(mark, size * 1.15)
        _run(mark, paper.mark, size=size)
    elif paper.issuers:
        _joint_mark(doc, paper, room)
    for _ in range(std.DOC_NO_LINES_BELOW_MARK):
        doc.add_paragraph(style="公文正文")
    _doc_no(doc, paper)


def _joint_mark(doc, paper: OutgoingPaper, room: float) -> None:
    """Joint issuers stacked, each spread to one width (distributed), 文件 beside them, centred
    on the names (7.2.4)."""
    longest = max(text_cells(name) for name in paper.issuers)
    word_text = paper.layout.joint_mark_word
    beside = text_cells(word_text) + 0.5 if word_text else 0.0
    size = min(std.JOINT_MARK_MAX_PT, room / (longest + beside))
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_cell_margins(table)
    names, word = table.rows[0].cells
    table.columns[0].width = names.width = Pt(size * longest + 2)
    table.columns[1].width = word.width = Pt(max(size * beside, 1))
    for i, issuer in enumerate(paper.issuers):
        paragraph = names.paragraphs[0] if i == 0 else names.add_paragraph()
        paragraph.style = doc.styles["发文机关标志"]
        paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.DISTRIBUTE
        _off_grid(paragraph, size * 1.15)
        _run(paragraph, issuer, size=size)
    word.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = word.paragraphs[0]
    paragraph.style = doc.styles["发文机关标志"]
    _off_grid(paragraph, size * 1.15)
    if word_text:
        _run(paragraph, word_text, size=size)


def _doc_no(doc, paper: OutgoingPaper) -> None:
    """发文字号 centred; on an upward document one character from the left, with 签发人 one
    character from the right, two names a line, the number on the line of the last (7.2.5,
    7.2.6). The red separator is the last line's bottom border, 4 mm below it (7.2.7)."""
    width = std.mm_to_pt(std.TEXT_WIDTH)
    cell = std.CHAR_PITCH_PT
    if not paper.upward or not paper.signers:
        last = doc.add_paragraph(paper.doc_no, style="发文字号")
    else:
        rows = ["\u3000".join(paper.signers[i:i + 2]) for i in range(0, len(paper.signers), 2)]
        names_at = width - cell - max(text_cells(row) for row in rows) * cell
        label = "签发人："
        for i, row in enumerate(rows):
            last = doc.add_paragraph(style="发文字号")
            last.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
            last.paragraph_format.tab_stops.add_tab_stop(Twips(round((names_at - len(label) * cell) * 20)),
                                                         WD_TAB_ALIGNMENT.LEFT)
            if i == len(rows) - 1:
                last.add_run("\u3000" + paper.doc_no)
            last.add_run("\t" + (label if i == 0 else "\u3000" * len(label)))
            _run(last, row, font=paper.layout.fonts.kaiti)
    _borders(last, {"bottom": std.SEPARATOR_THICKNESS}, "FF0000", std.mm_to_pt(std.SEPARATOR_BELOW_DOC_NO))


def _borders(paragraph, sides: dict[str, float], color: str = "000000", space_pt: float = 1) -> None:
    """Lines on some sides of a paragraph: side → thickness in mm."""
    borders = OxmlElement("w:pBdr")
    for side in ("top", "bottom"):
        if side in sides:
            line = OxmlElement(f"w:{side}")
            line.set(qn("w:val"), "single")
            line.set(qn("w:sz"), str(round(std.mm_to_pt(sides[side]) * 8)))   # eighths of a point
            line.set(qn("w:space"), str(round(space_pt)))
            line.set(qn("w:color"), color)
            borders.append(line)
    put(paragraph._p.get_or_add_pPr(), borders, PPR_ORDER)


# --- 主体 (7.3) ---------------------------------------------------------------------------------------
def _main(doc, paper: OutgoingPaper) -> None:
    for _ in range(std.TITLE_LINES_BELOW_SEPARATOR):
        doc.add_paragraph(style="公文正文")
    title = doc.add_paragraph(style="公文标题")
    for i, line in enumerate(title_lines(paper.title, std.TITLE_CHARS_PER_LINE)):
        run = title.add_run(line)
        if i:
            run._r.addprevious(OxmlElement("w:br"))
    doc.add_paragraph(style="公文正文")
    if paper.main_recipients:
        doc.add_paragraph(paper.main_recipients, style="主送机关")
    for paragraph in paper.paragraphs:
        p = doc.add_paragraph(style="公文正文")
        if paragraph.heading:
            p.add_run(paragraph.heading, style=HEADING_STYLES[paragraph.level])
        if paragraph.rest:
            p.add_run(paragraph.rest)
    if paper.attachments:
        doc.add_paragraph(style="公文正文")
        label = paper.layout.attachment_label
        start = std.PARAGRAPH_INDENT_CHARS + text_cells(label)
        for i, name in enumerate(paper.attachments):
            number = text_cells(name.split(".", 1)[0] + ".") if len(paper.attachments) > 1 else 0
            p = doc.add_paragraph((label if i == 0 else "") + name, style="附件说明")
            hanging = number + (text_cells(label) if i == 0 else 0)
            _indent(p._p, left_chars=start + number, hanging_chars=hanging)
    _signatures(doc, paper)


def _signatures(doc, paper: OutgoingPaper) -> None:
    """7.3.5.2: the issuers two characters from the right, the date two characters right of
    their first — or 7.3.5.1 (sealed, the office's layout): the date four characters from the
    right, each issuer centred above it, two blank lines above; the 附注 two characters in on
    the next line."""
    if paper.layout.sealed:
        starts, date_start = sealed_columns(paper.signatures, paper.written_date, std.CHARS_PER_LINE,
                                            std.SEALED_DATE_RIGHT_CHARS)
        blank = std.SEALED_LINES_BELOW_TEXT
    else:
        start, date_start = signature_columns(paper.signatures, paper.written_date, std.CHARS_PER_LINE,
                                              std.SIGNATURE_RIGHT_CHARS, std.DATE_SHIFT_CHARS)
        starts, blank = [start] * len(paper.signatures), 1
    if paper.signatures or paper.written_date:
        for _ in range(blank):
            doc.add_paragraph(style="公文正文").paragraph_format.keep_with_next = True
    for name, start in zip(paper.signatures, starts, strict=True):
        p = doc.add_paragraph(name, style="署名")
        p.paragraph_format.keep_with_next = True
        _indent(p._p, left_chars=start)
    if paper.written_date:
        p = doc.add_paragraph(paper.written_date, style="署名")
        _indent(p._p, left_chars=date_start)
    if paper.annotation:
        p = doc.add_paragraph(paper.annotation, style="附注")
        _indent(p._p, first_chars=std.PARAGRAPH_INDENT_CHARS)


# --- 版记 (7.4) ---------------------------------------------------------------------------------------
def _imprint_turns(paper: OutgoingPaper) -> int:
    """The page turns before the 版记, from the PDF writer's layout of the same grid; none when
    the fonts it measures with are missing (the 版记 then follows the text)."""
    from app.paper.pdf_fonts import PaperFontsMissing
    from app.paper.pdf_writer import imprint_turns

    try:
        return imprint_turns(paper)
    except PaperFontsMissing:
        return 0


def _section_break_after_text(doc) -> None:
    """End a section with the text's last paragraph (a section break in Word's way, on the
    paragraph itself, so that it takes no line of a full page): what follows — the blank page
    and the 版记 — is a section whose footers print no page number."""
    paragraphs = doc.element.body.findall(qn("w:p"))
    if not paragraphs:
        return
    sect = copy.deepcopy(doc.element.body.find(qn("w:sectPr")))
    put(paragraphs[-1].get_or_add_pPr(), sect, PPR_ORDER)


def _imprint(doc, paper: OutgoingPaper, turns: int) -> None:
    """A table anchored to the foot of the 版心 (Word's table positioning: bottom, relative to
    the margin), so it sits there on the last page however long the text runs: thick first
    and last lines, a thin line between 抄送 and 印发; 抄送 and 印发机关 one character from
    the left, 印发日期 one from the right."""
    if not paper.has_imprint:
        return
    if turns == 2:                             # a blank page first: a section of its own, unnumbered
        _section_break_after_text(doc)
        turns = 1
    if turns:                                  # the 版记 on an even page, as in the PDF (7.4.1)
        breaks = doc.add_paragraph(style="公文正文")
        for _turn in range(turns):
            breaks.add_run().add_break(WD_BREAK.PAGE)
    rows = (1 if paper.copied_to else 0) + 1
    table = doc.add_table(rows=rows, cols=1)
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    anchor = OxmlElement("w:tblpPr")
    for attr, value in (("vertAnchor", "margin"), ("horzAnchor", "margin"), ("tblpYSpec", "bottom"),
                        ("tblpXSpec", "center")):
        anchor.set(qn(f"w:{attr}"), value)
    put(tbl_pr, anchor, TBLPR_ORDER)
    width = std.mm_to_pt(std.TEXT_WIDTH)
    borders = OxmlElement("w:tblBorders")
    for side, thickness in (("top", std.IMPRINT_THICK), ("bottom", std.IMPRINT_THICK),
                            ("insideH", std.IMPRINT_THIN)):
        line = OxmlElement(f"w:{side}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), str(round(std.mm_to_pt(thickness) * 8)))
        line.set(qn("w:space"), "0")
        line.set(qn("w:color"), "000000")
        borders.append(line)
    put(tbl_pr, borders, TBLPR_ORDER)
    _no_cell_margins(table)
    inset = std.IMPRINT_SIDE_CHARS * std.SMALL_PT
    row = 0
    if paper.copied_to:
        label = paper.layout.copied_to_label
        cell = table.rows[0].cells[0]
        p = cell.paragraphs[0]
        p.style = doc.styles["版记"]
        p.add_run(label + paper.copied_to)
        fmt = p.paragraph_format
        fmt.left_indent = Pt(inset + len(label) * std.SMALL_PT)
        fmt.first_line_indent = Pt(-len(label) * std.SMALL_PT)
        fmt.right_indent = Pt(inset)
        row = 1
    cell = table.rows[row].cells[0]
    p = cell.paragraphs[0]
    p.style = doc.styles["版记"]
    p.paragraph_format.left_indent = Pt(inset)
    p.paragraph_format.right_indent = Pt(inset)
    p.paragraph_format.tab_stops.add_tab_stop(Pt(width - inset), WD_TAB_ALIGNMENT.RIGHT)
    p.add_run(paper.printing_org + "\t" + paper.printed_date)
    for r in table.rows:
        r.cells[0].width = Pt(width)
    doc.add_paragraph(style="公文正文")


def write_docx(paper: OutgoingPaper) -> bytes:
    """The DOCX of one outgoing document (or of its stub)."""
    doc = new_docx()
    doc.core_properties.title = paper.title
    doc.core_properties.subject = paper.doc_no
    doc.core_properties.author = "、".join(paper.issuers)
    _styles(doc, paper.layout.fonts)
    _page(doc)
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    _head(doc, paper)
    _main(doc, paper)
    turns = _imprint_turns(paper) if paper.has_imprint else 0
    _imprint(doc, paper, turns)
    _footers(doc, paper, unnumbered_end=turns == 2)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
