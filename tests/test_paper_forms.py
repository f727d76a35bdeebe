"""The office's paper forms (app/paper_forms): 发文稿纸, 收文处理笺, 电报处理单, 督办通知单, 催办单
and 会议纪要, printed from the record page as a leader signs and reads them — filled from the
record and its handling steps, in the reader's language, only for the records they belong to
and only within his scope, sensitive values masked as on the page, each print audited.

Also generated over the registry: every declared form of every entity prints for a record it
applies to."""
from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from flask_babel import force_locale

import views  # noqa: F401  (registers every entity)
from app.extensions import db
from app.registry.spec import REGISTRY
from models.audit import AuditLog
from models.documents import Document, DocumentStep
from models.meetings import Meeting, MeetingDecision, MeetingTopic
from models.org import Department
from models.supervision import SupervisionAssignment, SupervisionItem, UrgeRecord
from tests.conftest import TEST_UNIT_CODE, login
from tests.factories import make
from tests.test_scope import _foreign_record

PAPERS = [(entity, paper) for entity in sorted(REGISTRY.values(), key=lambda e: e.name) for paper in entity.papers]
FORMS = [(entity, paper) for entity, paper in PAPERS if paper.fill is not None]
FILES = [(entity, paper, fmt) for entity, paper in PAPERS for fmt in paper.formats]


@pytest.fixture(scope="module")
def admin(app):
    return login(app.test_client(), "admin", lang="zh")


def _text(page: str) -> str:
    """The sheet's words without tags (a value and its label may sit in neighbouring cells)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def _cell(page: str, label: str) -> str:
    """The value in the cell right of the header `label`."""
    found = re.search(rf"<th>{re.escape(label)}</th><td[^>]*>(.*?)</td>", page, re.S)
    assert found, label
    return _text(found.group(1)).strip()


def _unit(app) -> int:
    with app.app_context():
        return db.session.query(Department.id).filter_by(code=TEST_UNIT_CODE).scalar()


def test_every_declared_form_prints_for_a_record_it_applies_to():
    assert {paper.key for _entity, paper in PAPERS} >= {"draft_sheet", "receipt_sheet", "telegram_sheet",
                                                        "supervision_notice", "urge_notice", "minutes"}


@pytest.mark.parametrize("entity, paper", FORMS, ids=lambda x: getattr(x, "key", getattr(x, "name", "")))
def test_each_form_prints_audited_and_the_history_names_it(app, admin, entity, paper):
    values = {}
    if entity.model is Document:
        values["direction"] = "INCOMING" if paper.key == "receipt_sheet" else "OUTGOING"
    with app.app_context():
        record = make(db.session, entity.model, **values)
        db.session.commit()
        pk = record.id
    page = admin.get(f"/{entity.name.lower()}view/paper/{paper.key}/{pk}").get_data(as_text=True)
    assert f'office-paper-{paper.key}' in page and "厦门市人民政府办公厅" in page
    assert 'class="office-top"' not in page                        # no menus on the sheet
    with app.app_context():
        acts = db.session.query(AuditLog).filter_by(entity=entity.name, record_id=pk, action="EXPORT").all()
        assert [a.detail for a in acts if '"paper"' in (a.detail or "")] != []
    record_page = admin.get(f"/{entity.name.lower()}view/show/{pk}").get_data(as_text=True)
    assert f'data-paper="{paper.key}"' in record_page
    with app.test_request_context(), force_locale("zh_Hans_CN"):
        title = str(paper.title)
    assert f"打印为{title}" in record_page                           # the record's History names the form


@pytest.mark.parametrize("entity, paper, fmt", FILES, ids=lambda x: getattr(x, "key", getattr(x, "name", x)))
def test_each_file_downloads_from_the_record_page_and_is_audited(app, admin, entity, paper, fmt):
    values = {"direction": "INCOMING" if paper.key == "receipt_sheet" else "OUTGOING", "doc_type": "TONGZHI",
              "title": "关于文件下载测试的通知"} if entity.model is Document else {}
    with app.app_context():
        record = make(db.session, entity.model, **values)
        db.session.commit()
        pk = record.id
    record_page = admin.get(f"/{entity.name.lower()}view/show/{pk}").get_data(as_text=True)
    link = f"/{entity.name.lower()}view/paper/{paper.key}/{pk}/{fmt}"
    assert link in record_page
    answer = admin.get(link)
    assert answer.status_code == 200 and answer.data[:4] in (b"%PDF", b"PK\x03\x04")
    assert ".pdf" in answer.headers["Content-Disposition"] if fmt == "pdf" else ".docx" in answer.headers[
        "Content-Disposition"]
    with app.app_context():
        acts = db.session.query(AuditLog).filter_by(entity=entity.name, record_id=pk, action="EXPORT").all()
        assert any(f'"fmt": "{fmt}"' in (a.detail or "") for a in acts)
    assert admin.get(f"/{entity.name.lower()}view/paper/{paper.key}/{pk}/odt").status_code == 404


def test_an_incoming_document_has_no_gbt9704_file(app, admin):
    with app.app_context():
        pk = make(db.session, Document, direction="INCOMING").id
        db.session.commit()
    assert admin.get(f"/documentview/paper/gbt9704/{pk}/pdf").status_code == 404
    assert "/paper/gbt9704/" not in admin.get(f"/documentview/show/{pk}").get_data(as_text=True)


def test_a_clerk_out_of_scope_gets_no_file(app, as_role):
    pk, _version = _foreign_record(app, REGISTRY[Document])
    with app.app_context():
        db.session.get(Document, pk).direction = "OUTGOING"
        db.session.commit()
    assert as_role("clerk", "en").get(f"/documentview/paper/gbt9704/{pk}/pdf").status_code == 404


def _outgoing(app, tag: str) -> int:
    with app.app_context():
        doc = make(db.session, Document, direction="OUTGOING", title=f"关于印发稿纸测试办法的通知{tag}",
                   doc_type="TONGZHI", urgency="JIAJI", secrecy_level="NEIBU", doc_no_prefix="厦府办",
                   doc_no_year=2026, doc_no_seq=int(tag[:4], 16), signer="黄秘书长", sealed_by="洪雨杰",
                   sealed_at=dt.datetime(2026, 11, 17, 8, 30), seal_copies=150)
        steps = [("QICAO", "梁婷", None, 10), ("HEGAO", "石强", "文稿已核，请会签。", 11),
                 ("HUIQIAN", "周娥", "无意见。", 12), ("QIANFA", "黄秘书长", "同意。", 16)]
        for step_type, actor, opinion, day in steps:
            db.session.add(DocumentStep(document=doc, step_type=step_type, actor=actor, opinion=opinion,
                                        acted_at=dt.datetime(2026, 11, day, 9, 30)))
        db.session.commit()
        return doc.id


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_draft_sheet_carries_who_drafted_reviewed_countersigned_and_signed(app, as_role, lang):
    tag = uuid.uuid4().hex[:6]
    pk = _outgoing(app, tag)
    page = as_role("admin", lang).get(f"/documentview/paper/draft_sheet/{pk}").get_data(as_text=True)
    if lang == "zh":
        assert "发文稿纸" in page and "内部" in page.split('office-print-secrecy">', 1)[1][:10]
        assert _cell(page, "签发") == "同意。 黄秘书长 2026年11月16日"
        assert _cell(page, "核稿") == "文稿已核，请会签。 石强 2026年11月11日"
        assert _cell(page, "会签").startswith("无意见。 周娥")
        assert _cell(page, "标题") == f"关于印发稿纸测试办法的通知{tag}"
        assert _cell(page, "紧急程度") == "加急"
        assert _cell(page, "拟稿人").endswith("2026年11月10日")
        assert _cell(page, "用印人").startswith("洪雨杰") and _cell(page, "用印份数") == "150"   # 用印 before 印发
    else:
        assert "Outgoing document draft sheet" in page
        assert _cell(page, "Signed and issued") == "同意。 黄秘书长 November 16, 2026"
        assert _cell(page, "Urgency") == "Urgent"


def test_the_receipt_sheet_reads_the_proposal_the_instruction_and_the_result(app, admin):
    tag = uuid.uuid4().hex[:6]
    with app.app_context():
        doc = make(db.session, Document, direction="INCOMING", title=f"收文笺测试{tag}",
                   source_doc_no="闽政办〔2026〕9号", receive_no=f"收{tag}",
                   received_at=dt.datetime(2026, 3, 2, 8, 5), handling_result="已落实。")
        steps = [("NIBAN", "邓航荣", "拟请陈副市长阅示。"), ("PISHI", "陈副市长", "请市医保局牵头研究。"),
                 ("CHENGBAN", "龚新婧", "已收悉。")]
        for step_type, actor, opinion in steps:
            db.session.add(DocumentStep(document=doc, step_type=step_type, actor=actor, opinion=opinion,
                                        acted_at=dt.datetime(2026, 3, 3, 10)))
        db.session.commit()
        pk = doc.id
    page = admin.get(f"/documentview/paper/receipt_sheet/{pk}").get_data(as_text=True)
    assert _cell(page, "来文字号") == "闽政办〔2026〕9号"
    assert _cell(page, "收文时间") == "2026年3月2日 08:05"
    assert _cell(page, "拟办意见") == "拟请陈副市长阅示。 邓航荣 2026年3月3日"
    assert _cell(page, "领导批示") == "请市医保局牵头研究。 陈副市长 2026年3月3日"
    assert _cell(page, "办理结果").startswith("已落实。 已收悉。 龚新婧")


def test_a_form_belongs_to_its_records_only(app, admin):
    """An incoming document has no 发文稿纸, an outgoing one no 收文处理笺; an unknown form is none."""
    with app.app_context():
        incoming = make(db.session, Document, direction="INCOMING").id
        db.session.commit()
    assert admin.get(f"/documentview/paper/draft_sheet/{incoming}").status_code == 404
    assert admin.get(f"/documentview/paper/no_such_form/{incoming}").status_code == 404
    assert 'data-paper="draft_sheet"' not in admin.get(f"/documentview/show/{incoming}").get_data(as_text=True)
    assert admin.get(f"/documentview/paper/receipt_sheet/{_outgoing(app, uuid.uuid4().hex[:6])}").status_code == 404


def test_the_supervision_notice_names_its_units_and_masks_their_phones_for_a_clerk(app, as_role):
    unit = _unit(app)
    tag = uuid.uuid4().hex[:6]
    with app.app_context():
        item = make(db.session, SupervisionItem, title=f"督办通知测试{tag}", item_no=f"督{tag}",
                    lead_department_id=unit, due_date=dt.date(2026, 2, 28), requirement="按期报送办理情况",
                    created_by="clerk")
        db.session.add(SupervisionAssignment(item=item, department_id=unit, role="ZHUBAN", contact_person="钟怡",
                                             contact_phone="13549387292"))
        db.session.commit()
        pk = item.id
    clerk = as_role("clerk", "zh")
    page = clerk.get(f"/supervisionitemview/paper/supervision_notice/{pk}").get_data(as_text=True)
    assert "督办通知单" in page and f"编号：督{tag}" in page
    assert _cell(page, "办理时限") == "2026年2月28日"
    assert "钟怡" in page and "13549387292" not in page and "135****7292" in page
    admin = as_role("admin", "zh")
    assert "13549387292" in admin.get(f"/supervisionitemview/paper/supervision_notice/{pk}").get_data(as_text=True)
    with app.app_context():
        assert db.session.query(AuditLog).filter_by(action="UNMASK", entity="SupervisionAssignment").filter(
            AuditLog.record_name.contains(tag)).count() == 1


def test_the_urging_notice_counts_the_units_urgings(app, admin):
    unit = _unit(app)
    with app.app_context():
        item = make(db.session, SupervisionItem, title="催办单测试", lead_department_id=unit)
        first = UrgeRecord(item=item, department_id=unit, method="DIANHUA", urged_at=dt.datetime(2026, 5, 6, 16, 10))
        second = UrgeRecord(item=item, department_id=unit, method="WENSHU", urged_at=dt.datetime(2026, 5, 20, 9),
                            content="请于本周内报送。")
        db.session.add_all([first, second])
        db.session.commit()
        pk = second.id
    page = admin.get(f"/urgerecordview/paper/urge_notice/{pk}").get_data(as_text=True)
    assert "第2次催办" in page and "催办单" in page
    assert _cell(page, "内容") == "请于本周内报送。"
    assert "2026年5月20日 09:00" in page


@pytest.mark.parametrize("lang, first", [("zh", "一、"), ("en", "1. ")])
def test_the_minutes_list_each_topic_with_its_decisions(app, as_role, lang, first):
    tag = uuid.uuid4().hex[:6]
    with app.app_context():
        meeting = make(db.session, Meeting, title=f"纪要测试{tag}", meeting_type="CHANGWU", chair="张市长",
                       start_at=dt.datetime(2026, 5, 12, 15), venue="第二会议室")
        topic = MeetingTopic(meeting=meeting, seq=1, title="关于城市易涝点整治工作的汇报", reporter="张旭峰")
        db.session.add(topic)
        db.session.flush()
        db.session.add(MeetingDecision(meeting=meeting, topic_id=topic.id, seq=1,
                                       content="市市政园林局牵头开展汛前隐患大排查。", due_date=dt.date(2026, 8, 31)))
        db.session.commit()
        pk = meeting.id
    page = as_role("admin", lang).get(f"/meetingview/paper/minutes/{pk}").get_data(as_text=True)
    assert f"<h2>{first}关于城市易涝点整治工作的汇报</h2>" in page
    assert "市市政园林局牵头开展汛前隐患大排查。" in page
    assert ("2026年8月31日前完成" if lang == "zh" else "by August 31, 2026") in page


def test_a_form_out_of_scope_does_not_print(app, as_role):
    pk, _version = _foreign_record(app, REGISTRY[SupervisionItem])
    assert as_role("clerk", "en").get(f"/supervisionitemview/paper/supervision_notice/{pk}").status_code == 404


# --- the layouts an admin changes in the console ---------------------------------------------------
def _upload(client, key: str, body: str):
    import io

    return client.post(f"/console/paper-forms/{key}/upload", data={"file": (io.BytesIO(body.encode()), f"{key}.html")},
                       content_type="multipart/form-data", follow_redirects=True)


@pytest.fixture()
def restored(app):
    """Each test starts and ends with the shipped layouts."""
    from models.paper_templates import PaperTemplate

    def clear():
        with app.app_context():
            db.session.query(PaperTemplate).delete()
            db.session.commit()
    clear()
    yield
    clear()


def test_an_admin_downloads_changes_uploads_and_restores_a_forms_layout(app, admin, restored):
    from models.paper_templates import PaperTemplate

    listing = admin.get("/console/paper-forms/").get_data(as_text=True)
    assert "纸质表单" in listing and "督办通知单" in listing and "item_no" in listing       # its placeholders
    shipped = admin.get("/console/paper-forms/urge_notice/download")
    assert shipped.status_code == 200 and "v.count" in shipped.get_data(as_text=True)
    with app.app_context():
        urge = make(db.session, UrgeRecord, content="版式测试")
        db.session.commit()
        pk = urge.id
    changed = shipped.get_data(as_text=True) + '<p class="mine">本单位自定义：{{ v.content }}</p>'
    with app.app_context():     # a layout's row id comes back after a restore (SQLite): count the new trail only
        before = db.session.query(AuditLog).filter_by(entity="PaperTemplate", action="INSERT").count()
    page = _upload(admin, "urge_notice", changed).get_data(as_text=True)
    assert "已保存" in page
    sheet = admin.get(f"/urgerecordview/paper/urge_notice/{pk}").get_data(as_text=True)
    assert '<p class="mine">本单位自定义：版式测试</p>' in sheet
    with app.app_context():
        row = db.session.query(PaperTemplate).filter_by(key="urge_notice").one()
        assert row.updated_by == "admin"
        trail = db.session.query(AuditLog).filter_by(entity="PaperTemplate", action="INSERT")
        assert trail.count() == before + 1 and trail.filter_by(record_id=row.id).count() >= 1
    assert "已修改" in admin.get("/console/paper-forms/").get_data(as_text=True)
    admin.post("/console/paper-forms/urge_notice/restore", follow_redirects=True)
    assert 'class="mine"' not in admin.get(f"/urgerecordview/paper/urge_notice/{pk}").get_data(as_text=True)


@pytest.mark.parametrize("body, reason", [
    ("{% if v.title %}<p>{{ v.title }}</p>", "第 1 行"),                             # a block left open
    ("<p>{{ ''.__class__.__mro__[1].__subclasses__() }}</p>", "无法生成"),           # reaching into Python
    ("   ", "模板为空"),
])
def test_a_broken_or_unsafe_layout_is_refused_with_the_reason_and_nothing_changes(app, admin, restored, body, reason):
    from models.paper_templates import PaperTemplate

    page = _upload(admin, "minutes", body).get_data(as_text=True)
    assert "未保存" in page and reason in page
    with app.app_context():
        assert db.session.query(PaperTemplate).count() == 0


def test_only_the_console_right_reaches_the_layouts(as_role):
    clerk = as_role("clerk", "en")
    assert clerk.get("/console/paper-forms/").status_code == 403
    assert _upload(clerk, "minutes", "<p>x</p>").status_code == 403


def test_without_the_pdf_fonts_the_user_is_told_and_sent_back(app, as_role, monkeypatch):
    import app.paper as paper
    from app.paper.pdf_fonts import PaperFontsMissing

    def missing(_paper):
        raise PaperFontsMissing("/usr/share/fonts/truetype/arphic/uming.ttc is missing: install fonts-arphic-uming")

    monkeypatch.setattr(paper, "write_pdf", missing)
    with app.app_context():
        pk = make(db.session, Document, direction="OUTGOING", title="无字体测试").id
        db.session.commit()
    client = as_role("manager", "en")
    answer = client.get(f"/documentview/paper/gbt9704/{pk}/pdf")
    assert answer.status_code == 302 and answer.location.endswith(f"/documentview/show/{pk}")
    page = client.get(answer.location).get_data(as_text=True)
    assert "This server cannot make the PDF" in page and "fonts-arphic-uming" in page
    assert client.get(f"/documentview/paper/gbt9704/{pk}/docx").status_code == 200


# --- the office's layout of the national-format document ---------------------------------------------
def test_an_admin_changes_the_gbt9704_layout_and_the_records_files_follow_it(app, admin, restored):
    import io

    import docx
    from docx.oxml.ns import qn

    listing = admin.get("/console/paper-forms/").get_data(as_text=True)
    assert 'id="paper-gbt9704"' in listing and "GB/T 9704" in listing and "{issuer}" in listing
    shipped = admin.get("/console/paper-forms/gbt9704/download")
    assert shipped.status_code == 200 and "gbt9704.toml" in shipped.headers["Content-Disposition"]
    text = shipped.get_data(as_text=True)
    assert 'signature = "unsealed"' in text and 'body = "仿宋_GB2312"' in text
    with app.app_context():
        pk = make(db.session, Document, direction="OUTGOING", doc_type="TONGZHI", title="关于版式设置的通知",
                  body="请认真贯彻执行。", written_date=dt.date(2026, 3, 5)).id
        db.session.commit()
    changed = text.replace('body = "仿宋_GB2312"', 'body = "方正仿宋_GBK"').replace(
        'signature = "unsealed"', 'signature = "sealed"')
    assert "已保存" in _upload(admin, "gbt9704", changed).get_data(as_text=True)
    word = docx.Document(io.BytesIO(admin.get(f"/documentview/paper/gbt9704/{pk}/docx").data))
    assert word.styles["公文正文"].element.rPr.rFonts.get(qn("w:eastAsia")) == "方正仿宋_GBK"
    assert "已修改" in admin.get("/console/paper-forms/").get_data(as_text=True)
    assert 'signature = "sealed"' in admin.get("/console/paper-forms/gbt9704/download").get_data(as_text=True)
    admin.post("/console/paper-forms/gbt9704/restore", follow_redirects=True)
    word = docx.Document(io.BytesIO(admin.get(f"/documentview/paper/gbt9704/{pk}/docx").data))
    assert word.styles["公文正文"].element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"


@pytest.mark.parametrize("old, new, reason", [
    ('issuer_mark = "{issuer}文件"', 'issuer_mark = "{unit}文件"', "{unit}"),
    ('signature = "unsealed"', 'signature = unsealed', "第 "),
    ('page_number = "— {n} —"', 'page_number = "— —"', "{n}"),
])
def test_a_broken_gbt9704_layout_is_refused_with_the_reason_and_nothing_changes(app, admin, restored, old, new,
                                                                                 reason):
    from models.paper_templates import PaperTemplate

    text = admin.get("/console/paper-forms/gbt9704/download").get_data(as_text=True)
    page = _upload(admin, "gbt9704", text.replace(old, new)).get_data(as_text=True)
    assert "未保存" in page and reason in page
    with app.app_context():
        assert db.session.query(PaperTemplate).count() == 0
