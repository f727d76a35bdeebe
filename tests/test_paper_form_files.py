"""The office's paper forms as files (app/paper_forms/files.py): every form declared also
downloads as PDF and Word, written from the same drawn layout the browser prints — the form's
title and the record's values in both, A4, long values wrapped inside their cell, an admin's
changed layout in all three, sensitive values masked, out of scope nothing.

Generated over the registry like tests/test_paper_forms.py: a form declared later is covered."""
from __future__ import annotations

import datetime as dt
import io
import re
import urllib.parse
import uuid

import pdfplumber
import pytest
from docx import Document as open_docx
from flask_babel import force_locale

import views  # noqa: F401  (registers every entity)
from app.extensions import db
from app.paper_forms.files import filename
from app.paper_forms.sheet import NumberedList, Paragraph, Table, read
from app.registry.spec import REGISTRY
from models.audit import AuditLog
from models.documents import Document
from models.meetings import Meeting
from models.supervision import SupervisionAssignment, SupervisionItem, UrgeRecord
from tests.factories import make
from tests.test_paper_forms import FORMS, _unit, _upload, restored  # noqa: F401  (a fixture)
from tests.test_scope import _foreign_record

#: The text column each form shows in full, where a test puts a value it then looks for.
SHOWN = {UrgeRecord: "content"}
MM = 72 / 25.4




def _pdf_text(data: bytes) -> tuple[str, list]:
    """The PDF's text (without line breaks: a value may wrap) and its pages."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = [(page.width, page.height, page.chars) for page in pdf.pages]
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    return re.sub(r"\s+", "", text), pages


def _docx_text(data: bytes) -> str:
    doc = open_docx(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return re.sub(r"\s+", "", "".join(parts))


def _record(app, entity, paper, tag: str, **values) -> int:
    if entity.model is Document:
        values["direction"] = "INCOMING" if paper.key == "receipt_sheet" else "OUTGOING"
    values[SHOWN.get(entity.model, "title")] = f"表单文件测试{tag}"
    with app.app_context():
        record = make_record(entity.model, **values)
        db.session.commit()
        return record.id


def make_record(model, **values):
    return make(db.session, model, **values)


def _download(client, entity, key: str, pk: int, fmt: str):
    answer = client.get(f"/{entity.name.lower()}view/paper/{key}/{pk}/{fmt}")
    assert answer.status_code == 200, answer.status_code
    disposition = urllib.parse.unquote(answer.headers["Content-Disposition"])
    return answer.data, disposition


@pytest.mark.parametrize("entity, paper", FORMS, ids=lambda x: getattr(x, "key", getattr(x, "name", "")))
def test_each_form_downloads_as_pdf_and_word_with_its_title_and_values(app, as_role, entity, paper):
    assert tuple(paper.formats) == ("pdf", "docx")
    tag = uuid.uuid4().hex[:6]
    pk = _record(app, entity, paper, tag)
    admin = as_role("admin", "zh")
    with app.test_request_context(), force_locale("zh_Hans_CN"):
        title = str(paper.title)
    assert f"/paper/{paper.key}/{pk}/docx" in admin.get(f"/{entity.name.lower()}view/show/{pk}").get_data(as_text=True)

    data, disposition = _download(admin, entity, paper.key, pk, "pdf")
    assert data[:4] == b"%PDF" and f"{title}-" in disposition and disposition.endswith('.pdf')
    text, pages = _pdf_text(data)
    width, height, _chars = pages[0]
    assert (round(width / MM), round(height / MM)) == (210, 297)                           # A4
    assert text.startswith("厦门市人民政府办公厅" + title)                                 # the sheet's head
    assert f"表单文件测试{tag}" in text

    data, disposition = _download(admin, entity, paper.key, pk, "docx")
    assert data[:4] == b"PK\x03\x04" and disposition.endswith(".docx")
    doc = open_docx(io.BytesIO(data))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.left_margin.mm), round(section.right_margin.mm)) == (20, 18)
    text = _docx_text(data)
    assert text.startswith("厦门市人民政府办公厅" + title) and f"表单文件测试{tag}" in text


def test_the_file_is_named_by_the_form_and_the_record_in_the_readers_language(app, as_role):
    entity = REGISTRY[Meeting]
    paper = next(p for p in entity.papers if p.key == "minutes")
    pk = _record(app, entity, paper, "名称")
    _data, disposition = _download(as_role("admin", "en"), entity, "minutes", pk, "docx")
    assert "Meeting minutes-" in disposition
    assert filename("督办通知单", '关于"A/B"的督办:第1次', "pdf") == "督办通知单-关于AB的督办第1次.pdf"


def test_each_page_says_who_printed_it_and_its_number(app, as_role):
    entity = REGISTRY[Meeting]
    paper = next(p for p in entity.papers if p.key == "minutes")
    pk = _record(app, entity, paper, "页脚")
    client = as_role("manager", "en")
    data, _disposition = _download(client, entity, "minutes", pk, "pdf")
    text, _pages = _pdf_text(data)
    assert "Printedbymanagerat" in text and "—1—" in text
    word, _disposition = _download(client, entity, "minutes", pk, "docx")
    assert "Printed by manager at" in open_docx(io.BytesIO(word)).sections[0].footer.paragraphs[0].text


def test_a_marked_record_carries_its_secrecy_top_left(app, as_role):
    entity = REGISTRY[Document]
    paper = next(p for p in entity.papers if p.key == "draft_sheet")
    pk = _record(app, entity, paper, uuid.uuid4().hex[:6], secrecy_level="NEIBU")
    admin = as_role("admin", "zh")
    text, pages = _pdf_text(_download(admin, entity, "draft_sheet", pk, "pdf")[0])
    assert text.startswith("内部厦门市人民政府办公厅发文稿纸")
    first = min(pages[0][2], key=lambda c: (round(c["top"]), c["x0"]))
    assert first["text"] == "内" and abs(first["x0"] - 20 * MM) < 2                       # at the left margin
    assert _docx_text(_download(admin, entity, "draft_sheet", pk, "docx")[0]).startswith("内部厦门市")


def test_a_long_value_wraps_inside_its_cell(app, as_role):
    entity = REGISTRY[SupervisionItem]
    paper = next(p for p in entity.papers if p.key == "supervision_notice")
    long = "请牵头单位会同有关部门全面梳理城市易涝点并逐一制定整治方案" * 12 + "ABCDEFGHIJKLMNOPQRSTUVWXYZ" * 6
    pk = _record(app, entity, paper, uuid.uuid4().hex[:6], content=long)
    admin = as_role("admin", "zh")
    _text, pages = _pdf_text(_download(admin, entity, "supervision_notice", pk, "pdf")[0])
    values = "".join(c["text"] for _w, _h, chars in pages for c in chars if c["x0"] > (20 + 0.22 * 172) * MM)
    assert long in values                                           # right of the labels, in order
    for width, _height, chars in pages:
        assert chars and max(c["x1"] for c in chars) <= width - 18 * MM + 0.5             # the right margin
        letters = [c for c in chars if c["text"].isascii() and c["text"].isupper()]     # only the value has them
        assert max(c["x1"] for c in letters) <= width - 18 * MM - 2.5 * MM + 0.5         # inside its cell
        assert min(c["x0"] for c in chars) >= 20 * MM - 0.5
    assert long in _docx_text(_download(admin, entity, "supervision_notice", pk, "docx")[0])


@pytest.mark.usefixtures("restored")
def test_a_changed_layout_changes_the_pdf_and_the_word_file(app, as_role):
    admin = as_role("admin", "zh")
    shipped = admin.get("/console/paper-forms/urge_notice/download").get_data(as_text=True)
    changed = shipped + '<p class="mine">本单位自定义：{{ v.content }}</p>'
    assert "已保存" in _upload(admin, "urge_notice", changed).get_data(as_text=True)
    entity = REGISTRY[UrgeRecord]
    with app.app_context():
        pk = make_record(UrgeRecord, content="版式测试").id
        db.session.commit()
    assert "本单位自定义：版式测试" in _pdf_text(_download(admin, entity, "urge_notice", pk, "pdf")[0])[0]
    assert "本单位自定义：版式测试" in _docx_text(_download(admin, entity, "urge_notice", pk, "docx")[0])


def test_a_clerk_gets_the_phone_masked_in_the_supervision_notice(app, as_role):
    unit = _unit(app)
    tag = uuid.uuid4().hex[:6]
    with app.app_context():
        item = make_record(SupervisionItem, title=f"督办文件测试{tag}", item_no=f"督{tag}", lead_department_id=unit,
                           due_date=dt.date(2026, 2, 28), created_by="clerk")
        db.session.add(SupervisionAssignment(item=item, department_id=unit, role="ZHUBAN", contact_person="钟怡",
                                             contact_phone="13549387292"))
        db.session.commit()
        pk = item.id
    entity = REGISTRY[SupervisionItem]
    clerk = as_role("clerk", "zh")
    for fmt, text_of in (("pdf", lambda data: _pdf_text(data)[0]), ("docx", _docx_text)):
        text = text_of(_download(clerk, entity, "supervision_notice", pk, fmt)[0])
        assert "钟怡" in text and "135****7292" in text and "13549387292" not in text
    admin_pdf = _download(as_role("admin", "zh"), entity, "supervision_notice", pk, "pdf")[0]
    assert "13549387292" in _pdf_text(admin_pdf)[0]
    with app.app_context():                                 # shown in full: audited as on the page
        assert db.session.query(AuditLog).filter_by(action="UNMASK", entity="SupervisionAssignment").filter(
            AuditLog.record_name.contains(tag)).count() == 1


def test_without_the_pdf_fonts_a_form_is_still_had_in_word(app, as_role, monkeypatch):
    import app.paper_forms.files as files
    from app.paper.pdf_fonts import PaperFontsMissing

    def missing(_face):
        raise PaperFontsMissing("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc is missing: install fonts-wqy-zenhei")

    monkeypatch.setattr(files, "font_name", missing)
    entity = REGISTRY[Meeting]
    pk = _record(app, entity, entity.papers[0], uuid.uuid4().hex[:6])
    client = as_role("manager", "en")
    answer = client.get(f"/meetingview/paper/minutes/{pk}/pdf")
    assert answer.status_code == 302 and answer.location.endswith(f"/meetingview/show/{pk}")
    assert "fonts-wqy-zenhei" in client.get(answer.location).get_data(as_text=True)
    assert client.get(f"/meetingview/paper/minutes/{pk}/docx").status_code == 200


def test_out_of_scope_or_unknown_format_is_not_found(app, as_role):
    pk, _version = _foreign_record(app, REGISTRY[SupervisionItem])
    clerk = as_role("clerk", "en")
    for fmt in ("pdf", "docx"):
        assert clerk.get(f"/supervisionitemview/paper/supervision_notice/{pk}/{fmt}").status_code == 404
    admin = as_role("admin", "en")
    assert admin.get(f"/supervisionitemview/paper/supervision_notice/{pk}/odt").status_code == 404
    assert admin.get(f"/supervisionitemview/paper/no_such_form/{pk}/pdf").status_code == 404


def test_the_sheet_reader_keeps_the_layouts_structure_and_degrades_the_rest():
    blocks = read(
        '<div class="office-paper-no">No. 7</div><p class="office-paper-to">市水利局：</p>'
        '<table class="office-paper-table"><colgroup><col class="office-paper-label"><col></colgroup>'
        '<tr class="office-paper-tall"><th>批示</th><td><div class="office-paper-act">'
        '<div class="office-paper-opinion">同意。\n请办理。</div><div class="office-paper-sign">张三'
        '<span class="office-paper-date">2026年3月3日</span></div></div></td></tr>'
        '<tr class="office-paper-title-row"><th>标题</th><td colspan="3">关于<b>测试</b>的通知</td></tr></table>'
        '<h2>一、议题</h2><ol><li>第一项</li><li>第二项</li></ol>'
        '<marquee>未知<blink>标签</blink></marquee><p>未闭合<table><tr><td>孤</td>')
    assert blocks[0] == Paragraph("No. 7", "center") and blocks[1] == Paragraph("市水利局：", "plain")
    table = blocks[2]
    assert isinstance(table, Table) and table.widths[0] == pytest.approx(0.22) and sum(table.widths) == 1
    (label, cell), (_title_label, title) = table.rows
    assert label.header and cell.tall and [(line.text, line.role) for line in cell.lines] == [
        ("同意。\n请办理。", "plain"), ("张三 2026年3月3日", "right")]
    assert title.big and title.colspan == 3 and title.text == "关于测试的通知"
    assert blocks[3] == Paragraph("一、议题", "heading")
    assert blocks[4] == NumberedList(["第一项", "第二项"])
    assert blocks[5] == Paragraph("未知标签") and blocks[6] == Paragraph("未闭合")
    assert isinstance(blocks[7], Table) and blocks[7].rows[0][0].text == "孤"
    assert read("") == [] and read("<<<>>>&&") != []
