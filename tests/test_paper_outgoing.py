"""An outgoing document printed by GB/T 9704-2012 (app/paper): the paper is measured.

Three documents are made through the factories — a 请示 (upward, with its 签发人), a long
通知 with 附件说明 and 版记, a joint document of two issuers — and a classified one that
prints as its stub. The PDF is read back with pdfplumber and measured in millimetres (page,
版心, grid of 22 × 28, red separator, page numbers, font sizes); the DOCX is read back with
python-docx (page setup, document grid, fonts incl. the East Asian one, styles, footers) and
both are checked for the document's words.
"""
from __future__ import annotations

import datetime as dt
import io
import itertools
import os
from collections import defaultdict

import docx
import pdfplumber
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from app.extensions import db
from app.paper import gbt9704 as std
from app.paper import render
from app.paper.pdf_fonts import FACES
from models.documents import Document, DocumentIssuer, DocumentRecipient
from models.org import Department
from tests.factories import make

pytestmark = pytest.mark.skipif(
    not all(os.path.isfile(path) for _name, path, _index, _package in FACES.values()),
    reason="the PDF's fonts are not installed (fonts-arphic-uming, fonts-arphic-ukai, fonts-wqy-zenhei: .ci/run)")

#: The embedded fonts as the PDF names them (app/paper/pdf_fonts.py).
HEI, KAI, SONG = "WenQuanYiZenHei", "UKaiCN", "UMingCN"

MM = 25.4 / 72          # one point in millimetres
PITCH_MM = std.TEXT_HEIGHT / std.LINES_PER_PAGE
TEXT_BOTTOM = std.MARGIN_TOP + std.TEXT_HEIGHT
TEXT_RIGHT = std.MARGIN_LEFT + std.TEXT_WIDTH

SENTENCE = "各区各部门要坚持以人民为中心的发展思想全面提升政务服务标准化规范化便利化水平确保各项任务落到实处"
BODY = "\n".join([
    "为进一步做好全市政务服务工作，经市政府同意，现就有关事项通知如下：",
    "一、总体要求",
    SENTENCE * 3 + "。",
    "（一）明确工作目标。" + SENTENCE * 2 + "。",
    "1.加强组织领导。" + SENTENCE * 2 + "。",
    "（1）建立工作台账。" + SENTENCE * 3 + "。",
    "二、主要任务",
    SENTENCE * 4 + "。",
    "（二）优化办事流程。" + SENTENCE * 3 + "。",
    SENTENCE * 4 + "。",
])


#: Serial numbers no other test's documents take (厦府〔2026〕9001号 …): the records are rolled back.
_SEQ = itertools.count(9001)


def _unit(name: str, short: str | None = None, code: str | None = None) -> Department:
    return make(db.session, Department, unit_type="MUNI_DEPT", name_zh=name, short_name_zh=short, agency_code=code)


def _document(issuer: Department, **values) -> Document:
    base = {"direction": "OUTGOING", "status": "NUMBERED", "doc_no_prefix": "厦府", "doc_no_year": 2026,
            "doc_no_seq": next(_SEQ), "secrecy_level": "FEIMI", "urgency": "PUTONG", "issuer": issuer,
            "written_date": dt.date(2026, 3, 5)}
    return make(db.session, Document, **{**base, **values})


def _recipient(doc: Document, kind: str, seq: int, unit: Department | None = None, group: str | None = None):
    make(db.session, DocumentRecipient, document=doc, kind=kind, seq=seq, department=unit, group_name=group)


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield
        db.session.rollback()


@pytest.fixture
def notice(ctx):
    """A long 通知: three pages, 附件说明, 附注, 抄送 and 印发 in the 版记, 特急."""
    government = _unit("厦门市人民政府", code="厦府")
    office = _unit("厦门市人民政府办公厅", short="市府办")
    doc = _document(government, title="厦门市人民政府关于进一步加强政务服务标准化规范化便利化建设工作的通知",
                    doc_type="TONGZHI", writing_direction="XIAXING", urgency="TEJI", body=BODY,
                    attachment_note="1.厦门市政务服务事项清单\n2.各区各部门任务分工表", remark="此件公开发布",
                    printing_org=office, printed_date=dt.date(2026, 3, 6), signer="王市长")
    _recipient(doc, "MAIN", 1, group="各区人民政府")
    _recipient(doc, "MAIN", 2, group="市直各委、办、局")
    _recipient(doc, "CC", 1, group="市委办公厅，市人大常委会办公厅，市政协办公厅")
    _recipient(doc, "CC", 2, unit=_unit("厦门市中级人民法院", short="市中级法院"))
    db.session.flush()
    db.session.refresh(doc)
    return doc


@pytest.fixture
def request_doc(ctx):
    """A 请示 to the provincial government: upward, so 发文字号 left and 签发人 right."""
    government = _unit("厦门市人民政府", code="厦府")
    doc = _document(government, title="厦门市人民政府关于设立厦门市政务服务中心分中心的请示",
                    doc_type="QINGSHI", writing_direction="SHANGXING", signer="王市长",
                    body="为方便群众办事，拟设立厦门市政务服务中心分中心。\n妥否，请批示。")
    _recipient(doc, "MAIN", 1, group="福建省人民政府")
    db.session.flush()
    db.session.refresh(doc)
    return doc


@pytest.fixture
def joint(ctx):
    """A joint 通知 of the municipal government and the development and reform commission."""
    government = _unit("厦门市人民政府")
    commission = _unit("厦门市发展和改革委员会", short="市发改委")
    doc = _document(government, title="关于印发厦门市促进民营经济发展若干措施的通知", doc_type="TONGZHI",
                    writing_direction="XIAXING", body="现将《若干措施》印发给你们，请认真贯彻执行。")
    make(db.session, DocumentIssuer, document=doc, department=commission, seq=2)
    _recipient(doc, "MAIN", 1, group="各区人民政府")
    db.session.flush()
    db.session.refresh(doc)
    return doc


# --- reading the PDF back ---------------------------------------------------------------------------
def _pdf(doc, layout=None):
    data, name = render(doc, "pdf", layout)
    assert name.endswith(".pdf") and data.startswith(b"%PDF")
    return pdfplumber.open(io.BytesIO(data))


def _mm(value: float) -> float:
    return value * MM


def _lines_of(page, top: float = 0, bottom: float = std.PAGE_HEIGHT):
    """The page's characters by line (baselines rounded to 0.1 mm), between two depths in mm."""
    rows = defaultdict(list)
    for char in page.chars:
        if char["text"].strip() and top <= _mm(char["top"]) and _mm(char["bottom"]) <= bottom:
            rows[round(_mm(char["bottom"]), 1)].append(char)
    return [sorted(rows[key], key=lambda c: c["x0"]) for key in sorted(rows)]


def _text(chars) -> str:
    return "".join(c["text"] for c in chars)


def _cells(chars) -> float:
    return sum(0.5 if ord(c["text"]) < 0x2000 else 1.0 for c in chars)


def _find(page, text: str):
    """The characters of the first line of `page` holding `text`."""
    for line in _lines_of(page):
        joined = _text(line)
        if text in joined:
            start = joined.index(text)
            return line[start:start + len(text)]
    raise AssertionError(f"{text!r} is not on the page:\n" + page.extract_text())


def _middle(char) -> float:
    """The middle of a character's box, in mm down the page: on the grid, that of its line."""
    return (_mm(char["top"]) + _mm(char["bottom"])) / 2


def _page_number(page):
    chars = [c for c in page.chars if _mm(c["top"]) > TEXT_BOTTOM]
    return "".join(c["text"] for c in sorted(chars, key=lambda c: c["x0"])), chars


# --- the PDF ---------------------------------------------------------------------------------------
def test_a_full_page_holds_22_lines_of_28_characters_in_the_text_block(notice):
    with _pdf(notice) as pdf:
        assert len(pdf.pages) >= 3
        for page in pdf.pages:     # A4
            assert (round(_mm(page.width), 1), round(_mm(page.height), 1)) == (210.0, 297.0)
        full = pdf.pages[1]        # the second page is body text from top to bottom
        lines = _lines_of(full, 0, TEXT_BOTTOM)
        assert len(lines) == std.LINES_PER_PAGE == 22
        # every line in its band of the grid: 225 mm / 22 from the 版心's top (37 mm)
        for i, line in enumerate(lines):
            top, bottom = min(_mm(c["top"]) for c in line), max(_mm(c["bottom"]) for c in line)
            assert std.MARGIN_TOP + i * PITCH_MM - 0.01 <= top and bottom <= std.MARGIN_TOP + (i + 1) * PITCH_MM + 0.01
        assert min(_mm(c["top"]) for c in lines[0]) >= std.MARGIN_TOP
        assert max(_mm(c["bottom"]) for c in lines[-1]) <= TEXT_BOTTOM
        # margins: lines start at the left edge (28 mm) or two characters in; full lines end at 184 mm
        starts = sorted({round(_mm(line[0]["x0"]), 1) for line in lines})
        assert starts[0] == pytest.approx(std.MARGIN_LEFT, abs=0.05)
        assert set(starts) <= {round(std.MARGIN_LEFT, 1), round(std.MARGIN_LEFT + 2 * std.TEXT_WIDTH / 28, 1)}
        # the cells a line fills: its indent and its characters (a half-width one is half a cell)
        cell = std.TEXT_WIDTH / 28
        widths = [round((_mm(line[0]["x0"]) - std.MARGIN_LEFT) / cell, 2) + _cells(line) for line in lines]
        assert max(widths) == std.CHARS_PER_LINE == 28
        assert sum(w == 28 for w in widths) >= 12, widths    # all but a paragraph's last line
        assert max(len(line) for line in lines) == 28       # 28 characters on a line not indented
        for line, cells in zip(lines, widths, strict=True):
            assert cells <= 28
            if cells == 28:        # the 28th character ends on the 版心's right edge (156/28 mm a character)
                assert _mm(line[-1]["x1"]) == pytest.approx(TEXT_RIGHT, abs=0.1)
        # no character outside the 版心 but the page number
        body = [c for c in full.chars if _mm(c["top"]) < TEXT_BOTTOM]
        assert min(_mm(c["x0"]) for c in body) >= std.MARGIN_LEFT - 0.01
        assert max(_mm(c["x1"]) for c in body) <= TEXT_RIGHT + 0.1
        assert {round(c["size"], 1) for c in body} == {16.0}            # 3号


def test_the_head_the_red_separator_and_the_title(notice):
    with _pdf(notice) as pdf:
        page = pdf.pages[0]
        words = page.extract_text()
        assert "特急" in words and "000" not in words.split("\n")[0]        # no 份号 on an unclassified document
        urgency = _find(page, "特急")
        assert _mm(urgency[0]["x0"]) == pytest.approx(std.MARGIN_LEFT, abs=0.05)   # 顶格, first line
        assert _mm(urgency[0]["top"]) < std.MARGIN_TOP + PITCH_MM
        # the red mark: its top 35 mm below the 版心's top, red, larger than the title
        mark = [c for c in page.chars if c["non_stroking_color"] == (1, 0, 0)]
        assert _text(sorted(mark, key=lambda c: c["x0"])) == f"{notice.issuer.name_zh}文件"
        assert _mm(min(c["top"] for c in mark)) == pytest.approx(std.MARGIN_TOP + 35, abs=1.5)
        # 发文字号 centred; the red line 4 mm below it, as wide as the 版心
        doc_no = _find(page, notice.doc_no)
        centre = (_mm(doc_no[0]["x0"]) + _mm(doc_no[-1]["x1"])) / 2
        assert centre == pytest.approx(std.MARGIN_LEFT + std.TEXT_WIDTH / 2, abs=1.0)
        red = [line for line in page.lines if tuple(line["stroking_color"]) == (1, 0, 0)]
        assert len(red) == 1
        line = red[0]
        assert (_mm(line["x0"]), _mm(line["x1"])) == (pytest.approx(std.MARGIN_LEFT, abs=0.05),
                                                      pytest.approx(TEXT_RIGHT, abs=0.05))
        assert _mm(line["x1"] - line["x0"]) == pytest.approx(156, abs=0.05)
        assert _mm(line["top"]) - _mm(doc_no[0]["bottom"]) == pytest.approx(4.0, abs=0.3)
        assert _mm(line["linewidth"]) == pytest.approx(std.SEPARATOR_THICKNESS, abs=0.01)
        # the title: 2号, centred, two blank lines of the grid under the red line
        title = _find(page, "厦门市人民政府关于进一步加强")
        assert {round(c["size"], 1) for c in title} == {22.0}
        assert _mm(title[0]["top"]) - _mm(line["top"]) >= 2 * PITCH_MM
        assert _mm(title[0]["top"]) - _mm(line["top"]) <= 3 * PITCH_MM + 1
        first, second = [ln for ln in _lines_of(page) if round(ln[0]["size"]) == 22]
        for row in (first, second):
            middle = (_mm(row[0]["x0"]) + _mm(row[-1]["x1"])) / 2
            assert middle == pytest.approx(std.MARGIN_LEFT + std.TEXT_WIDTH / 2, abs=0.6)
        assert _text(first) + _text(second) == notice.title
        # 主送 顶格 after one blank line, ending in the full-width colon
        recipients = _find(page, "各区人民政府，市直各委、办、局：")
        assert _mm(recipients[0]["x0"]) == pytest.approx(std.MARGIN_LEFT, abs=0.05)
        assert _middle(recipients[0]) - _middle(second[0]) == pytest.approx(2 * PITCH_MM, abs=0.01)


def test_headings_take_their_level_fonts(notice):
    with _pdf(notice) as pdf:
        text = "".join(page.extract_text() for page in pdf.pages)
        assert "一、总体要求" in text
        chars = [c for page in pdf.pages for c in page.chars]
        fonts = {name: {c["fontname"] for c in _find_all(pdf, name)} for name in
                 ("一、总体要求", "（一）明确工作目标。", "1.加强组织领导。", "为进一步做好")}
        assert all(HEI in f for f in fonts["一、总体要求"])
        assert all(KAI in f for f in fonts["（一）明确工作目标。"])
        assert all(SONG in f for f in fonts["1.加强组织领导。"] | fonts["为进一步做好"])
        assert all(any(name in c["fontname"] for name in (HEI, KAI, SONG)) for c in chars)   # all embedded


def _find_all(pdf, text):
    for page in pdf.pages:
        try:
            return _find(page, text)
        except AssertionError:
            continue
    raise AssertionError(text)


def test_attachments_signature_date_and_annotation(notice):
    with _pdf(notice) as pdf:
        last_text = [page for page in pdf.pages if "附件：" in page.extract_text()][0]
        first = _find(last_text, "附件：1.厦门市政务服务事项清单")
        second = _find(last_text, "2.各区各部门任务分工表")
        cell = std.TEXT_WIDTH / 28
        assert _mm(first[0]["x0"]) == pytest.approx(std.MARGIN_LEFT + 2 * cell, abs=0.05)   # 左空二字
        assert _mm(second[0]["x0"]) == pytest.approx(_mm(first[3]["x0"]), abs=0.05)         # under the 1.
        signature = _find(last_text, notice.issuer.name_zh)
        date = _find(last_text, "2026年3月5日")
        # 7.3.5.2: the date's first character two characters right of the signature's first
        assert _mm(date[0]["x0"]) - _mm(signature[0]["x0"]) == pytest.approx(2 * cell, abs=0.05)
        assert TEXT_RIGHT - _mm(signature[-1]["x1"]) >= 2 * cell - 0.3      # 右空二字 at least
        assert _mm(date[0]["top"]) - _mm(signature[0]["top"]) == pytest.approx(PITCH_MM, abs=0.05)
        annotation = _find(last_text, "（此件公开发布）")
        assert _mm(annotation[0]["x0"]) == pytest.approx(std.MARGIN_LEFT + 2 * cell, abs=0.05)


def test_the_imprint_sits_on_the_foot_of_the_last_page(notice):
    with _pdf(notice) as pdf:
        page = pdf.pages[-1]
        rules = sorted((ln for ln in page.lines if tuple(ln["stroking_color"]) != (1, 0, 0)), key=lambda ln: ln["top"])
        assert [round(_mm(ln["linewidth"]), 2) for ln in rules] == [0.35, 0.25, 0.35]   # thick, thin, thick
        for ln in rules:
            assert _mm(ln["x1"] - ln["x0"]) == pytest.approx(156, abs=0.05)
        assert _mm(rules[-1]["top"]) == pytest.approx(TEXT_BOTTOM, abs=0.05)         # on the 版心's bottom edge
        copied = _find(page, "抄送：市委办公厅")
        assert {round(c["size"], 1) for c in copied} == {14.0}                     # 4号
        assert _mm(copied[0]["x0"]) == pytest.approx(std.MARGIN_LEFT + _mm(14), abs=0.05)   # one character in
        assert _mm(rules[0]["top"]) < _mm(copied[0]["top"]) < _mm(rules[1]["top"])
        assert "市中级法院。" in page.extract_text().replace("\n", "")
        org = _find(page, "厦门市人民政府办公厅")
        printed = _find(page, "2026年3月6日印发")
        assert _mm(org[0]["x0"]) == pytest.approx(std.MARGIN_LEFT + _mm(14), abs=0.05)
        assert _mm(printed[-1]["x1"]) == pytest.approx(TEXT_RIGHT - _mm(14), abs=0.05)
        assert _mm(rules[1]["top"]) < _mm(org[0]["top"]) and _mm(org[0]["bottom"]) < _mm(rules[2]["top"])


def test_the_imprint_is_on_an_even_page_the_back_of_the_last_sheet(notice, joint):
    """5.1 double-sided printing, 7.4.1 公文最后一面: the 版记 is always on an even page — a short
    document's on the back of its first sheet, alone, numbered — and when the even page that ends
    the text has no room, a blank page comes before the 版记's page, neither numbered (7.5). A
    document without 版记 ends where its text does."""
    office = joint.issuer
    short = _document(office, title="关于版记位置的通知", doc_type="TONGZHI", writing_direction="XIAXING",
                      body="现将有关事项通知如下，请认真贯彻执行。", printing_org=office,
                      printed_date=dt.date(2026, 3, 6))
    _recipient(short, "MAIN", 1, group="各区人民政府")
    db.session.flush()
    db.session.refresh(short)
    with _pdf(notice) as pdf:
        assert len(pdf.pages) % 2 == 0 and "印发" in pdf.pages[-1].extract_text()
    with _pdf(short) as pdf:                   # one page of text: the 版记 alone on page 2, numbered
        assert len(pdf.pages) == 2 and _page_number(pdf.pages[1])[0] == "— 2 —"
        assert "贯彻执行" in pdf.pages[0].extract_text() and "贯彻执行" not in pdf.pages[1].extract_text()
        assert "印发" in pdf.pages[1].extract_text() and "印发" not in pdf.pages[0].extract_text()
    with _pdf(joint) as pdf:                   # no 抄送, no 印发机关: no 版记, no second page
        assert len(pdf.pages) == 1
    # the Word file turns the same pages before its 版记 (Word lays out the same grid)
    breaks = [br for br in _docx(short).element.body.iter(qn("w:br")) if br.get(qn("w:type")) == "page"]
    assert len(breaks) == 1
    assert [br for br in _docx(joint).element.body.iter(qn("w:br")) if br.get(qn("w:type")) == "page"] == []
    # a text that ends on a full even page: grow the body until it does
    for extra in range(0, 60):
        doc = _document(office, title="关于版记换页的通知", doc_type="TONGZHI", writing_direction="XIAXING",
                        body="\n".join(["一二三四五六七八九十" * 5] * (12 + extra)), printing_org=office,
                        printed_date=dt.date(2026, 3, 6))
        _recipient(doc, "MAIN", 1, group="各区人民政府")
        db.session.flush()
        db.session.refresh(doc)
        with _pdf(doc) as pdf:
            texts = [page.extract_text() for page in pdf.pages]
            if len(pdf.pages) >= 4 and not texts[-2].strip():
                assert len(pdf.pages) % 2 == 0
                assert _page_number(pdf.pages[-1])[0] == "" and "印发" in texts[-1]
                _the_word_files_blank_page_and_imprint_page_print_no_number(doc)
                return
    pytest.fail("no body length left the 版记 after a blank page")


def _the_word_files_blank_page_and_imprint_page_print_no_number(doc):
    """The Word file ends a section with the text (the break on its last paragraph, taking no
    line) and puts the blank page and the 版记 in a section whose footers are empty."""
    word = _docx(doc)
    numbered, last = word.sections[0], word.sections[-1]
    assert len(word.sections) == 2
    body = word.element.body
    holder = numbered._sectPr.getparent().getparent()                     # w:p › w:pPr › w:sectPr
    assert holder.tag == qn("w:p") and "2026年3月5日" in "".join(holder.itertext())
    for footer in (numbered.footer, numbered.even_page_footer):
        assert footer._element.xpath(".//w:instrText")[0].text.strip() == "PAGE"
    for footer in (last.footer, last.even_page_footer):
        assert not footer.is_linked_to_previous and footer._element.xpath(".//w:instrText") == []
        assert "".join(p.text for p in footer.paragraphs).strip() == ""
    after = list(body)[list(body).index(holder) + 1:]
    breaks = [br for element in after for br in element.iter(qn("w:br")) if br.get(qn("w:type")) == "page"]
    assert len(breaks) == 1                     # the new section opens the blank page; one turn to the 版记's


def test_page_numbers_odd_right_even_left_7mm_below_the_text_block(notice):
    with _pdf(notice) as pdf:
        inset = _mm(std.SMALL_PT)      # one 4号 character
        for n, page in enumerate(pdf.pages, 1):
            text, chars = _page_number(page)
            assert text == f"— {n} —"
            assert {round(c["size"], 1) for c in chars} == {14.0}
            middle = (_mm(min(c["top"] for c in chars)) + _mm(max(c["bottom"] for c in chars))) / 2
            assert middle == pytest.approx(TEXT_BOTTOM + 7, abs=0.3)
            if n % 2:
                assert _mm(max(c["x1"] for c in chars)) == pytest.approx(TEXT_RIGHT - inset, abs=0.1)
            else:
                assert _mm(min(c["x0"] for c in chars)) == pytest.approx(std.MARGIN_LEFT + inset, abs=0.1)


def test_an_upward_document_shows_its_signer_on_the_line_of_its_number(request_doc):
    with _pdf(request_doc) as pdf:
        page = pdf.pages[0]
        doc_no = _find(page, request_doc.doc_no)
        signer = _find(page, "签发人：王市长")
        cell = _mm(16)
        assert _mm(doc_no[0]["x0"]) == pytest.approx(std.MARGIN_LEFT + cell, abs=0.05)    # 居左空一字
        assert _mm(signer[-1]["x1"]) == pytest.approx(TEXT_RIGHT - cell, abs=0.05)        # 居右空一字
        assert doc_no[0]["bottom"] == pytest.approx(signer[0]["bottom"], abs=0.01)      # one line
        assert all(KAI in c["fontname"] for c in signer[-3:]) and all(SONG in c["fontname"] for c in signer[:4])
        red = [ln for ln in page.lines if tuple(ln["stroking_color"]) == (1, 0, 0)]
        assert _mm(red[0]["top"]) - _mm(doc_no[0]["bottom"]) == pytest.approx(4.0, abs=0.3)
        assert "福建省人民政府：" in page.extract_text()
        _text_, chars = _page_number(page)
        assert _text_ == "— 1 —"


def test_a_joint_document_stacks_its_issuers_with_wenjian_beside_them(joint):
    with _pdf(joint) as pdf:
        page = pdf.pages[0]
        red = [c for c in page.chars if c["non_stroking_color"] == (1, 0, 0)]
        rows = defaultdict(list)
        for c in red:
            rows[round(_mm(c["bottom"]), 1)].append(c)
        lines = [sorted(rows[k], key=lambda c: c["x0"]) for k in sorted(rows)]
        texts = [_text(line) for line in lines]
        assert texts[0] == "厦门市人民政府" and texts[-1] == "厦门市发展和改革委员会"
        word = [line for line in lines if _text(line) == "文件"]
        assert len(word) == 1
        names = [line for line in lines if _text(line) != "文件"]
        # the names spread to one width, 文件 to their right, centred between them
        assert _mm(names[0][0]["x0"]) == pytest.approx(_mm(names[1][0]["x0"]), abs=0.05)
        assert _mm(names[0][-1]["x1"]) == pytest.approx(_mm(names[1][-1]["x1"]), abs=0.05)
        assert word[0][0]["x0"] > names[0][-1]["x1"]
        word_middle = (word[0][0]["top"] + word[0][0]["bottom"]) / 2
        names_middle = (names[0][0]["top"] + names[-1][0]["bottom"]) / 2
        assert word_middle == pytest.approx(names_middle, abs=1)
        assert _mm(min(c["top"] for c in red)) == pytest.approx(std.MARGIN_TOP + 35, abs=1.5)
        text = page.extract_text()
        # both sign, the lead first
        assert text.index("厦门市人民政府\n") < text.rindex("厦门市发展和改革委员会") < text.index("2026年3月5日")


# --- the DOCX --------------------------------------------------------------------------------------
def _docx(doc, layout=None):
    data, name = render(doc, "docx", layout)
    assert name.endswith(".docx")
    return docx.Document(io.BytesIO(data))


def _east_asian(style) -> str:
    return style.element.rPr.rFonts.get(qn("w:eastAsia"))


def test_docx_page_setup_grid_and_footers(notice):
    word = _docx(notice)
    section = word.sections[0]
    assert (round(section.page_width.mm, 1), round(section.page_height.mm, 1)) == (210.0, 297.0)
    assert [round(m.mm, 1) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                     section.right_margin)] == [37.0, 35.0, 28.0, 26.0]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    line_pitch = int(grid.get(qn("w:linePitch"))) / 20                     # twips → pt
    assert std.mm_to_pt(225) / line_pitch == pytest.approx(22, abs=0.02)
    char_pitch = 16 + int(grid.get(qn("w:charSpace"))) / 4096               # the default font size + charSpace
    assert std.mm_to_pt(156) / char_pitch == pytest.approx(28, abs=0.01)
    defaults = word.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:sz")).get(qn("w:val")) == "32"                # …which is 16 pt
    assert defaults.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert word.settings.odd_and_even_pages_header_footer
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert odd.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert even.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert round(odd.paragraph_format.right_indent.pt) == round(even.paragraph_format.left_indent.pt) == 14
    for footer in (odd, even):
        assert footer.text.startswith("— ") and footer.text.endswith(" —")
        assert footer._p.xpath(".//w:instrText")[0].text.strip() == "PAGE"
        assert footer.style.name == "页码" and footer.style.font.size.pt == 14
        assert _east_asian(footer.style) == "宋体"
    # 7 mm below the 版心: the footer's one 4号 line centred there
    assert section.footer_distance.mm + std.pt_to_mm(14) / 2 == pytest.approx(35 - 7, abs=0.1)


def test_docx_styles_name_the_office_fonts(notice):
    word = _docx(notice)
    expected = {"Normal": ("仿宋_GB2312", 16), "公文正文": ("仿宋_GB2312", 16), "公文标题": ("方正小标宋简体", 22),
                "发文机关标志": ("方正小标宋简体", None), "版头标注": ("黑体", 16), "版记": ("仿宋_GB2312", 14),
                "一级标题": ("黑体", None), "二级标题": ("楷体_GB2312", None), "三级标题": ("仿宋_GB2312", None)}
    for name, (font, size) in expected.items():
        style = word.styles[name]
        assert style.font.name == font and _east_asian(style) == font, name
        if size:
            assert style.font.size.pt == size, name
    assert word.styles["发文机关标志"].font.color.rgb == docx.shared.RGBColor(0xFF, 0, 0)
    assert word.styles["公文标题"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    first_line = word.styles["公文正文"].element.pPr.find(qn("w:ind")).get(qn("w:firstLineChars"))
    assert first_line == "200"                                                 # 左空二字


def test_docx_carries_the_documents_parts(notice):
    word = _docx(notice)
    paragraphs = [(p.style.name, p.text) for p in word.paragraphs]
    texts = [text for _style, text in paragraphs]
    assert ("版头标注", "特急") in paragraphs
    assert ("发文机关标志", f"{notice.issuer.name_zh}文件") in paragraphs
    doc_no = next(p for p in word.paragraphs if p.text == notice.doc_no)
    assert doc_no.style.name == "发文字号"
    border = doc_no._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert (border.get(qn("w:color")), border.get(qn("w:sz"))) == ("FF0000", "8")     # 0.35 mm, red
    assert int(border.get(qn("w:space"))) == round(std.mm_to_pt(4))                   # 4 mm below
    title = next(p for p in word.paragraphs if p.style.name == "公文标题")
    assert title.text.replace("\n", "") == notice.title
    assert ("主送机关", "各区人民政府，市直各委、办、局：") in paragraphs
    heading = next(p for p in word.paragraphs if p.text == "一、总体要求")
    assert heading.runs[0].style.name == "一级标题"
    second = next(p for p in word.paragraphs if p.text.startswith("（一）"))
    assert (second.runs[0].style.name, second.runs[0].text) == ("二级标题", "（一）明确工作目标。")
    assert "附件：1.厦门市政务服务事项清单" in texts and "2.各区各部门任务分工表" in texts
    assert texts.index(notice.issuer.name_zh) < texts.index("2026年3月5日") < texts.index("（此件公开发布）")
    imprint = word.tables[-1]
    cells = [row.cells[0].text for row in imprint.rows]
    assert cells == ["抄送：市委办公厅，市人大常委会办公厅，市政协办公厅，市中级法院。",
                     "厦门市人民政府办公厅\t2026年3月6日印发"]
    borders = imprint._tbl.tblPr.find(qn("w:tblBorders"))
    assert [borders.find(qn(f"w:{side}")).get(qn("w:sz")) for side in ("top", "insideH", "bottom")] == ["8", "6", "8"]
    anchor = imprint._tbl.tblPr.find(qn("w:tblpPr"))
    assert (anchor.get(qn("w:vertAnchor")), anchor.get(qn("w:tblpYSpec"))) == ("margin", "bottom")


def test_docx_of_an_upward_and_a_joint_document(request_doc, joint):
    word = _docx(request_doc)
    line = next(p for p in word.paragraphs if "签发人：" in p.text)
    assert line.text == f"\u3000{request_doc.doc_no}\t签发人：王市长"
    name = line.runs[-1]
    assert name.text == "王市长" and name._r.rPr.rFonts.get(qn("w:eastAsia")) == "楷体_GB2312"
    assert line._p.pPr.find(qn("w:pBdr")) is not None                           # the red line under it

    word = _docx(joint)
    mark = word.tables[0]
    names, beside = mark.rows[0].cells
    assert [p.text for p in names.paragraphs] == ["厦门市人民政府", "厦门市发展和改革委员会"]
    assert all(p.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.DISTRIBUTE for p in names.paragraphs)
    assert beside.text == "文件"
    texts = [p.text for p in word.paragraphs]
    assert texts.index("厦门市人民政府") < texts.index("厦门市发展和改革委员会") < texts.index("2026年3月5日")


# --- a classified record -----------------------------------------------------------------------------
def test_a_classified_record_prints_as_its_registration_stub(ctx):
    government = _unit("厦门市人民政府")
    doc = _document(government, title="关于某涉密事项的通知", doc_type="TONGZHI", writing_direction="XIAXING",
                    secrecy_level="JIMI", secrecy_term="20年", copy_no="000042", urgency="JIAJI",
                    body="不得出现的正文。", attachment_note="不得出现的附件")
    _recipient(doc, "MAIN", 1, group="各区人民政府")
    db.session.flush()
    db.session.refresh(doc)
    with _pdf(doc) as pdf:
        text = "".join(page.extract_text() for page in pdf.pages)
        page = pdf.pages[0]
        for withheld in ("某涉密事项", "不得出现", "各区人民政府"):
            assert withheld not in text
        assert "涉密公文登记页" in text and "本系统仅保留其登记信息" in text
        marks = [_text(line) for line in _lines_of(page, 0, std.MARGIN_TOP + 3 * PITCH_MM)]
        assert marks == ["000042", "机密★20年", "加急"]                 # 份号, 密级★期限, 紧急程度 in order
        assert doc.doc_no in text
    data, name = render(doc, "docx")
    assert "某涉密事项" not in name and "涉密公文登记页" in name
    word = docx.Document(io.BytesIO(data))
    texts = "\n".join(p.text for p in word.paragraphs)
    for withheld in ("某涉密事项", "不得出现", "各区人民政府"):
        assert withheld not in texts
    assert "机密★20年" in texts and "000042" in texts and doc.doc_no in texts


def test_only_outgoing_documents_in_known_formats(notice):
    with pytest.raises(ValueError):
        render(notice, "odt")
    notice.direction = "INCOMING"
    with pytest.raises(ValueError):
        render(notice, "pdf")


# --- the pieces: the grid's line breaking and the record's words ---------------------------------------
def test_a_line_never_opens_with_a_closing_mark_nor_ends_with_an_opening_one():
    from app.paper.lines import break_lines, title_lines

    lines = break_lines([("一" * 28 + "，二三", "f")], 28)
    assert ["".join(g.char for g in line) for line in lines] == ["一" * 27, "一，二三"]   # the 28th moves down
    lines = break_lines([("一" * 27 + "（二）", "f")], 28)
    assert ["".join(g.char for g in line) for line in lines] == ["一" * 27, "（二）"]
    lines = break_lines([("一" * 26 + "“二”", "f")], 28)
    assert ["".join(g.char for g in line) for line in lines] == ["一" * 26, "“二”"]      # “ never ends a line
    lines = break_lines([("2026年" + "一" * 30, "f")], 28, 2)
    assert [g.cell for g in lines[0][:5]] == [2, 2.5, 3, 3.5, 4]                         # half-width digits
    assert lines[0][-1].cell == 27 and lines[1][0].cell == 0
    assert title_lines("一" * 19, 19) == ["一" * 19]
    assert sorted(len(t) for t in title_lines("一" * 25, 19)) == [12, 13]                # about equal lines


@pytest.mark.parametrize("title, lines", [
    ("厦门市人民政府关于进一步加强政务服务标准化规范化便利化建设工作的通知",
     ["厦门市人民政府关于进一步加强政务服务", "标准化规范化便利化建设工作的通知"]),
    ("厦门市人民政府办公厅关于2026年度办公厅机关公务接待计划的签报",            # 2026|年度 stays whole
     ["厦门市人民政府办公厅关于2026年度", "办公厅机关公务接待计划的签报"]),
    ("厦门市人民政府办公厅关于印发《厦门市公共数据资源开发利用管理办法》的通知",  # a name longer than a line
     ["厦门市人民政府办公厅关于印发《厦门市", "公共数据资源开发利用管理办法》的通知"]),
])
def test_a_long_title_breaks_between_words_into_even_lines(title, lines):
    """7.3.1: a title of several lines keeps its words whole (厦门 | 市 is not a break), its lines
    about equal, a 《name》 split only when it cannot fit on a line."""
    from app.paper.lines import title_lines

    assert title_lines(title, std.TITLE_CHARS_PER_LINE) == lines


def test_a_body_opening_with_the_recipients_line_prints_the_salutation_once():
    from app.paper.outgoing import body_paragraphs, salutation_once

    body = body_paragraphs("各区人民政府, 市直各委、办、局：\n现印发给你们，请认真贯彻执行。")
    mains, paragraphs = salutation_once("各区人民政府，市直各委、办、局：", body)
    assert mains == "各区人民政府，市直各委、办、局："
    assert [p.text for p in paragraphs] == ["现印发给你们，请认真贯彻执行。"]
    mains, paragraphs = salutation_once("", body)                 # no 主送 on the record: the body's line is it
    assert mains == "各区人民政府, 市直各委、办、局：" and len(paragraphs) == 1
    other = body_paragraphs("福建省人民政府：\n妥否，请批示。")  # another line than the 主送: both kept
    assert salutation_once("各区人民政府：", other) == ("各区人民政府：", other)


def test_the_records_words():
    from app.paper.lines import signature_columns
    from app.paper.outgoing import attachment_names, chinese_date, heading_level, secrecy_mark

    assert chinese_date(dt.date(2026, 1, 5)) == "2026年1月5日"
    assert (secrecy_mark("MIMI", "10年"), secrecy_mark("JUEMI", ""), secrecy_mark("NEIBU", "1年")) == \
        ("秘密★10年", "绝密", "")
    assert heading_level("一、总体要求") == (1, "一、总体要求")
    assert heading_level("（二）优化流程。各区要……") == (2, "（二）优化流程。")
    assert heading_level("12.完善制度") == (3, "12.完善制度")
    assert heading_level("（3）建立台账。") == (4, "（3）建立台账。")
    assert heading_level("2026年全市……") == (0, "")
    assert attachment_names("附件：1.清单。\n\n2.任务表\n") == ["1.清单", "2.任务表"]
    assert attachment_names("任务分工表") == ["任务分工表"]
    # 7.3.5.2: the date two characters right of the names; a longer date moves the names left
    assert signature_columns(["厦门市人民政府办公厅"], "2026年3月5日", 28, 2, 2) == (16, 18)
    assert signature_columns(["厦门市人民政府"], "2026年3月5日", 28, 2, 2) == (18, 20)
    assert signature_columns(["市府办"], "2026年12月25日", 28, 2, 2) == (17, 19)


# --- the office's own layout (app/templates/paper/gbt9704.toml, changed in the console) ---------------
def test_a_sealed_signature_dates_four_characters_from_the_right_with_the_issuer_centred_above(notice):
    """7.3.5.1: with a seal pressed by hand, the 成文日期 ends four characters from the right, the
    issuer is centred above it, and two blank lines part them from the text (the seal's top
    within one line of it)."""
    from app.paper.office_layout import OfficeLayout

    cell = std.TEXT_WIDTH / 28
    with _pdf(notice, OfficeLayout(signature="sealed")) as pdf:
        page = [page for page in pdf.pages if "附件：" in page.extract_text()][0]
        signature = _find(page, notice.issuer.name_zh)
        date = _find(page, "2026年3月5日")
        last_text = _find(page, "2.各区各部门任务分工表")
        assert TEXT_RIGHT - _mm(date[-1]["x1"]) == pytest.approx(4 * cell, abs=0.4)
        middle = lambda chars: (_mm(chars[0]["x0"]) + _mm(chars[-1]["x1"])) / 2  # noqa: E731
        assert middle(signature) == pytest.approx(middle(date), abs=0.5)
        assert _mm(signature[0]["top"]) - _mm(last_text[0]["top"]) == pytest.approx(3 * PITCH_MM, abs=0.05)
    with _pdf(notice) as pdf:                   # 7.3.5.2 by default: one blank line
        page = [page for page in pdf.pages if "附件：" in page.extract_text()][0]
        gap = _mm(_find(page, notice.issuer.name_zh)[0]["top"]) - _mm(_find(page, "2.各区各部门任务分工表")[0]["top"])
        assert gap == pytest.approx(2 * PITCH_MM, abs=0.05)
    word = _docx(notice, OfficeLayout(signature="sealed"))
    paragraphs = word.paragraphs
    first = next(i for i, p in enumerate(paragraphs) if p.style.name == "署名")
    assert [p.text for p in paragraphs[first - 2:first]] == ["", ""]
    date_p = next(p for p in paragraphs if p.text == "2026年3月5日")
    left = int(date_p._p.pPr.find(qn("w:ind")).get(qn("w:leftChars"))) / 100
    assert left + 6 * 0.5 + 3 == pytest.approx(28 - 4, abs=0.01)        # 2026 年 3 月 5 日: 4.5 + 3 cells … ends 4 in


def test_the_offices_words_and_fonts_print_as_its_layout_says(notice, joint):
    from app.paper.office_layout import Fonts, OfficeLayout

    layout = OfficeLayout(issuer_mark="{issuer}", joint_mark_word="", page_number="第{n}页", copied_to_label="抄：",
                          printed="{date}印", attachment_label="附：",
                          fonts=Fonts(body="方正仿宋_GBK", title="方正小标宋_GBK", kaiti="方正楷体_GBK"))
    with _pdf(notice, layout) as pdf:
        first = pdf.pages[0]
        red = "".join(c["text"] for c in sorted(first.chars, key=lambda c: c["x0"])
                      if c["non_stroking_color"] == (1, 0, 0))
        assert red == "厦门市人民政府"
        assert [_page_number(page)[0] for page in pdf.pages[:2]] == ["第1页", "第2页"]
        text = "\n".join(page.extract_text() for page in pdf.pages)
        assert "抄：" in text and "抄送：" not in text and "2026年3月6日印" in text and "附：1." in text
    with _pdf(joint, layout) as pdf:
        assert "文件" not in "".join(c["text"] for c in pdf.pages[0].chars if c["non_stroking_color"] == (1, 0, 0))
    word = _docx(notice, layout)
    assert _east_asian(word.styles["公文正文"]) == "方正仿宋_GBK"
    assert _east_asian(word.styles["公文标题"]) == _east_asian(word.styles["发文机关标志"]) == "方正小标宋_GBK"
    assert _east_asian(word.styles["二级标题"]) == "方正楷体_GBK" and _east_asian(word.styles["一级标题"]) == "黑体"
    assert word.sections[0].footer.paragraphs[0].text == "第1页"


@pytest.mark.parametrize("change, reason", [
    (('issuer_mark = "{issuer}文件"', 'issuer_mark = "{unit}文件"'), "unknown placeholder {unit}"),
    (('printed = "{date}印发"', 'printed = "印发"'), "must hold {date} once"),
    (('signature = "unsealed"', 'signature = "stamped"'), 'signature is one of: "unsealed", "sealed"'),
    (('signature = "unsealed"', 'signature = "unsealed"\ncolour = "red"'), "colour is not a setting"),
    (('attachment_label = "附件："', 'attachment_label = 附件'), "Line "),
    (('copied_to_label = "抄送："', 'copied_to_label = "抄送给以下各有关单位："'), "at most 8 characters"),
    (('body = "仿宋_GB2312"', 'body = ""'), "1 to 40 characters"),
])
def test_a_layout_that_breaks_a_rule_is_refused_with_its_line_and_reason(app, change, reason):
    from app.paper.office_layout import LayoutRefused, default_source, parse

    old, new = change
    text = default_source()
    assert old in text
    from flask_babel import force_locale

    with app.test_request_context(), force_locale("en"), pytest.raises(LayoutRefused) as refused:
        parse(text.replace(old, new))
    line = text.splitlines().index(old) + 1 if "\n" not in new else None
    assert reason in str(refused.value)
    if line:
        assert f"Line {line}:" in str(refused.value)


def test_the_shipped_layout_is_the_standards_default(app):
    from app.paper.office_layout import OfficeLayout, default_source, parse

    assert parse(default_source()) == OfficeLayout()
